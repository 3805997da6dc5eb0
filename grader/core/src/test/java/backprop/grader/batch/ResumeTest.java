package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.cli.Main;
import backprop.grader.report.StudentResult;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A grade run killed with SIGKILL half-way loses no finished result, and the next run grades only the rest. */
class ResumeTest {
    static final int STUDENTS = 6;

    @Test
    void aKilledRunResumesWhereItStopped(@TempDir Path tmp) throws Exception {
        Path subs = tmp.resolve("class");
        for (int i = 0; i < STUDENTS; i++) {
            HostileBatch.copyReference(subs.resolve("student" + i + "/homework"));
        }
        Path out = tmp.resolve("reports");
        String assignments = String.join(",", Stream.of("seed-000", "seed-004", "ops")
                .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml").toString()).toList());
        List<String> args = List.of("grade", "--submissions", subs.toString(), "--out", out.toString(), "--assignments",
                assignments, "--reference", TestFiles.referenceSources().toString(), "--jobs", "1", "--timeout", "20",
                "--heap", "64m");

        // 1. a grader process, killed with SIGKILL once two results are in
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisableAttachMechanism", "-Dgrader.home=" + TestFiles.root(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process grader = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed-run.log").toFile()).start();
        Path results = out.resolve(BatchGrader.RESULTS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (finished(results).size() < 2 && grader.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<ProcessHandle> children = grader.descendants().toList();
        grader.destroyForcibly(); // SIGKILL: no shutdown hook runs
        children.forEach(ProcessHandle::destroyForcibly);
        assertThat(grader.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String killedLog = Files.readString(tmp.resolve("killed-run.log"));
        ResultStore store = new ResultStore(results);
        Map<String, String> before = new TreeMap<>();
        for (String id : finished(results)) {
            StudentResult r = store.load(id).orElseThrow(() -> new AssertionError("unreadable result " + id));
            before.put(id, r.gradedAt());
        }
        assertThat(before.size()).as(killedLog).isBetween(2, STUDENTS - 1);

        // 2. the same command again: only the rest is graded
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args.toArray(String[]::new));
        assertThat(code).as(e.toString()).isZero();
        assertThat(e.toString()).contains("grading " + (STUDENTS - before.size()) + " submission(s)")
                .contains(before.size() + " already graded by an earlier run, kept");
        for (Map.Entry<String, String> b : before.entrySet()) {
            assertThat(store.load(b.getKey()).orElseThrow().gradedAt()).as(b.getKey()).isEqualTo(b.getValue());
            assertThat(e.toString()).doesNotContain("] " + b.getKey() + " ");
        }
        try (Stream<Path> s = Files.list(results)) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".json") && !n.startsWith("."));
        }
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("the killed run's work folder is cleaned up")
                    .noneMatch(n -> n.startsWith(BatchGrader.WORK_PREFIX + grader.pid() + "-"));
        }
        List<CSVRecord> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(out.resolve("scores.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            p.forEach(rows::add);
        }
        assertThat(rows).hasSize(STUDENTS + 1);
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("graded");
            assertThat(r.get("percent")).isEqualTo("100.00");
        });

        // 3. once more: nothing left to grade; --regrade grades everything again
        StringWriter e2 = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(e2, true),
                args.toArray(String[]::new))).isZero();
        assertThat(e2.toString()).contains("grading 0 submission(s)");
    }

    /** The ids with a finished (renamed into place) result: files are named by a hash, the id is inside. */
    static List<String> finished(Path results) throws java.io.IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(results)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).toList()) {
                ids.add(ResultStore.JSON.readTree(p.toFile()).path("student").asText());
            }
        }
        return ids.stream().sorted().toList();
    }
}
