#!/bin/bash
# Queues the grading of a class as N shards on Slurm, and its merge after them. Run it from the grading
# repository's root (a copy of the grader's, with the class in submissions/):
#   grader/deploy/slurm/submit.sh 8
set -euo pipefail
n="${1:-4}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="${GRADER_REPO:-$PWD}"

# Build the grader once here, not in N tasks at once on a shared file system.
"$repo/grader/bin/grader" --version >/dev/null

array="$(sbatch --parsable --array="0-$((n - 1))" "$here/grade.sbatch")"
array="${array%%;*}" # --parsable prints "id;cluster" on a multi-cluster site
sbatch --dependency="afterok:$array" "$here/merge.sbatch"
echo "grading: job array $array ($n shards); merge queued after it"
