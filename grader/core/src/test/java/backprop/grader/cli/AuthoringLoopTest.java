package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instructor's loop, as the README's "Writing a new assignment" walks it: write the graph and checkpoints,
 * {@code fill --check}, {@code fill}, {@code validate}, then {@code check} the reference (hidden checks marked)
 * and the stubs against the new file.
 */
class AuthoringLoopTest {
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String ref() {
        return TestFiles.referenceSources().toString();
    }

    private static final String NEW = String.join("\n",
            "id: two-layer-sigmoid",
            "title: A 2-2-1 sigmoid network",
            "source: written for this test",
            "description: |",
            "  Forward and backward through two sigmoid layers, then one SGD step.",
            "inputs:",
            "  x: [0.5, -0.25]",
            "targets:",
            "  t: [1]",
            "parameters:",
            "  W1: {random: normal, seed: 7, std: 0.5, shape: [2, 2]}",
            "  b1: {constant: 0.1, shape: [1, 2]}",
            "  W2: [[0.3, -0.6]]",
            "  b2: [0]",
            "graph:",
            "  - {node: z1, op: affine, inputs: [x, W1, b1]}",
            "  - {node: h, op: sigmoid, inputs: [z1]}",
            "  - {node: z2, op: affine, inputs: [h, W2, b2]}",
            "  - {node: y, op: sigmoid, inputs: [z2]}",
            "  - {node: L, op: binary_cross_entropy, inputs: [y, t]}",
            "loss: L",
            "optimizer: {method: sgd, learning_rate: 0.5}",
            "checkpoints:",
            "  - forward: y",
            "    expected: fill",
            "  - forward: L",
            "  - gradient: W2",
            "    expected: fill",
            "    points: 2",
            "  - gradient: W1",
            "    expected: fill",
            "    points: 2",
            "    visibility: hidden",
            "  - parameter: W1",
            "    after_steps: 2",
            "    expected: fill",
            "    points: 2",
            "");

    @Test
    void fromPlaceholdersToAFileTheReferencePasses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("public/two-layer-sigmoid.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, NEW);

        assertThat(run("validate", "--reference", ref(), file.toString())).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains(file + ":25:15 (checkpoints[0].expected): checkpoints[0].expected is "
                + "still the placeholder 'fill'").contains(file + ":26:5 (checkpoints[1].expected): missing required "
                + "field 'expected'");

        assertThat(run("fill", "--check", "--reference", ref(), file.toString())).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("BAD  " + file).contains(file + ":25:15 (checkpoints[0].expected): 'y' "
                + "has no value yet; the reference computes [0.").contains("'dL/dW1' has no value yet");
        assertThat(Files.readString(file)).isEqualTo(NEW);

        assertThat(run("fill", "--reference", ref(), file.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("ok   " + file + ": 5 value(s) written");

        assertThat(run("fill", "--check", "--reference", ref(), "--assignments", dir.toString())).isZero();
        assertThat(run("validate", "--reference", ref(), dir.toString())).as(out.toString()).isZero();

        assertThat(run("check", "--submission", ref(), "--reference", ref(), "--assignments", dir.toString()))
                .as(out.toString()).isZero();
        assertThat(out.toString()).contains("dL/dW1 [hidden]").contains("W1 after 2 steps ")
                .doesNotContain("dL/dW2 [hidden]").contains("1 of these checks are hidden (marked [hidden])");

        assertThat(run("check", "--submission", TestFiles.root().resolve("student-template").toString(),
                "--reference", ref(), "--assignments", dir.toString())).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("Total: 0 / 8 points");
    }

    @Test
    void theReadmesExampleGoesThroughTheLoopAsTheReadmeSays(@TempDir Path dir) throws Exception {
        String readme = Files.readString(TestFiles.root().resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Writing a new assignment"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n",
                section.indexOf("```yaml\n") + 8));
        Path file = dir.resolve("public/tanh-skip.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);

        assertThat(run("fill", "--reference", ref(), file.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("5 value(s) written");
        assertThat(run("validate", "--reference", ref(), dir.toString())).as(out.toString()).isZero();
        assertThat(run("check", "--submission", ref(), "--reference", ref(), "--assignments", file.toString()))
                .as(out.toString()).isZero();
        assertThat(out.toString()).contains("dL/dS [hidden]").contains("Total: 8 / 8 points (100%)");
    }

    @Test
    void aHandWrittenValueThatDisagreesIsShownBesideTheReferencesAndCorrected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seed-004.yaml");
        String text = Files.readString(TestFiles.publicAssignments().resolve("seed-004.yaml"));
        int line = text.lines().toList().indexOf("  - forward: y") + 2;
        String wrong = text.replaceFirst("(?m)^(  - forward: y\n    expected: )\\[[^]]*]", "$1[4.5]");
        assertThat(wrong).isNotEqualTo(text);
        Files.writeString(file, wrong);

        assertThat(run("fill", "--check", "--reference", ref(), file.toString())).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains(file + ":" + line + ":15 (checkpoints[").contains("the file says 4.5, "
                + "the reference computes ");

        assertThat(run("fill", "--reference", ref(), file.toString())).isZero();
        assertThat(out.toString()).contains("'y' was [4.5], now [");
        assertThat(run("validate", "--reference", ref(), file.toString())).isZero();
    }

    @Test
    void fillNeedsFilesAndRefusesAFileWithProblems(@TempDir Path dir) throws Exception {
        assertThat(run("fill")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("name the files to fill");

        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, NEW.replace("op: sigmoid, inputs: [z1]", "op: sigmod, inputs: [z1]"));
        assertThat(run("fill", "--reference", ref(), file.toString())).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("BAD  " + file + ": not filled, it has problems")
                .contains(file + ":17:").contains("unknown op 'sigmod'");
        assertThat(Files.readString(file)).contains("expected: fill");
    }
}
