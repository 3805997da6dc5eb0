package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.files.FileTrees;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each classic mistake, made by a fixture submission, gets the likely cause that names it. */
class DiagnosisTest {

    static Stream<Arguments> fixturesAndTheirLikelyCause() {
        return Stream.of(
                Arguments.of("loss-gradient-sign-flipped", "seed-000", "dJ/dW2", "opposite sign"),
                Arguments.of("loss-gradient-sign-flipped", "ops", "squared_error › backward", "opposite sign"),
                Arguments.of("batch-mean-missing", "seed-002d", "dL/dW1", "the 1/N of the batch mean is missing"),
                Arguments.of("batch-mean-missing", "ops", "softmax_cross_entropy › backward", "1/N"),
                Arguments.of("loss-half-missing", "seed-003a", "dL/dW3", "the ½ of the squared error"),
                Arguments.of("affine-backward-no-transpose", "seed-003a", "dL/dW3", "transpose"),
                Arguments.of("affine-input-gradient-no-transpose", "seed-001", "dL/dv", "transpose"),
                Arguments.of("reverse-pass-assigns", "seed-001", "dL/dv", "it is only what 'z1' sends back"),
                Arguments.of("reverse-pass-assigns", "seed-002e", "dL/dW1", "your reverse pass overwrites"),
                Arguments.of("reverse-pass-assigns", "ops", "reverse_pass › gradients",
                        "your reverse pass overwrites the gradient instead of adding every contribution"),
                Arguments.of("tanh-derivative-from-input", "seed-003a", "dL/dW1",
                        "tanh' computed as 1 − z² from the input"),
                Arguments.of("tanh-derivative-from-input", "ops", "tanh › backward", "1 − z²"),
                Arguments.of("sigmoid-derivative-as-sigmoid", "seed-001", "dL/dv", "σ'(z) computed as σ(z)"),
                Arguments.of("sigmoid-derivative-as-sigmoid", "ops", "sigmoid › backward", "σ'(z) computed as σ(z)"),
                Arguments.of("optimizer-adds-gradient", "seed-003a", "W3 after 1 step", "the gradient is added"));
    }

    @ParameterizedTest(name = "{0}: {1} / {2} says \"{3}\"")
    @MethodSource("fixturesAndTheirLikelyCause")
    void theLikelyCauseNamesTheMistake(String fixture, String assignment, String check, String words) {
        CheckResult r = BuggyFixturesTest.result(fixture, assignment, check);
        assertThat(r.diagnosis()).as(r.message()).hasValueSatisfying(d -> assertThat(d).contains(words));
    }

    @Test
    void blameNamesTheOpWhoseBackwardBreaksTheGradient() {
        CheckResult r = BuggyFixturesTest.result("tanh-derivative-from-input", "seed-003a", "dL/dW1");
        assertThat(r.blame()).hasValueSatisfying(b -> assertThat(b).startsWith("dL/dz2 is wrong although dL/dh2 is "
                + "right: the fault is in Tanh.backward"));
        assertThat(r.component()).hasValue("Tanh.backward");
    }

    @Test
    void blameAtANodeWithTwoConsumersPointsAtTheReversePass() {
        CheckResult r = BuggyFixturesTest.result("reverse-pass-assigns", "seed-002e", "dL/dW1");
        assertThat(r.blame()).hasValue("dL/dW1 is not the sum of what 'ma' and 'mb' send back, although each of "
                + "those is right: the fault is in Backprop.backward");
        assertThat(r.component()).hasValue("Backprop.backward");
    }

    @Test
    void aFanOutNodeIsNotBlamedWhenWhatArrivesThereIsAlreadyWrong() {
        CheckResult r = BuggyFixturesTest.result("sigmoid-derivative-as-sigmoid", "seed-001", "dL/dv");
        assertThat(r.blame()).hasValue("dL/dz2 is wrong although dL/dh2 is right: the fault is in Sigmoid.backward");
        assertThat(r.diagnosis()).hasValue("σ'(z) computed as σ(z): the factor (1 − σ(z)) is missing");
        assertThat(r.hint()).as("the hint of dL/dv speaks of adding both branches, which is right here").isEmpty();
    }

