package backprop.grader.author;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.check.Grader;
import backprop.grader.check.Validator;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Literals;
import backprop.grader.spec.Source;
import backprop.grader.spec.SpecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grader fill}: every kind of checkpoint filled from placeholders with the reference's values, nothing else
 * in the file touched (comments, blank lines, key order, odd spacing, line ends, a byte-order mark), a second fill
 * changing nothing, and a file with problems left alone.
 */
class FillerTest {
    @TempDir
    Path dir;

    /**
     * An author's file before fill: every checkpoint kind, placeholders written both ways (and in block and flow
     * mappings), a wrong value written row by row, one that agrees to ten digits, and one the reference computes.
     */
    private static final String BEFORE = String.join("\n",
            "# A network written by hand; fill writes its numbers.   ",
            "id: fill-all",
            "title:   every kind of checkpoint",
            "inputs:",
            "  x: [[1, 2], [0.5, -1]]     # two examples",
            "",
            "targets:",
            "  t: [[1], [0]]",
            "parameters:",
            "  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]",
            "  b1: [0, 0, 0]",
            "  W2: [[1, -1, 0.5]]",
            "  b2: [0]",
            "graph:",
            "  - {node: a1, op: affine, inputs: [x, W1, b1]}",
            "  - {node: h, op: tanh, inputs: [a1]}",
            "  - {node: y, op: affine, inputs: [h, W2, b2]}",
            "  - {node: J, op: mean_squared_error, inputs: [y, t]}",
            "loss: J",
            "optimizer: {method: sgd, learning_rate: 0.1, momentum: 0.9}",
            "checkpoints:",
            "  - forward: a1",
            "    expected: fill      # the first layer",
            "    points: 1",
            "  -   expected:    fill",
            "      forward: J",
            "  - {gradient: W1, points: 2, expected: fill}",
            "  - gradient: b1   # no expected: fill puts it on the next line",
            "    hint: as for W1, summed over the batch",
            "  - {gradient: x, points: 1}",
            "",
            "  # three steps with momentum",
            "  - parameter: W2",
            "    after_steps: 3",
            "    expected: fill",
            "  - parameter: b1",
            "    expected:",
            "      - [9, 9, 9]",
            "  - forward: h",
            "    expected: [[9, 9, 9],",
            "               [9, 9, 9]]   # wrong, and written row by row",
            "  - forward: y",
            "    expected: AGREES",
            "  - gradient: W2",
            "    expected: reference",
            "");

    private Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    /** Each checkpoint's value as the reference computes it, by checkpoint id. */
    private static Map<String, Matrix> referenceValues(String text) throws SpecException {
        Assignment a = AssignmentReader.readForFill(Source.of(Path.of("values.yaml"), text));
        Map<String, Matrix> out = new HashMap<>();
        for (Validator.Value v : Validator.run(a, new Grader(List.of(a), Optional.of(TestFiles.reference())))
                .values()) {
            out.put(v.checkpoint().id(), v.reference().orElseThrow());
        }
        return out;
    }

    private static String v(Map<String, Matrix> values, String id) {
        return Literals.matrix(values.get(id));
    }

    /** The file with y's value written to ten significant digits: within the tolerance, not exact. */
    private static String before(Map<String, Matrix> values) {
        Matrix y = values.get("y");
        return BEFORE.replace("AGREES", "[[" + String.format(java.util.Locale.ROOT, "%.10g", y.get(0, 0)) + "], ["
                + String.format(java.util.Locale.ROOT, "%.10g", y.get(1, 0)) + "]]");
    }

    /** What fill must make of {@link #before}: only the values differ. */
    private static String after(Map<String, Matrix> values) {
        Matrix h = values.get("h");
        return before(values)
                .replace("    expected: fill      # the first layer", "    expected: " + v(values, "a1")
                        + "      # the first layer")
                .replace("  -   expected:    fill", "  -   expected:    " + v(values, "J"))
                .replace("{gradient: W1, points: 2, expected: fill}", "{gradient: W1, points: 2, expected: "
                        + v(values, "dJ/dW1") + "}")
                .replace("  - gradient: b1   # no expected: fill puts it on the next line\n", "  - gradient: b1   "
                        + "# no expected: fill puts it on the next line\n    expected: " + v(values, "dJ/db1") + "\n")
                .replace("{gradient: x, points: 1}", "{gradient: x, expected: " + v(values, "dJ/dx") + ", points: 1}")
                .replace("    after_steps: 3\n    expected: fill", "    after_steps: 3\n    expected: "
                        + v(values, "W2 after 3 steps"))
                .replace("    expected:\n      - [9, 9, 9]", "    expected: " + v(values, "b1 after 1 step"))
                .replace("    expected: [[9, 9, 9],\n               [9, 9, 9]]", "    expected: ["
                        + Literals.matrix(Matrix.row(h.toArray()[0])) + ",\n               "
                        + Literals.matrix(Matrix.row(h.toArray()[1])) + "]");
    }

