package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.report.ClassReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One class graded by one run and by shards — separate JVM processes started side by side, each with its own
 * {@code --out} — then merged: the merge writes the bytes the one run wrote. A shard killed with SIGKILL and run
 * again merges the same; a missing shard is refused, naming who is missing, and {@code --allow-missing} marks them.
 */
class ShardMergeTest {
    static final int SHARDS = 3;
    /** What a merge's provenance.json may hold differently from one run's, and why (the README names them). */
    static final List<String> DIFFERING = List.of("started", "finished", "options.jobs", "submissions.graded_now",
            "submissions.reused", "merged", "jvm", "options.submissions", "options.assignments", "options.reference");
    static final List<String> REPORTS = List.of("scores.csv", "details.csv", ClassReport.PAGE, ClassReport.SUMMARY);

    @TempDir
    static Path tmp;
    static Path subs;
    static List<String> ids;
    static Path whole;
    static List<Path> shards = new ArrayList<>();

    @BeforeAll
    static void gradeOnceAndAsShards() throws Exception {
        subs = tmp.resolve("class");
        ids = ShardedClass.write(subs);
        whole = tmp.resolve("whole");
        StringBuilder printed = new StringBuilder();
        assertThat(ShardedClass.run(ShardedClass.grade(subs, whole, "--jobs", "2"), printed)).as("%s", printed)
                .isZero();
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            Path out = tmp.resolve("shard-" + i);
            shards.add(out);
            running.add(ShardedClass.start(ShardedClass.grade(subs, out, "--jobs", "1", "--shard", i + "/" + SHARDS),
                    Map.of(), tmp.resolve("shard-" + i + ".log")));
        }
        for (int i = 0; i < SHARDS; i++) {
            assertThat(running.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(running.get(i).exitValue()).as(Files.readString(tmp.resolve("shard-" + i + ".log"))).isZero();
        }
    }

