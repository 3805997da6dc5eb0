package backprop.grader.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The budget every file must stay within: the shipped files pass with room to spare, and the files that ran
 * {@code validate} for minutes or out of memory are refused at the line that asks for too much, before anything
 * runs.
 */
class BudgetTest {

    private static String shipped(String id) throws IOException {
        return Files.readString(TestFiles.publicAssignments().resolve(id + ".yaml"), StandardCharsets.UTF_8);
    }

    private static Budget.Estimate estimate(Assignment a) {
        return Budget.estimate(a, Checkpoint::location, new Location(a.file(), 1, 1, ""));
    }

    private static Problem onlyProblem(String name, String yaml) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> AssignmentReader.read(Path.of(name),
                yaml));
        assertThat(e).as(name + " must be refused").isNotNull();
        assertThat(e.problems()).as(name).hasSize(1);
        return e.problems().get(0);
    }

    private static int lineOf(String text, String part) {
        List<String> lines = text.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(part)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + part);
    }

    /** The scale network with an optimizer and one more checkpoint: b2 after {@code steps} steps. */
    private static String scaleWithSteps(int steps) throws IOException {
        return shipped("scale-784-128-10").replace("loss: L\n", "loss: L\noptimizer: {method: sgd, "
                + "learning_rate: 0.1}\n") + "  - parameter: b2\n    after_steps: " + steps + "\n    expected: "
                + "reference\n";
    }

    @Test
    void everyShippedFileNeedsLessThanAQuarterOfTheBudget() {
        for (Assignment a : TestFiles.assignments()) {
            Budget.Estimate e = estimate(a);
            assertThat(e.work()).as(a.id() + " work").isPositive().isLessThan(Budget.MAX_WORK / 4);
            assertThat(e.entries()).as(a.id() + " entries").isPositive().isLessThan(Budget.MAX_ENTRIES / 4);
        }
    }

    @Test
    void theScaleNetworkIsTheLargestShippedFileAndItsCostIsItsFiniteDifferences() {
        Budget.Estimate scale = estimate(TestFiles.assignment("scale-784-128-10"));
        for (Assignment a : TestFiles.assignments()) {
            assertThat(estimate(a).work()).as(a.id()).isLessThanOrEqualTo(scale.work());
        }
        // One forward pass is 16·784·128 + 16·128·10 multiply-adds (and the bias): about 1.6 million.
        Budget.Part graph = scale.parts().get(0);
        assertThat(graph.work()).isBetween(3 * 1_600_000L, 3 * 1_700_000L);
        assertThat(scale.parts()).hasSize(5);
    }

    @Test
    void aMillionStepsOnTheScaleNetworkAreRefusedAtTheAfterStepsLine() throws IOException {
        String yaml = scaleWithSteps(1_000_000);
        Problem p = onlyProblem("million.yaml", yaml);
        assertThat(p.location().line()).isEqualTo(lineOf(yaml, "after_steps: 1000000"));
        assertThat(p.location().path()).isEqualTo("checkpoints[5].after_steps");
        assertThat(p.message()).startsWith("running this file would take about 5.3e12 operations, over the budget of "
                + "3.0e9 and hold about 1.0e11 matrix entries").endsWith("(see 'The budget' in assignments/README.md); "
                + "most of it goes to 1,000,000 optimizer steps of about 5.3e6 operations each (101,770 parameter "
                + "entries, kept after every step)");
    }

    @ParameterizedTest
    @ValueSource(ints = {2000, 1_000_000})
    void manyStepsAreRefusedOnTheScaleNetwork(int steps) throws IOException {
        assertThat(onlyProblem("steps.yaml", scaleWithSteps(steps)).message()).contains(String.format(
                java.util.Locale.ROOT, "%,d optimizer steps", steps));
    }

    @Test
    void fiftyStepsOnTheScaleNetworkFitAndAHundredHoldTooManyParameters() throws IOException, SpecException {
        Assignment a = AssignmentReader.read(Path.of("fifty.yaml"), scaleWithSteps(50).replace(
                "id: scale-784-128-10", "id: fifty"));
        assertThat(estimate(a).work()).isLessThan(Budget.MAX_WORK);
        assertThat(estimate(a).entries()).isLessThan(Budget.MAX_ENTRIES);

        String yaml = scaleWithSteps(100);
        Problem p = onlyProblem("hundred.yaml", yaml);
        assertThat(p.location().line()).isEqualTo(lineOf(yaml, "after_steps: 100"));
        assertThat(p.message()).startsWith("running this file would hold about 1.1e7 matrix entries (86 MiB) at once, "
                + "over the budget of 8,388,608 (64 MiB)").contains("most of them are for 100 optimizer steps");
    }

    @Test
    void aMillionStepsOnATwoTwoOneNetworkAreRefusedForTheirCallsAlone() throws IOException {
        String yaml = shipped("seed-004");
        int line = lineOf(yaml, "after_steps: 1");
        List<String> lines = new java.util.ArrayList<>(yaml.lines().toList());
        lines.set(line - 1, lines.get(line - 1).replace("after_steps: 1", "after_steps: 1000000"));
        Problem p = onlyProblem("small.yaml", String.join("\n", lines) + "\n");
        assertThat(p.location().line()).isEqualTo(line);
        assertThat(p.message()).contains("1,000,000 optimizer steps").contains("(9 parameter entries");
    }

    @Test
    void aGraphWhoseValuesDoNotFitInMemoryIsRefusedAtTheGraph() {
        StringBuilder sb = new StringBuilder("id: wide\ntitle: wide\ninputs:\n  x: {constant: 1, shape: [2048, "
                + "1024]}\ngraph:\n  - {node: n0, op: relu, inputs: [x]}\n");
        for (int i = 1; i < 10; i++) {
            sb.append("  - {node: n").append(i).append(", op: relu, inputs: [n").append(i - 1).append("]}\n");
        }
        sb.append("upstream:\n  n9: {constant: 1, shape: [2048, 1024]}\n");
        String yaml = sb.toString().replace("upstream:\n  n9: {constant: 1, shape: [2048, 1024]}\n",
                "targets:\n  t: {constant: 0, shape: [2048, 1024]}\n  \nloss: J\n").replace("graph:\n",
                "graph:\n  - {node: J, op: squared_error, inputs: [n9, t]}\n");
        Problem p = onlyProblem("wide.yaml", yaml);
        assertThat(p.location().line()).isEqualTo(lineOf(yaml, "graph:"));
        assertThat(p.location().path()).isEqualTo("graph");
        assertThat(p.message()).startsWith("running this file would hold about 5.0e7 matrix entries (384 MiB) at "
                + "once, over the budget of 8,388,608 (64 MiB)").endsWith("most of them are for the forward and "
                + "backward pass of the graph (11 nodes)");
    }

    @Test
    void aUnitCheckTooLargeToHoldIsRefusedAtItsLine() {
        String yaml = "id: big-unit\ntitle: big\nunit_checks:\n  - {op: relu, shape: [3, 4]}\n"
                + "  - {op: affine, shape: [2048, 2048, 1]}\n";
        Problem p = onlyProblem("unit.yaml", yaml);
        assertThat(p.location().line()).isEqualTo(5);
        assertThat(p.message()).contains("at once, over the budget").contains("the unit check of affine");
    }

    @Test
    void countsAreWrittenShortly() {
        assertThat(Budget.sci(9_999)).isEqualTo("9999");
        assertThat(Budget.sci(2_000_000_000L)).isEqualTo("2.0e9");
        assertThat(Budget.sci(5_312_345_678_901L)).isEqualTo("5.3e12");
    }
}