    @Test
    void everyKindOfCheckpointIsFilledAndNothingElseChanges() throws Exception {
        Map<String, Matrix> values = referenceValues(BEFORE.replace("AGREES", "fill"));
        Path f = file("fill-all", before(values));

        Filler.Plan plan = Filler.plan(f, TestFiles.reference(), false);
        Filler.write(plan);

        assertThat(Files.readString(f)).isEqualTo(after(values));
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.changes()).extracting(c -> c.checkpoint().id()).containsExactly("a1", "J", "dJ/dW1", "dJ/db1",
                "dJ/dx", "W2 after 3 steps", "b1 after 1 step", "h");
        assertThat(plan.changes()).extracting(Filler.Change::reason).containsExactly(Filler.Reason.FILLED,
                Filler.Reason.FILLED, Filler.Reason.FILLED, Filler.Reason.FILLED, Filler.Reason.FILLED,
                Filler.Reason.FILLED, Filler.Reason.CORRECTED, Filler.Reason.CORRECTED);
    }

    @Test
    void theFilledFileValidatesAndEveryValueIsTheReferencesToTheLastBit() throws Exception {
        Map<String, Matrix> values = referenceValues(BEFORE.replace("AGREES", "fill"));
        Path f = file("fill-all", before(values));
        Filler.write(Filler.plan(f, TestFiles.reference(), false));

        Assignment a = AssignmentReader.read(f);
        assertThat(Validator.validate(a, new Grader(List.of(a), Optional.of(TestFiles.reference())))).isEmpty();
        for (Checkpoint cp : a.checkpoints()) {
            if (!cp.fromReference() && !cp.id().equals("y")) {
                assertThat(cp.expected().toArray()).as(cp.id()).isDeepEqualTo(values.get(cp.id()).toArray());
            }
        }
    }

    @Test
    void aSecondFillChangesNothing() throws Exception {
        Map<String, Matrix> values = referenceValues(BEFORE.replace("AGREES", "fill"));
        Path f = file("fill-all", before(values));
        Filler.write(Filler.plan(f, TestFiles.reference(), false));
        byte[] once = Files.readAllBytes(f);

        Filler.Plan again = Filler.plan(f, TestFiles.reference(), false);
        Filler.write(again);

        assertThat(again.changes()).isEmpty();
        assertThat(again.changed()).isFalse();
        assertThat(Files.readAllBytes(f)).isEqualTo(once);
    }

    @Test
    void crlfLineEndsAndAByteOrderMarkStay() throws Exception {
        Map<String, Matrix> values = referenceValues(BEFORE.replace("AGREES", "fill"));
        Path f = dir.resolve("crlf.yaml");
        Files.write(f, ("\uFEFF" + before(values).replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8));

        Filler.write(Filler.plan(f, TestFiles.reference(), false));

        byte[] expected = ("\uFEFF" + after(values).replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).isEqualTo(new String(expected,
                StandardCharsets.UTF_8));
        assertThat(Files.readAllBytes(f)).isEqualTo(expected);
    }

    @Test
    void expectedReferenceIsLeftAloneUnlessAsked() throws Exception {
        Map<String, Matrix> values = referenceValues(BEFORE.replace("AGREES", "fill"));
        Path f = file("fill-all", before(values));
        Filler.write(Filler.plan(f, TestFiles.reference(), false));
        assertThat(Files.readString(f)).contains("  - gradient: W2\n    expected: reference\n");

        Filler.Plan expand = Filler.plan(f, TestFiles.reference(), true);
        Filler.write(expand);

        assertThat(expand.changes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(Filler.Reason.EXPANDED);
            assertThat(c.before()).isEqualTo("reference");
        });
        assertThat(Files.readString(f)).contains("  - gradient: W2\n    expected: " + v(values, "dJ/dW2") + "\n");
    }

    @Test
    void aFileWithProblemsIsNotFilledAndNotTouched() throws Exception {
        String bad = BEFORE.replace("AGREES", "fill").replace("op: tanh", "op: tahn");
        Path f = file("bad", bad);

        SpecException e = catchThrowableOfType(SpecException.class, () -> Filler.plan(f, TestFiles.reference(),
                false));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(16);
            assertThat(p.message()).startsWith("unknown op 'tahn' (did you mean 'tanh'?)");
        });
        assertThat(Files.readString(f)).isEqualTo(bad);
    }

    @Test
    void aValueTooLargeToWriteIsAProblemAndTheOthersAreStillWritten() throws Exception {
        String scale = Files.readString(TestFiles.publicAssignments().resolve("scale-784-128-10.yaml"))
                .replace("expected: [2.698708492]", "expected: fill")
                .replaceFirst("  - gradient: W1\n    expected: reference", "  - gradient: W1\n    expected: fill")
                .replaceFirst("  - gradient: b2\n    expected: reference", "  - gradient: b2\n    expected: fill");
        Path f = file("scale", scale);

        Filler.Plan plan = Filler.plan(f, TestFiles.reference(), false);
        Filler.write(plan);

        assertThat(plan.changes()).extracting(c -> c.checkpoint().id()).containsExactly("L", "dL/db2");
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(scale.lines().toList().indexOf("  - gradient: W1") + 2);
            assertThat(p.message()).isEqualTo("the value of 'dL/dW1' has 100,352 entries, too many to write into the "
                    + "file (at most 4,096); write 'expected: reference' and the reference computes it at grading "
                    + "time");
        });
        assertThat(Files.readString(f)).contains("  - gradient: W1\n    expected: fill\n");
    }

    @Test
    void aShippedFileIsAlreadyFilled() throws Exception {
        for (String id : List.of("seed-000", "seed-003a", "seed-002e", "ops")) {
            Path f = file(id, Files.readString(TestFiles.publicAssignments().resolve(id + ".yaml")));
            Filler.Plan plan = Filler.plan(f, TestFiles.reference(), false);
            assertThat(plan.changes()).as(id).isEmpty();
            assertThat(plan.problems()).as(id).isEmpty();
        }
    }
}
