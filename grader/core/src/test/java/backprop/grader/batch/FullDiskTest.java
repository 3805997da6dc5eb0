package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.TestFiles;
import backprop.grader.files.FileTrees;
import backprop.grader.report.ClassReport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot write its reports — a file-size limit (EFBIG), a full disk (ENOSPC), a rename that fails —
 * leaves the previous complete reports, every one, and no temporary file, says which file failed and why, and
 * exits 2; a run that writes them writes three files that agree.
 */
class FullDiskTest {
    static final List<String> ASSIGNMENTS = List.of("seed-000", "seed-001", "seed-002a", "seed-002b", "seed-003a",
            "seed-004", "ops");
    static final List<String> REPORTS = List.of(Reports.SCORES, Reports.DETAILS, ClassReport.PAGE, ClassReport.SUMMARY,
            Reports.PROVENANCE);

    static final int GRADED = 16;
    static final int BROKEN = 4;

    @TempDir
    static Path tmp;
    static Path subs;
    static Path prepared;
    static Map<String, byte[]> before = new LinkedHashMap<>();

    /** A class graded once: correct submissions, whose check rows make the reports big, and compile errors. */
    @BeforeAll
    static void gradeAClassOnce() throws Exception {
        subs = tmp.resolve("class");
        GraderProcess.correct(subs, "ok", GRADED);
        for (int i = 0; i < BROKEN; i++) {
            HostileBatch.overlay(TestFiles.root().resolve("grader/core/src/test/resources/hostile/compile-error"),
                    subs.resolve("broken" + i + "/homework"), Map.of());
        }
        prepared = tmp.resolve("prepared");
        GraderProcess.Run r = GraderProcess.inProcess(args(prepared));
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : REPORTS) {
            before.put(f, Files.readAllBytes(prepared.resolve(f)));
        }
    }

    static List<String> args(Path out) {
        List<String> a = new ArrayList<>(GraderProcess.gradeArgs(subs, out, 2));
        a.set(a.indexOf("--assignments") + 1, String.join(",", ASSIGNMENTS.stream()
                .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml").toString()).toList()));
        return a;
    }

    /** A copy of the graded output folder, for one case to break. */
    static Path copy(String name) throws IOException {
        Path out = tmp.resolve(name);
        FileTrees.copy(prepared, out);
        return out;
    }

    static void assertLeftAsItWas(Path out) throws IOException {
        for (String f : REPORTS) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f + " is the previous run's").isEqualTo(before.get(f));
        }
        for (Path dir : List.of(out, out.resolve(BatchGrader.RESULTS))) {
            assertThat(GraderProcess.names(dir)).as("no temporary file in " + dir).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void theThreeReportsOfARunAgree() throws Exception {
        JsonNode p = ResultStore.JSON.readTree(prepared.resolve(Reports.PROVENANCE).toFile());
        assertThat(p.at("/reports_sha256/scores.csv").asText()).isEqualTo(sha256(prepared.resolve(Reports.SCORES)));
        assertThat(p.at("/reports_sha256/details.csv").asText()).isEqualTo(sha256(prepared.resolve(Reports.DETAILS)));
        assertThat(p.at("/submissions/compile-error").asInt()).isEqualTo(BROKEN);
        assertThat(p.at("/submissions/graded").asInt()).isEqualTo(GRADED);
        assertThat(Files.readAllLines(prepared.resolve(Reports.SCORES))).hasSize(1 + 1 + GRADED + BROKEN);
    }

    @Test
    void aFileSizeLimitLeavesThePreviousReports() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")) || onPath("prlimit"),
                "prlimit (util-linux) is not installed: the file-size limit case cannot run here");
        Path out = copy("fsize");
        String largest = REPORTS.stream().max(java.util.Comparator.comparingInt(f -> before.get(f).length))
                .orElseThrow();
        long size = before.get(largest).length;
        assertThat(size).as(largest + " must be bigger than the grader's other files (the child's harness jar)")
                .isGreaterThan(200_000);
        // every other file the grader writes fits; the largest report does not; children may raise their own limit
        GraderProcess g = GraderProcess.start(List.of("prlimit", "--fsize=" + (size - 1) + ":unlimited"),
                args(out), tmp.resolve("fsize.log"));
        int code = g.waitFor(120);
        String log = g.log();
        assertThat(code).as(log).isEqualTo(2);
        assertThat(log).contains("grading 0 submission(s)")
                .contains("could not write the reports in " + out + ": cannot write " + out.resolve(largest)
                        + ": File too large")
                .contains(String.join(", ", REPORTS) + " are left as they were");
        assertLeftAsItWas(out);
    }

    @Test
    void aFullDiskLeavesThePreviousReports() throws Exception {
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                .strip());
        assumeTrue(root, "mounting a small tmpfs needs root: the full-disk case runs as root only (CI runs as root)");
        Path out = copy("full");
        long used = 0;
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                used += (Files.size(p) + 4095) / 4096 * 4096 + 4096;
            }
        }
        long size = used + before.get(Reports.DETAILS).length / 4;
        Path inside = Files.createDirectories(tmp.resolve("full-mount"));
        Path after = tmp.resolve("full-after");
        List<String> grade = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+DisableAttachMechanism", "-Dgrader.home=" + TestFiles.root(), "-cp",
                System.getProperty("java.class.path"), backprop.grader.cli.Main.class.getName()));
        grade.addAll(args(inside));
        // in a mount namespace of its own, so the small disk vanishes with it whatever happens
        String script = "set -e; mount -t tmpfs -o size=" + size + " tmpfs \"$1\" || exit 97; cp -a \"$2\"/. \"$1\"/; shift 3; "
                + "set +e; \"$@\"; code=$?; set -e; cp -a \"$0\"/. \"$DEST\"/; exit $code";
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script,
                inside.toString(), inside.toString(), out.toString(), "--"));
        cmd.addAll(grade);
        Files.createDirectories(after);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("full.log").toFile());
        pb.environment().put("DEST", after.toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(tmp.resolve("full.log"));
        assumeTrue(p.exitValue() != 97 && !log.startsWith("unshare:"), "cannot mount a tmpfs here: " + log);
        assertThat(p.exitValue()).as(log).isEqualTo(2);
        assertThat(log).contains("could not write the reports in " + inside)
                .contains(": No space left on device")
                .contains("are left as they were");
        assertLeftAsItWas(after);
    }

    @Test
    void aRenameThatFailsSaysWhichReportsWereReplaced() throws Exception {
        Path out = copy("rename");
        Files.delete(out.resolve(Reports.PROVENANCE));
        Files.createDirectories(out.resolve(Reports.PROVENANCE).resolve("in-the-way"));
        GraderProcess.Run r = GraderProcess.inProcess(args(out));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("the reports in " + out + " are not all from this run: cannot replace "
                + out.resolve(Reports.PROVENANCE)).contains("replaced scores.csv, details.csv, index.html, summary.md, but not provenance.json")
                .contains("Run the same command again");
        assertThat(GraderProcess.names(out)).noneMatch(n -> n.endsWith(".tmp"));
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
