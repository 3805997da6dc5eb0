#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu): it installs a JDK and, where
# the image allows it, bubblewrap to sandbox each submission.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq openjdk-17-jdk-headless >/dev/null
apt-get install -y -qq bubblewrap >/dev/null || echo "bubblewrap not available: the grader falls back to a separate uid"
chmod +x /autograder/source/run_autograder /autograder/source/grader/bin/grader
