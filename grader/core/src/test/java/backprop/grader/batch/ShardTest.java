package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A shard's share: chosen by the id's SHA-256 alone, every student in exactly one shard, whatever the order. */
class ShardTest {
    /**
     * Golden values, computed apart from the grader (Python: {@code int.from_bytes(sha256(id.encode()).digest()[:8],
     * 'big') % n}): a change of the rule would move students between shards of a class already half graded.
     */
    @Test
    void theShareIsTheIdsSha256ModuloTheCount() {
        assertThat(Shard.indexOf("alice", 4)).isEqualTo(3);
        assertThat(Shard.indexOf("bob", 4)).isEqualTo(2);
        assertThat(Shard.indexOf("s0001", 4)).isEqualTo(3);
        assertThat(Shard.indexOf("élève", 4)).isEqualTo(1);
        assertThat(Shard.indexOf("", 4)).isZero();
        assertThat(Shard.indexOf("alice", 7)).isEqualTo(1);
        assertThat(Shard.indexOf("élève", 7)).isEqualTo(2);
        assertThat(Shard.indexOf("bob", 1000)).isEqualTo(650);
        assertThat(Shard.indexOf("anything", 1)).isZero();
    }

    @Test
    void everyStudentIsInExactlyOneShardWhateverTheOrderOfTheClass() {
        List<Found> cls = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            cls.add(new Found(String.format(java.util.Locale.ROOT, "student%04d", i), "", Path.of("s" + i)));
        }
        int n = 7;
        List<Found> shuffled = new ArrayList<>(cls);
        Collections.shuffle(shuffled, new Random(1));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Shard s = new Shard(i, n);
            List<String> share = s.select(cls).stream().map(Found::id).toList();
            assertThat(s.select(shuffled).stream().map(Found::id).sorted().toList()).isEqualTo(share);
            assertThat(share.size()).as("shares are near equal").isBetween(2000 / n * 8 / 10, 2000 / n * 12 / 10);
            all.addAll(share);
        }
        assertThat(all).hasSize(cls.size()).doesNotHaveDuplicates();
        // a student who joins moves no one else
        List<Found> more = new ArrayList<>(cls);
        more.add(0, new Found("aaron", "", Path.of("aaron")));
        for (int i = 0; i < n; i++) {
            List<String> before = new Shard(i, n).select(cls).stream().map(Found::id).toList();
            List<String> after = new Shard(i, n).select(more).stream().map(Found::id)
                    .filter(id -> !id.equals("aaron")).toList();
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void aShardIsReadAsIOfN() {
        assertThat(Shard.parse("2/5", "--shard")).isEqualTo(new Shard(2, 5));
        assertThat(Shard.parse(" 0/1 ", "--shard")).hasToString("0/1");
        for (String bad : List.of("5/5", "3", "-1/4", "a/4", "1/0", "1/2/3", "", "1/", "/4", "1.5/4")) {
            assertThatThrownBy(() -> Shard.parse(bad, "--shard")).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--shard");
        }
        assertThatThrownBy(() -> Shard.parse("4/4", "--shard")).hasMessageContaining("the last of 4 is 3/4");
    }

    @Test
    void aKubernetesIndexedJobNamesTheShardAndTheCommandLineTheCount() {
        Map<String, String> pod = Map.of(ShardEnvironment.K8S_INDEX, "3");
        assertThat(ShardEnvironment.resolve("auto/4", pod)).isEqualTo(new Shard(3, 4));
        assertThat(ShardEnvironment.resolve("auto", Map.of(ShardEnvironment.K8S_INDEX, "1", ShardEnvironment.COUNT,
                "2"))).isEqualTo(new Shard(1, 2));
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto", pod)).hasMessageContaining("JOB_COMPLETION_INDEX=3")
                .hasMessageContaining("--shard auto/N");
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/3", pod)).hasMessageContaining("JOB_COMPLETION_INDEX=3")
                .hasMessageContaining("outside 0 to 2 of 3 shards");
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/4", Map.of(ShardEnvironment.K8S_INDEX, "3",
                ShardEnvironment.COUNT, "5"))).hasMessageContaining("contradictory")
                .hasMessageContaining("--shard auto/4").hasMessageContaining("GRADER_SHARD_COUNT=5");
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/4", Map.of(ShardEnvironment.K8S_INDEX, "x")))
                .hasMessageContaining("JOB_COMPLETION_INDEX=x");
    }

    @Test
    void aSlurmArrayNamesTheShardFromItsFirstTask() {
        Map<String, String> task = Map.of(ShardEnvironment.SLURM_ID, "12", ShardEnvironment.SLURM_MIN, "10",
                ShardEnvironment.SLURM_MAX, "13", ShardEnvironment.SLURM_COUNT, "4");
        assertThat(ShardEnvironment.resolve("auto", task)).isEqualTo(new Shard(2, 4));
        assertThat(ShardEnvironment.resolve("auto/4", task)).isEqualTo(new Shard(2, 4));
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/5", task)).hasMessageContaining("contradictory")
                .hasMessageContaining("SLURM_ARRAY_TASK_COUNT=4");
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto", Map.of(ShardEnvironment.SLURM_ID, "1")))
                .hasMessageContaining("SLURM_ARRAY_TASK_MIN is not");
        // --array=0-6:2 (ids 0, 2, 4, 6) and --array=1,5,9 are not one run of ids
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto", Map.of(ShardEnvironment.SLURM_ID, "2",
                ShardEnvironment.SLURM_MIN, "0", ShardEnvironment.SLURM_COUNT, "4", ShardEnvironment.SLURM_STEP, "2")))
                .hasMessageContaining("SLURM_ARRAY_TASK_STEP=2").hasMessageContaining("sbatch --array=0-3");
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto", Map.of(ShardEnvironment.SLURM_ID, "5",
                ShardEnvironment.SLURM_MIN, "1", ShardEnvironment.SLURM_MAX, "9", ShardEnvironment.SLURM_COUNT, "3")))
                .hasMessageContaining("not one run of task ids");
    }

    @Test
    void aMissingOrContradictoryEnvironmentIsAnErrorNamingTheVariables() {
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/4", Map.of()))
                .hasMessageContaining("JOB_COMPLETION_INDEX").hasMessageContaining("SLURM_ARRAY_TASK_ID")
                .hasMessageContaining("--shard I/N");
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/4", Map.of(ShardEnvironment.K8S_INDEX, "1",
                ShardEnvironment.SLURM_ID, "1"))).hasMessageContaining("contradictory")
                .hasMessageContaining("JOB_COMPLETION_INDEX=1").hasMessageContaining("SLURM_ARRAY_TASK_ID=1");
        assertThat(ShardEnvironment.resolve("1/3", Map.of(ShardEnvironment.K8S_INDEX, "2"))).as("explicit wins")
                .isEqualTo(new Shard(1, 3));
        assertThatThrownBy(() -> ShardEnvironment.resolve("auto/0", Map.of(ShardEnvironment.K8S_INDEX, "0")))
                .hasMessageContaining("at least 1");
    }
}
