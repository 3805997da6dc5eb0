package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.submission.Components;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each fixture carries one known bug; the check that must catch it does, and unrelated checks still pass. */
class BuggyFixturesTest {
    private static final Grader GRADER = new Grader(TestFiles.assignments(), Optional.of(TestFiles.reference()));
    private static final Map<String, List<CheckResult>> RESULTS = new ConcurrentHashMap<>();

    static List<CheckResult> results(String fixture) {
        return RESULTS.computeIfAbsent(fixture, f -> {
            Components c = TestFiles.fixture(f);
            return GRADER.grade(c);
        });
    }

    static CheckResult result(String fixture, String assignment, String check) {
        return results(fixture).stream().filter(r -> r.assignment().equals(assignment) && r.check().equals(check))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + assignment + " / " + check));
    }

    static Stream<Arguments> bugsAndTheChecksThatCatchThem() {
        return Stream.of(
                Arguments.of("sigmoid-derivative-as-sigmoid", "ops", "sigmoid › backward", Status.FAILED),
                Arguments.of("sigmoid-derivative-as-sigmoid", "seed-001", "dL/dz2", Status.FAILED),
                Arguments.of("sigmoid-derivative-as-sigmoid", "seed-002e", "dL/dW1", Status.FAILED),
                Arguments.of("tanh-derivative-from-input", "ops", "tanh › backward", Status.FAILED),
                Arguments.of("tanh-derivative-from-input", "seed-002a", "dL/dz", Status.FAILED),
                Arguments.of("tanh-derivative-from-input", "seed-003a", "dL/dW1", Status.FAILED),
                Arguments.of("affine-backward-no-transpose", "ops", "affine › shapes", Status.FAILED),
                Arguments.of("affine-backward-no-transpose", "seed-003a", "dL/dW3", Status.ERROR),
                Arguments.of("affine-input-gradient-no-transpose", "ops", "linear › shapes", Status.FAILED),
                Arguments.of("affine-input-gradient-no-transpose", "seed-001", "dL/dv", Status.ERROR),
                Arguments.of("reverse-pass-assigns", "seed-001", "dL/dv", Status.FAILED),
                Arguments.of("reverse-pass-assigns", "seed-002e", "dL/dW1", Status.FAILED),
                Arguments.of("reverse-pass-assigns", "seed-002a", "dL/dx", Status.FAILED),
                Arguments.of("loss-gradient-sign-flipped", "ops", "squared_error › backward", Status.FAILED),
                Arguments.of("loss-gradient-sign-flipped", "seed-000", "dJ/dW2", Status.FAILED),
                Arguments.of("batch-mean-missing", "ops", "mean_squared_error › backward", Status.FAILED),
                Arguments.of("batch-mean-missing", "ops", "softmax_cross_entropy › backward", Status.FAILED),
                Arguments.of("batch-mean-missing", "seed-002d", "dL/dW1", Status.FAILED),
                Arguments.of("batch-mean-missing", "seed-003c", "dL/dW3", Status.FAILED),
                Arguments.of("loss-half-missing", "ops", "squared_error › backward", Status.FAILED),
                Arguments.of("optimizer-adds-gradient", "ops", "sgd › step", Status.FAILED),
                Arguments.of("optimizer-adds-gradient", "seed-003a", "W3 after 1 step", Status.FAILED));
    }

    @ParameterizedTest(name = "{0} is caught by {1} / {2}")
    @MethodSource("bugsAndTheChecksThatCatchThem")
    void theRightCheckCatchesTheBug(String fixture, String assignment, String check, Status status) {
        CheckResult r = result(fixture, assignment, check);
        assertThat(r.status()).as(r.message()).isEqualTo(status);
        assertThat(r.earned()).isZero();
        assertThat(r.message()).isNotBlank().doesNotContain("\n");
    }

    static Stream<String> fixtures() {
        return bugsAndTheChecksThatCatchThem().map(a -> (String) a.get()[0]).distinct();
    }

    @ParameterizedTest(name = "{0}: forward values still pass")
    @MethodSource("fixtures")
    void aBackwardBugLeavesForwardChecksPassing(String fixture) {
        assertThat(results(fixture)).filteredOn(r -> r.kind().equals("forward"))
                .allSatisfy(r -> assertThat(r.status()).as(r.assignment() + " " + r.check()).isEqualTo(Status.PASSED));
    }

    @ParameterizedTest(name = "{0}: a failed gradient is never double-counted by the step that needs it")
    @MethodSource("fixtures")
    void stepsAfterAWrongGradientAreSkippedNotFailed(String fixture) {
        for (CheckResult r : results(fixture)) {
            if (r.kind().equals("parameter") && r.status() == Status.SKIPPED) {
                assertThat(r.message()).startsWith("needs ");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aReversePassThatAssignsStillPassesAPlainChain() {
        assertThat(results("reverse-pass-assigns")).filteredOn(r -> r.assignment().equals("seed-004"))
                .allMatch(r -> r.status() == Status.PASSED);
    }

    @org.junit.jupiter.api.Test
    void aMissingBatchMeanStillPassesSingleExampleNetworks() {
        assertThat(results("batch-mean-missing")).filteredOn(r -> r.assignment().equals("seed-002b"))
                .allMatch(r -> r.status() == Status.PASSED);
    }

    @org.junit.jupiter.api.Test
    void theFailureMessageNamesTheEntryTheExpectedValueAndFiniteDifferences() {
        CheckResult r = result("loss-gradient-sign-flipped", "seed-000", "dJ/dW2");
        assertThat(r.worst()).hasValueSatisfying(w -> {
            assertThat(w.where()).isEqualTo("dJ/dW2[0][0]");
            assertThat(w.expected()).isEqualTo(-1.0);
            assertThat(w.actual()).isEqualTo(1.0);
            assertThat(w.relError()).isEqualTo(2.0);
        });
        assertThat(r.message()).contains("dJ/dW2[0][0]: reference -1, got 1 (abs error 2, rel error 2)")
                .contains("finite differences of your forward pass give -1");
    }
}