    @Test
    void theReversePassAloneIsRightForEveryOpBug() {
        for (String f : List.of("sigmoid-derivative-as-sigmoid", "tanh-derivative-from-input", "loss-half-missing")) {
            assertThat(BuggyFixturesTest.result(f, "ops", "reverse_pass › gradients").status())
                    .isEqualTo(Status.PASSED);
        }
    }

    @Test
    void aCorrectSubmissionGetsNoDiagnosis() {
        assertThat(BuggyFixturesTest.results("relu-derivative-one-at-zero")).allMatch(r -> r.diagnosis().isEmpty()
                && r.blame().isEmpty());
    }

    @Test
    void whereALocalRunCannotDecideItSaysSoRatherThanGuess(@TempDir Path dir) throws Exception {
        // tanh' taken from z, and a forward pass that wobbles by 1e-7: right to the forward checks' tolerance, but too
        // noisy for finite differences to judge the backward; only the reference can tell
        Path src = Files.createDirectories(dir.resolve("src/homework"));
        FileTrees.copy(TestFiles.referenceSources().resolve("homework"), src);
        Path tanh = src.resolve("Tanh.java");
        Files.writeString(tanh, Files.readString(tanh)
                .replace("return z.map(Math::tanh);", "return z.map(v -> Math.tanh(v) + 1e-7 "
                        + "* java.util.concurrent.ThreadLocalRandom.current().nextGaussian());")
                .replace("dLdh.zip(h, (g, t) -> g * (1 - t * t))", "dLdh.zip(z, (g, t) -> g * (1 - t * t))"));
        Components noisy = Submission.compile("noisy", List.of(dir.resolve("src")), dir.resolve("classes"));
        Assignment a = TestFiles.assignment("seed-002a");

        CheckResult local = new Grader(List.of(a), Optional.empty()).grade(a, noisy).stream()
                .filter(r -> r.check().equals("dL/dz")).findFirst().orElseThrow();
        assertThat(local.status()).isEqualTo(Status.FAILED);
        assertThat(local.blame()).hasValueSatisfying(b -> assertThat(b).startsWith("not located in this run: finite "
                + "differences of your own forward pass cannot decide whether what Tanh.backward sends to 'z' at node "
                + "'r' is right"));
        assertThat(local.diagnosis()).as("no guess either").isEmpty();

        CheckResult graded = new Grader(List.of(a), Optional.of(TestFiles.reference())).grade(a, noisy).stream()
                .filter(r -> r.check().equals("dL/dz")).findFirst().orElseThrow();
        assertThat(graded.blame()).hasValue("dL/dz is wrong although dL/dr is right: the fault is in Tanh.backward");
    }

    @Test
    void ratiosAreFoundOnlyWhenEveryEntrySharesThem() {
        Matrix right = Matrix.row(1, -2, 0, 4);
        Known known = Known.exactly(right, Known.Source.REFERENCE);
        assertThat(Diagnosis.ratio(right, right.times(3))).hasValue(3.0);
        assertThat(Diagnosis.ratio(right, Matrix.row(3, -6, 0, 4))).isEmpty();
        assertThat(Diagnosis.ratio(right, Matrix.row(1, -2, 1, 4))).isEmpty();
        assertThat(Diagnosis.of(known, right.times(-1), 1)).hasValueSatisfying(d ->
                assertThat(d).contains("opposite sign").doesNotContain("squared"));
        assertThat(Diagnosis.of(known, right.times(1.5), 1)).hasValueSatisfying(d ->
                assertThat(d).contains("1.5 times"));
        assertThat(Diagnosis.of(known, right.times(1.5).with(0, 0, 7), 1)).isEmpty();
    }

    @Test
    void aSquareTransposeIsRecognised() {
        Matrix right = Matrix.of(new double[][] {{1, 2}, {3, 4}});
        assertThat(Diagnosis.of(Known.exactly(right, Known.Source.REFERENCE), right.transpose(), 1))
                .hasValueSatisfying(d -> assertThat(d).contains("transpose"));
    }
}
