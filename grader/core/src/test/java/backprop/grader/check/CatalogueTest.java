package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.bench.DiagnosisBench;
import backprop.grader.bench.DiagnosisBench.Measured;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis catalogue's targets (the table {@code grader bench --only diagnosis} prints): every one-bug
 * submission detected, localized to the right method and costing points in a graph assignment; a fitting likely
 * cause for at least 90 % of them; no false alarm on a correct variant; and a student's local run saying the same as
 * the graded one. Then the words themselves: never an empty cause, never a cause that is only a verdict, never the
 * squared error's formulas for another loss or for the optimizer, never "1 entries".
 */
class CatalogueTest {
    private static List<Measured> rows;

    @BeforeAll
    static void gradeTheCatalogue() throws Exception {
        rows = DiagnosisBench.run(TestFiles.root(), TestFiles.reference(), TestFiles.assignments(),
                new PrintWriter(new StringWriter()));
    }

    private static Stream<Measured> bugs() {
        return rows.stream().filter(m -> !m.entry().correct());
    }

    @Test
    void theCatalogueHasAnEntryForEveryClassicMistakeAndSomeCorrectVariants() {
        assertThat(bugs().count()).isGreaterThanOrEqualTo(30);
        assertThat(rows.stream().filter(m -> m.entry().correct()).count()).isGreaterThanOrEqualTo(6);
        assertThat(bugs().map(m -> m.entry().component().orElseThrow()).distinct()).contains("Sigmoid.backward",
                "Tanh.backward", "Relu.backward", "Softmax.backward", "Affine.backward", "Linear.backward",
                "Product.backward", "Sum.backward", "SquaredError.gradient", "SquaredError.targetGradient",
                "MeanSquaredError.gradient", "SoftmaxCrossEntropy.gradient", "BinaryCrossEntropy.gradient",
                "CrossEntropy.gradient", "Backprop.backward", "Sgd.step");
    }

    @Test
    void everyBugIsDetectedLocalizedAndCostsPointsInAGraph() {
        assertThat(bugs()).allSatisfy(m -> {
            assertThat(m.detected()).as(m.entry().name() + " detected").isTrue();
            assertThat(m.localized()).as(m.entry().name() + " localized: " + m.misses()).isTrue();
            assertThat(m.graphPointsLost()).as(m.entry().name() + " costs points in a graph assignment").isPositive();
        });
    }

    @Test
    void aFittingCauseForAtLeastNinetyPercent() {
        long fits = bugs().filter(Measured::causeFits).count();
        assertThat(100.0 * fits / bugs().count()).as(bugs().filter(m -> !m.causeFits())
                .map(m -> m.entry().name() + " " + m.misses()).toList().toString()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void noFalseAlarmOnACorrectVariant() {
        assertThat(rows.stream().filter(m -> m.entry().correct())).allSatisfy(m ->
                assertThat(m.falseAlarms()).as(m.entry().name() + " " + m.misses()).isZero());
    }

    @Test
    void aLocalRunSaysWhatTheGradedRunSays() {
        int compared = rows.stream().mapToInt(Measured::compared).sum();
        assertThat(compared).isGreaterThan(500);
        assertThat(rows).allSatisfy(m -> assertThat(m.agreeing()).as(m.entry().name() + " " + m.misses())
                .isEqualTo(m.compared()));
    }

    @Test
    void aLikelyCauseIsNeverEmptyNorOnlyAVerdict() {
        allResults().forEach(r -> r.diagnosis().ifPresent(d -> assertThat(d).as(r.check())
                .isNotBlank().doesNotStartWith("verdict").doesNotContain("; verdict")));
        allResults().forEach(r -> r.blame().ifPresent(b -> assertThat(b).as(r.check()).isNotBlank()));
    }

    @Test
    void theSquaredErrorsFormulasOnlyExplainASquaredError() {
        Pattern squared = Pattern.compile("½\\(y − t\\)|½ Σ \\(y − t\\)|squared error");
        allResults().filter(r -> r.diagnosis().filter(d -> squared.matcher(d).find()).isPresent())
                .forEach(r -> assertThat(r.component().or(() -> Optional.of(r.check()))).as(r.assignment() + " "
                        + r.check() + ": " + r.diagnosis().get()).hasValueSatisfying(c -> assertThat(c)
                        .containsAnyOf("SquaredError", "MeanSquaredError", "squared_error", "mean_squared_error")));
    }

    @Test
    void countsAgreeWithTheirNouns() {
        Pattern plural = Pattern.compile("\\b1 (entries|checks|faults|contributions|examples|times|steps)\\b");
        allResults().forEach(r -> {
            for (String text : List.of(r.message(), r.blame().orElse(""), r.diagnosis().orElse(""))) {
                assertThat(plural.matcher(text).find()).as(text).isFalse();
            }
        });
    }

    @Test
    void anAuthorsHintIsShownOnlyWhereTheFaultMakesThatCheckWrongFirst() {
        // a wrong tanh' breaks seed-002a's dL/dz first; a Sum that feeds nothing to r breaks dL/dr first, and the
        // hint of dL/dz (about tanh) must not appear for it
        assertThat(result("tanh-derivative-from-input", "seed-002a", "dL/dz").hint()).isPresent();
        assertThat(result("sum-one-input-only", "seed-002a", "dL/dz").hint()).isEmpty();
        assertThat(result("sigmoid-derivative-as-sigmoid", "seed-001", "dL/dv").hint()).isEmpty();
        assertThat(result("fan-out-overwrite", "seed-001", "dL/dv").hint()).isPresent();
    }

    @Test
    void theOptimizerIsBlamedWhenTheGradientIsRightAndTheStepIsNot() {
        CheckResult r = result("sgd-momentum-ignored", "net-momentum", "W2 after 2 steps");
        assertThat(r.component()).hasValue("Sgd.step");
        assertThat(r.blame()).hasValueSatisfying(b -> assertThat(b).startsWith("at step 2 Sgd.step moves W2"));
        CheckResult later = result("tanh-derivative-from-input", "net-momentum", "W2 after 2 steps");
        assertThat(later.component()).as("W2 goes wrong because W1's gradient did").hasValue("Tanh.backward");
    }

    private static CheckResult result(String entry, String assignment, String check) {
        return rows.stream().filter(m -> m.entry().name().equals(entry)).findFirst().orElseThrow().results().stream()
                .filter(r -> r.assignment().equals(assignment) && r.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + assignment + " › " + check + " for " + entry));
    }

    private static Stream<CheckResult> allResults() {
        return rows.stream().flatMap(m -> m.results().stream());
    }
}