    @Test
    void shardsSideBySideMergeIntoTheBytesOfOneRun() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < SHARDS; i++) {
            List<String> share = students(shards.get(i).resolve("scores.csv"));
            for (String id : share) {
                assertThat(Shard.indexOf(id, SHARDS)).as(id).isEqualTo(i);
                assertThat(seen.add(id)).as(id + " in two shards").isTrue();
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

        Path merged = tmp.resolve("merged");
        StringBuilder printed = new StringBuilder();
        List<String> args = new ArrayList<>(List.of("merge"));
        // any order of the shards gives the class's order
        for (int i = SHARDS - 1; i >= 0; i--) {
            args.add(shards.get(i).toString());
        }
        args.addAll(List.of("--out", merged.toString()));
        assertThat(ShardedClass.run(args, printed)).as("%s", printed).isZero();
        assertThat(printed).contains("merged 3 shard(s): " + ids.size() + " student(s)");
        assertSameReports(whole, merged);
        assertThat(students(merged.resolve("scores.csv"))).containsExactlyElementsOf(ids);
    }

    @Test
    void aShardKilledMidRunAndRunAgainMergesTheSame() throws Exception {
        Path out0 = tmp.resolve("killed-0");
        Path out1 = tmp.resolve("killed-1");
        // the engine's own environment names the shard: a Kubernetes Indexed Job's pod 0 of 2
        Process p = ShardedClass.start(ShardedClass.grade(subs, out0, "--jobs", "1", "--shard", "auto/2"),
                Map.of(ShardEnvironment.K8S_INDEX, "0"), tmp.resolve("killed.log"));
        Path results = out0.resolve(BatchGrader.RESULTS);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (saved(results) < 1 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(saved(results)).as(Files.readString(tmp.resolve("killed.log"))).isPositive();
        assertThat(out0.resolve("provenance.json")).as("killed before the end").doesNotExist();

        StringBuilder printed = new StringBuilder();
        assertThat(ShardedClass.run(ShardedClass.grade(subs, out1, "--jobs", "2", "--shard", "1/2"), printed))
                .as("%s", printed).isZero();
        Path merged = tmp.resolve("merged-after-kill");
        StringBuilder refused = new StringBuilder();
        assertThat(ShardedClass.run(List.of("merge", out0.toString(), out1.toString(), "--out", merged.toString()),
                refused)).isEqualTo(2);
        assertThat(refused).contains(out0 + " has no provenance.json: its shard has not finished");
        assertThat(merged.resolve("scores.csv")).doesNotExist();

        // run again, as a Slurm array's second task (ids 5 and 6): the same shard, 0 of 2; it keeps what it saved
        Process again = ShardedClass.start(ShardedClass.grade(subs, out0, "--jobs", "1", "--shard", "auto"),
                Map.of(ShardEnvironment.SLURM_ID, "5", ShardEnvironment.SLURM_MIN, "5", ShardEnvironment.SLURM_MAX,
                        "6", ShardEnvironment.SLURM_COUNT, "2"), tmp.resolve("again.log"));
        assertThat(again.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(tmp.resolve("again.log"));
        assertThat(again.exitValue()).as(log).isZero();
        assertThat(log).contains("shard 0/2: ").contains("already graded by an earlier run, kept");

        printed.setLength(0);
        assertThat(ShardedClass.run(List.of("merge", out0.toString(), out1.toString(), "--out", merged.toString()),
                printed)).as("%s", printed).isZero();
        assertSameReports(whole, merged);
    }

    @Test
    void aMissingShardIsRefusedNamingWhoThenAllowMissingMarksThem() throws Exception {
        List<String> absent = ids.stream().filter(id -> Shard.indexOf(id, SHARDS) == 1).toList();
        assertThat(absent).isNotEmpty();
        Path merged = tmp.resolve("merged-missing");
        List<String> args = new ArrayList<>(List.of("merge", shards.get(0).toString(), shards.get(2).toString(),
                "--out", merged.toString()));
        StringBuilder refused = new StringBuilder();
        assertThat(ShardedClass.run(args, refused)).isEqualTo(2);
        assertThat(refused).contains(absent.size() + " of the class's " + ids.size() + " students have no result")
                .contains("shard 1/3 was not given: " + absent.size() + " student").contains("--allow-missing");
        absent.forEach(id -> assertThat(refused).contains(id));
        assertThat(merged).doesNotExist();

        args.add("--allow-missing");
        StringBuilder printed = new StringBuilder();
        assertThat(ShardedClass.run(args, printed)).as("%s", printed).isZero();
        assertThat(printed).contains(absent.size() + " missing");
        Map<String, CSVRecord> before = rows(whole.resolve("scores.csv"));
        Map<String, CSVRecord> after = rows(merged.resolve("scores.csv"));
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        for (String id : ids) {
            if (absent.contains(id)) {
                assertThat(after.get(id).get("status")).isEqualTo("missing");
                assertThat(after.get(id).get("reason")).isEqualTo("not graded: shard 1/3 was not given");
                assertThat(after.get(id).get("total")).isEqualTo("0");
            } else {
                assertThat(after.get(id).toList()).isEqualTo(before.get(id).toList());
            }
        }
        String page = Files.readString(merged.resolve(ClassReport.PAGE));
        assertThat(page).contains("data-status=\"missing\"");
        JsonNode prov = ResultStore.JSON.readTree(merged.resolve("provenance.json").toFile());
        assertThat(prov.path("submissions").path("missing").asInt()).isEqualTo(absent.size());
        assertThat(prov.path("merged").path("missing").asInt()).isEqualTo(absent.size());
    }

    @Test
    void shardsGradedDifferentlyAreRefusedNamingTheShardsAndTheValues() throws Exception {
        record Case(String what, String field, String value, String says) {}
        List<Case> cases = List.of(
                new Case("an edited assignment file", "assignments.0.sha256", "0badc0de",
                        "assignment seed-000 (SHA-256 of its file) differ"),
                new Case("another reference", "reference_sha256", "feedface", "reference solution (SHA-256) differ"),
                new Case("another grader", "grader", "backprop grader 9.9", "grader version differ"),
                new Case("another build of the grader", "grader_sha256", "abc123", "grader code (SHA-256) differ"),
                new Case("a longer time limit", "sandbox.limits", "wall 999 s", "limits differ"),
                new Case("another compile time limit", "options.compile_timeout_s", "5",
                        "compile time limit (s) differ"),
                new Case("another count of shards", "shard.count", "4", "count of shards differ"));
        for (Case c : cases) {
            Path odd = tamper(shards.get(2), c.field(), c.value());
            String refused = refusedMerge(List.of(shards.get(0), shards.get(1), odd));
            String label = c.field().equals("shard.count") ? "shard 2/" + c.value() : "shard 2/3";
            assertThat(refused).as(c.what()).contains(c.says()).contains("'" + c.value() + "' in " + label + " (" + odd)
                    .contains("in shard 0/3 (" + shards.get(0) + "), shard 1/3 (" + shards.get(1) + ")");
        }
    }

    @Test
    void overlappingOrRepeatedShardsAreRefusedNamingTheStudents() throws Exception {
        Path copy = tmp.resolve("shard-0-copy");
        backprop.grader.files.FileTrees.copy(shards.get(0), copy);
        String refused = refusedMerge(List.of(shards.get(0), shards.get(1), shards.get(2), copy));
        List<String> share = students(shards.get(0).resolve("scores.csv"));
        assertThat(refused)
                .contains("shard 0/3 (" + shards.get(0) + ") and shard 0/3 (" + copy + ") are the same shard")
                .contains("their " + share.size() + " students overlap: " + String.join(", ", share));
        assertThat(refusedMerge(List.of(shards.get(0), shards.get(1), shards.get(0)))).contains("is given twice");
        assertThat(refusedMerge(List.of(shards.get(0), whole))).contains(whole + " is the output of a whole-class "
                + "run, not of a shard");
        assertThat(refusedMerge(List.of(shards.get(0), tmp.resolve("nowhere")))).contains("is not a folder");
        assertThat(ShardedClass.run(List.of("merge", shards.get(0).toString(), "--out", shards.get(0).toString()),
                new StringBuilder())).isEqualTo(2);
    }

    @Test
    void resultsChangedOrLostAfterTheShardFinishedAreRefused() throws Exception {
        String id = students(shards.get(1).resolve("scores.csv")).get(0);
        Path changed = tmp.resolve("shard-1-changed");
        backprop.grader.files.FileTrees.copy(shards.get(1), changed);
        ResultStore store = new ResultStore(changed.resolve(BatchGrader.RESULTS));
        ObjectNode r = (ObjectNode) ResultStore.JSON.readTree(store.file(id).toFile());
        r.put("key", "graded by a later run that never finished");
        Files.write(store.file(id), ResultStore.JSON.writeValueAsBytes(r));
        assertThat(refusedMerge(List.of(shards.get(0), changed, shards.get(2))))
                .contains("shard 1/3 (" + changed + "): its saved results are not the ones it reported");
        Files.delete(store.file(id));
        assertThat(refusedMerge(List.of(shards.get(0), changed, shards.get(2))))
                .contains("saved results are missing or unreadable although their shard reported them graded: " + id
                        + " in shard 1/3 (" + changed + ")");
    }

    /** A copy of a shard's output whose provenance.json has {@code value} at {@code field} (dots between names). */
    static Path tamper(Path shard, String field, String value) throws IOException {
        Path copy = Files.createTempDirectory(tmp, "tampered-");
        backprop.grader.files.FileTrees.copy(shard, copy.resolve("out"));
        Path file = copy.resolve("out/provenance.json");
        JsonNode root = ResultStore.JSON.readTree(file.toFile());
        String[] parts = field.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.path(Integer.parseInt(parts[i])) : parent.path(parts[i]);
        }
        ((ObjectNode) parent).put(parts[parts.length - 1], value);
        Files.write(file, ResultStore.JSON.writeValueAsBytes(root));
        return copy.resolve("out");
    }

    /** What a merge of {@code dirs} that must be refused says; it must write nothing. */
    static String refusedMerge(List<Path> dirs) throws IOException {
        Path out = Files.createTempDirectory(tmp, "refused-");
        List<String> args = new ArrayList<>(List.of("merge"));
        dirs.forEach(d -> args.add(d.toString()));
        args.addAll(List.of("--out", out.toString()));
        StringBuilder printed = new StringBuilder();
        assertThat(ShardedClass.run(args, printed)).as("%s", printed).isEqualTo(2);
        try (var s = Files.list(out)) {
            assertThat(s.toList()).as("a refused merge writes nothing").isEmpty();
        }
        return printed.toString();
    }

    /** The four reports byte for byte, and provenance.json field for field but those a merge may change. */
    static void assertSameReports(Path one, Path merged) throws IOException {
        for (String f : REPORTS) {
            assertThat(Files.readAllBytes(merged.resolve(f))).as(f).isEqualTo(Files.readAllBytes(one.resolve(f)));
        }
        ObjectNode a = (ObjectNode) ResultStore.JSON.readTree(one.resolve("provenance.json").toFile());
        ObjectNode b = (ObjectNode) ResultStore.JSON.readTree(merged.resolve("provenance.json").toFile());
        assertThat(b.path("merged").path("shards").size()).isPositive();
        for (String path : DIFFERING) {
            String[] parts = path.split("\\.");
            for (ObjectNode o : List.of(a, b)) {
                JsonNode parent = parts.length == 1 ? o : o.path(parts[0]);
                if (parent instanceof ObjectNode p) {
                    p.remove(parts[parts.length - 1]);
                }
            }
        }
        assertThat(b).isEqualTo(a);
    }

    /** The student ids of a scores.csv, in its order. */
    static List<String> students(Path scores) throws IOException {
        return new ArrayList<>(rows(scores).keySet());
    }

    static Map<String, CSVRecord> rows(Path scores) throws IOException {
        Map<String, CSVRecord> rows = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(scores);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                if (!rec.get("student").equals("(points possible)")) {
                    rows.put(rec.get("student"), rec);
                }
            }
        }
        return rows;
    }

    static long saved(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return 0;
        }
        try (var s = Files.list(results)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).count();
        }
    }
}
