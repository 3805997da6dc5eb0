package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grader validate} on a folder where most files are bad: every file is reported, each problem at its line,
 * a bad file never stops the others, and nothing prints a stack trace, not even a file that runs the grader out of
 * memory.
 */
class ValidateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String seed004() throws Exception {
        return Files.readString(TestFiles.publicAssignments().resolve("seed-004.yaml"), StandardCharsets.UTF_8);
    }

    /** The compiled reference when the build made it (a child JVM with a small heap should not run javac). */
    private static String reference() {
        Path classes = TestFiles.root().resolve("grader/reference/target/classes");
        return Files.isRegularFile(classes.resolve("homework/Backprop.class")) ? classes.toString()
                : TestFiles.referenceSources().toString();
    }

    private static void assertNoStackTrace(String text) {
        assertThat(text).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error:");
    }

    @Test
    void everyFileIsReportedAndTheGoodOnesPass(@TempDir Path dir) throws Exception {
        String good = seed004();
        Files.writeString(dir.resolve("a-good.yaml"), good);
        Files.write(dir.resolve("b-latin1.yaml"), good.replace("id: seed-004", "id: latin")
                .replace("title: ", "title: Réseau ").getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("c-steps.yaml"), good.replace("id: seed-004", "id: steps")
                .replaceFirst("after_steps: 1", "after_steps: 1000000"));
        Files.writeString(dir.resolve("d-two-docs.yaml"), good.replace("id: seed-004", "id: two") + "---\nid: x\n");
        Files.writeString(dir.resolve("e-same-id.yaml"), good);
        Files.writeString(dir.resolve("f-good.yaml"), good.replace("id: seed-004", "id: again"));

        int code = run("validate", "--reference", reference(), dir.toString());

        String text = out.toString();
        assertThat(code).as(text).isEqualTo(Main.SOME_FAILED);
        assertThat(text).contains("ok   " + dir.resolve("a-good.yaml") + " (seed-004)")
                .contains("BAD  " + dir.resolve("b-latin1.yaml") + "\n" + dir.resolve("b-latin1.yaml") + ":2:")
                .contains("the file is not UTF-8 text")
                .contains(dir.resolve("c-steps.yaml") + ":66:18 (checkpoints[10].after_steps): running this file "
                        + "would take about 1.9e10 operations")
                .contains(dir.resolve("d-two-docs.yaml") + ":82:1: a second YAML document")
                .contains(dir.resolve("e-same-id.yaml") + ":1:1 (id): the id 'seed-004' is already used by "
                        + dir.resolve("a-good.yaml"))
                .contains("ok   " + dir.resolve("f-good.yaml") + " (again)")
                .contains("6 file(s), 4 problem(s)");
        assertNoStackTrace(text + err);
    }

    @Test
    void aFileThatRunsTheGraderOutOfMemoryIsAProblemOfThatFileAndTheNextIsStillValidated(@TempDir Path dir)
            throws Exception {
        // Within the budget (2 × 4,194,304 entries), but more than a 48 MiB heap holds: in a JVM of its own.
        Files.writeString(dir.resolve("a-big.yaml"), String.join("\n", "id: big", "title: big",
                "inputs:", "  x: {random: normal, seed: 1, shape: [2048, 2048]}",
                "  y: {random: normal, seed: 2, shape: [2048, 2048]}",
                "graph:", "  - {node: z, op: add, inputs: [x, y]}",
                "upstream:", "  z: {constant: 1, shape: [2048, 2048]}", ""));
        Files.writeString(dir.resolve("b-good.yaml"), seed004());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                "-Dgrader.home=" + TestFiles.root(), Main.class.getName(), "validate", "--reference", reference(),
                dir.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(text).isEqualTo(Main.SOME_FAILED);
        assertThat(text).contains(dir.resolve("a-big.yaml") + ":1:1: could not be read: the grader ran out of memory "
                + "on it").contains("ok   " + dir.resolve("b-good.yaml") + " (seed-004)")
                .contains("2 file(s), 1 problem(s)");
        assertNoStackTrace(text);
    }

    @Test
    void aChainOfTenThousandNodesIsFilledAndValidatedWithoutOverflowingTheStack(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("id: chain\ntitle: chain\ninputs:\n  x: [0.5, -0.25]\ngraph:\n");
        String prev = "x";
        for (int i = 0; i < 10_000; i++) {
            sb.append("  - {node: n").append(i).append(", op: tanh, inputs: [").append(prev).append("]}\n");
            prev = "n" + i;
        }
        sb.append("upstream:\n  ").append(prev).append(": [1, 1]\ncheckpoints:\n  - {gradient: x, expected: fill}\n");
        Path file = dir.resolve("chain.yaml");
        Files.writeString(file, sb.toString());

        assertThat(run("fill", "--reference", reference(), file.toString())).as(out.toString()).isZero();
        assertThat(run("validate", "--reference", reference(), file.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("ok   " + file + " (chain)");
        assertNoStackTrace(out.toString() + err);
    }

    @Test
    void theAssignmentsOptionIsTheSameAsPaths() throws Exception {
        String file = TestFiles.publicAssignments().resolve("seed-000.yaml").toString();
        assertThat(run("validate", "--reference", reference(), "--assignments", file)).isZero();
        assertThat(out.toString()).contains("1 file(s), 0 problem(s)");
    }

    @Test
    void aMissingFileIsABadUsageNotAStackTrace() {
        assertThat(run("validate", "--reference", reference(), "/no/such/file.yaml")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("no such file or folder: /no/such/file.yaml");
        assertNoStackTrace(out.toString() + err);
    }
}
