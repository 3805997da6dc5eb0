package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grader grade}: the bundled sample class, and the exit codes. */
class GradeCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void withNoSubmissionsItGradesTheBundledSampleClass(@TempDir Path dir) throws Exception {
        int code = run("grade", "--out", dir.toString(), "--timeout", "8");
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(err.toString()).contains("grading the bundled sample class, made from grader/samples/class")
                .contains("sandbox: ");
        assertThat(out.toString()).contains("5 submission(s): 4 graded, 1 compile-error")
                .contains("scores.csv");
        List<String> lines = Files.readAllLines(dir.resolve("scores.csv"));
        assertThat(lines.get(0)).startsWith("student,name,").contains(",ops,")
                .endsWith(",total,maximum,percent,status,reason");
        assertThat(lines.get(1)).startsWith("(points possible),,");
        assertThat(lines).anyMatch(l -> l.startsWith("alice,") && l.contains(",100.00,graded,all "))
                .anyMatch(l -> l.startsWith("bob,") && l.contains(",graded,") && !l.contains("100.00"))
                .anyMatch(l -> l.startsWith("carol,") && l.contains(",0.00,graded,"))
                .anyMatch(l -> l.startsWith("dave,") && l.contains(",compile-error,does not compile: Relu.java:"))
                .anyMatch(l -> l.startsWith("erin,") && l.contains(",graded,") && !l.contains("100.00"));
        // erin's sigmoid never returns at z = 0 (first met in seed-001): only the checks that need it are lost
        String erin = lines.stream().filter(l -> l.startsWith("erin,")).findFirst().orElseThrow();
        assertThat(erin.split(",")[2]).isNotEqualTo("0");
        assertThat(Files.readString(dir.resolve("details.csv"))).contains("erin,seed-001,")
                .contains("Sigmoid.forward did not return within 2 s; it was at Sigmoid.java:")
                .contains("skipped: Sigmoid.forward hung earlier");
        assertThat(dir.resolve("details.csv")).exists();
        assertThat(dir.resolve("provenance.json")).exists();

        // made again from the same sources, the class hashes the same: every result is kept
        out.getBuffer().setLength(0);
        assertThat(run("grade", "--out", dir.toString(), "--timeout", "8")).isZero();
        assertThat(out.toString()).contains("5 submission(s): 4 graded, 1 compile-error (5 kept from an "
                + "earlier run)");
    }

    @Test
    void aFileOrAnEmptyFolderIsNoClassAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("class.csv"), "id\n");
        assertThat(run("grade", "--submissions", file.toString(), "--out", dir.resolve("out").toString()))
                .isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains(file + " is a file, not a folder of submissions");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(run("grade", "--submissions", empty.toString(), "--out", dir.resolve("out").toString()))
                .isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("no submissions in " + empty);
        assertThat(dir.resolve("out/scores.csv")).doesNotExist();
    }

    @Test
    void noUsableAssignmentStopsTheRunNamingTheFileAndLeavesNoCompileProcess(@TempDir Path dir) throws Exception {
        Path assignments = Files.createDirectories(dir.resolve("assignments"));
        Files.writeString(assignments.resolve("broken.yaml"), "id: broken\ngraph: [unclosed\n");
        // the compile processes start while the assignments are read: a run that stops there must end them too
        int code = run("grade", "--submissions", backprop.grader.TestFiles.sampleClass().toString(), "--assignments",
                assignments.toString(), "--out", dir.resolve("out").toString());
        assertThat(code).as(out + "\n" + err).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("broken.yaml").contains("no usable assignment");
        assertThat(dir.resolve("out/scores.csv")).doesNotExist();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.info().commandLine().orElse(""))
                .filter(c -> c.contains(backprop.grader.compile.CompileServer.class.getName())))
                .as("compile processes still running").isEmpty();
    }

    @Test
    void byDefaultOneMoreJobThanCores() {
        int jobs = Runtime.getRuntime().availableProcessors() + 1;
        assertThat(backprop.grader.batch.BatchGrader.defaultJobs()).isEqualTo(jobs);
        assertThat(run("grade", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("one more than the cores, " + jobs + ")");
    }

    @Test
    void badUsageExitsTwo(@TempDir Path dir) {
        assertThat(run("grade", "--submissions", dir.resolve("nope").toString(), "--out", dir.toString()))
                .isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("no such submissions folder");
        assertThat(run("grade", "--sandbox", "chroot")).isEqualTo(Main.GRADER_ERROR);
        assertThat(run("grade", "--jobs", "0")).isEqualTo(Main.GRADER_ERROR);
        assertThat(run("grade", "--heap", "lots")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("not a size");
    }

    @Test
    void sizesReadLikeJvmOptions() {
        assertThat(GradeCommand.size("256m", 1)).isEqualTo(256L << 20);
        assertThat(GradeCommand.size("1g", 1)).isEqualTo(1L << 30);
        assertThat(GradeCommand.size("512k", 1)).isEqualTo(512L << 10);
        assertThat(GradeCommand.size("300", 1 << 20)).isEqualTo(300L << 20);
    }
}
