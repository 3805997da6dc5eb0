package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.report.StudentResult.CheckRow;
import backprop.grader.submission.StudentFault;
import org.junit.jupiter.api.Test;

/** The component and likely cause a failed check is counted under, the same for every student with the mistake. */
class FaultNamesTest {
    static CheckRow row(String kind, String check, String status, String message, String component,
            String diagnosis) {
        return new CheckRow("a", check, kind, 0, 1, status, null, null, null, null, message, null, false, component,
                diagnosis);
    }

    @Test
    void theBlamedMethodAndTheDiagnosisWithoutItsVerdict() {
        CheckRow c = row("gradient", "dL/dz1", "failed", "1 of 3 entries wrong; where: …", "Sigmoid.backward",
                "σ'(z) computed as σ(z): the factor (1 − σ(z)) is missing; verdict: your reverse pass is right; "
                        + "Sigmoid.backward is wrong (its own check 'sigmoid › backward' fails too)");
        assertThat(FaultNames.component(c)).isEqualTo("Sigmoid.backward");
        assertThat(FaultNames.cause(c)).isEqualTo("σ'(z) computed as σ(z): the factor (1 − σ(z)) is missing");
        assertThat(FaultNames.cause(row("gradient", "x", "failed", "m", "", null)))
                .isEqualTo("a wrong value no known mistake explains");
    }

    @Test
    void codeThatThrewIsNamedByTheEnginesOwnWordsNotTheStudents() {
        String threw = StudentFault.from(new IllegalStateException("<script>alert(1)</script> 42"), "Tanh.backward")
                .getMessage();
        CheckRow c = row("unit", "tanh › backward", "error", threw, null, null);
        assertThat(FaultNames.component(c)).isEqualTo("Tanh.backward");
        assertThat(FaultNames.cause(c)).isEqualTo("threw IllegalStateException");
        CheckRow stub = row("forward", "z1", "error", StudentFault.from(new backprop.api.NotImplemented(
                "Affine.forward"), "Affine.forward").getMessage(), null, null);
        assertThat(FaultNames.component(stub)).isEqualTo("Affine.forward");
        assertThat(FaultNames.cause(stub)).isEqualTo("not implemented yet");
        assertThat(FaultNames.cause(row("forward", "h", "error", "Relu.forward returned null", null, null)))
                .isEqualTo("returned null");
        assertThat(FaultNames.cause(row("forward", "h", "error", "Relu.forward returned a 2×3 matrix for 3×2 at "
                + "seed-001 line 13 (1/N of 0.5)", null, null)))
                .isEqualTo("returned a N×N matrix for N×N at seed-001 line N (1/N of N)");
    }

    @Test
    void aCheckOfOneOpAloneIsTheMethodItExercises() {
        assertThat(FaultNames.component(row("unit", "sigmoid › backward", "failed", "m", null, null)))
                .isEqualTo("Sigmoid.backward");
        assertThat(FaultNames.component(row("unit", "relu › zero upstream gradient", "failed", "m", null, null)))
                .isEqualTo("Relu.backward");
        assertThat(FaultNames.component(row("unit", "tanh › forward", "failed", "m", null, null)))
                .isEqualTo("Tanh.forward");
        assertThat(FaultNames.component(row("unit", "tanh › shapes", "failed", "m", null, null))).isEqualTo("Tanh");
        assertThat(FaultNames.component(row("unit", "reverse_pass › gradients", "failed", "m", null, null)))
                .isEqualTo("Backprop.backward");
        assertThat(FaultNames.component(row("unit", "sgd › step", "failed", "m", null, null))).isEqualTo("Sgd.step");
        assertThat(FaultNames.component(row("parameter", "W1 after 1 step", "failed", "m", null, null))).isEmpty();
        assertThat(FaultNames.component(row("unit", "nonsense › backward", "failed", "m", null, null))).isEmpty();
    }

    @Test
    void aCheckThatStoppedWithItsSubmissionOrWasSkippedIsNoFaultOfItsOwn() {
        assertThat(FaultNames.isFault(row("forward", "h", "error", "not finished: timeout: stopped at the 5 s time "
                + "limit during ops", null, null))).isFalse();
        assertThat(FaultNames.isFault(row("forward", "h", "skipped", "needs a1, which failed", null, null))).isFalse();
        assertThat(FaultNames.isFault(row("forward", "h", "passed", "matches", null, null))).isFalse();
        assertThat(FaultNames.isFault(row("forward", "h", "inconclusive", "kink", null, null))).isFalse();
        assertThat(FaultNames.isFault(row("forward", "h", "error", "Relu.forward returned null", null, null))).isTrue();
        assertThat(FaultNames.isFault(row("forward", "h", "failed", "wrong", null, null))).isTrue();
    }
}
