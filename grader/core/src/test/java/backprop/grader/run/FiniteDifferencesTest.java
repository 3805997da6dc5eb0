package backprop.grader.run;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.run.FiniteDifferences.Agreement;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FiniteDifferencesTest {

    private static Probes probe(Matrix theta, ToDoubleFunction<Matrix> f, Matrix analytic) {
        return FiniteDifferences.probe(theta, f, f.applyAsDouble(theta),
                FiniteDifferences.plan(theta.rows(), theta.cols(), 1), Optional.of(analytic));
    }

    private static Agreement judge(Probes p, int k, double analytic) {
        return FiniteDifferences.judge(analytic, p.lines().get(k), p.center()).agreement();
    }

    @Test
    void aSmoothFunctionAgreesAtTheFirstLevelWithTwoForwardPassesPerEntry() {
        Matrix theta = Matrix.row(0.3, -1.2, 2.5);
        // f = Σ tanh(θ)·sin(θ); df/dθ = (1 − tanh²)·sin + tanh·cos
        Matrix exact = theta.map(v -> (1 - Math.tanh(v) * Math.tanh(v)) * Math.sin(v) + Math.tanh(v) * Math.cos(v));
        int[] calls = {0};
        Probes p = probe(theta, m -> {
            calls[0]++;
            return m.map(v -> Math.tanh(v) * Math.sin(v)).sum();
        }, exact);
        assertThat(calls[0]).isEqualTo(1 + 2 * 3);
        for (int j = 0; j < 3; j++) {
            assertThat(p.lines().get(j).levels()).isEqualTo(1);
            assertThat(judge(p, j, exact.get(0, j))).isEqualTo(Agreement.AGREE);
            double estimate = FiniteDifferences.estimates(p.lines().get(j), p.center()).get(0).value();
            assertThat(estimate).isCloseTo(exact.get(0, j), Offset.offset(1e-9));
        }
    }

    @Test
    void theStepGrowsWithTheParameterSoLargeValuesStayAccurate() {
        Matrix theta = Matrix.row(1e4);
        Probes p = probe(theta, m -> m.get(0, 0) * m.get(0, 0), Matrix.row(2e4));
        assertThat(p.lines().get(0).steps()[0]).isEqualTo(1e-5 * 1e4);
        assertThat(judge(p, 0, 2e4)).isEqualTo(Agreement.AGREE);
    }

    /** Binary cross-entropy with target 0 at a prediction y: {@code −log(1 − y)}, derivative {@code 1/(1 − y)}. */
    private static double bceTargetZero(Matrix y) {
        return -Math.log1p(-y.get(0, 0));
    }

    /** Binary cross-entropy with target 1: {@code −log y}, derivative {@code −1/y}. */
    private static double bceTargetOne(Matrix y) {
        return -Math.log(y.get(0, 0));
    }

    @Test
    void aCorrectGradientNearSaturationAgreesWhereOneFixedStepWouldFailIt() {
        for (double gap : new double[] {1e-3, 3e-4, 1e-4}) {
            Matrix nearOne = Matrix.row(1 - gap);
            Matrix nearZero = Matrix.row(gap);
            Probes one = probe(nearOne, FiniteDifferencesTest::bceTargetZero, Matrix.row(1 / gap));
            Probes zero = probe(nearZero, FiniteDifferencesTest::bceTargetOne, Matrix.row(-1 / gap));
            assertThat(judge(one, 0, 1 / gap)).as("y = 1 − %s", gap).isEqualTo(Agreement.AGREE);
            assertThat(judge(zero, 0, -1 / gap)).as("y = %s", gap).isEqualTo(Agreement.AGREE);
            // the first level alone is off by about h²/(3y²): more than the tolerance once y is near 1e-4
            double first = FiniteDifferences.estimates(zero.lines().get(0), zero.center()).get(0).value();
            if (gap <= 1e-4) {
                assertThat(Math.abs(first + 1 / gap)).isGreaterThan(1e-5 / gap);
            }
        }
    }

    @Test
    void nearSaturationATenthOfAPercentErrorIsStillCaught() {
        for (double gap : new double[] {1e-2, 1e-3, 1e-4}) {
            double wrong = -1.001 / gap;
            Probes p = probe(Matrix.row(gap), FiniteDifferencesTest::bceTargetOne, Matrix.row(wrong));
            assertThat(judge(p, 0, wrong)).as("y = %s", gap).isEqualTo(Agreement.DISAGREE);
        }
    }

    @Test
    void aReluKinkGivesTheCentralDifferenceOfBothSidesWhichTheGraderMustNotTrust() {
        // f(θ) = relu(θ) at θ = 0: the central difference is 0.5 at every level, the derivative undefined.
        Probes p = probe(Matrix.row(0.0), m -> Math.max(0, m.get(0, 0)), Matrix.row(0.0));
        assertThat(FiniteDifferences.estimates(p.lines().get(0), 0).get(0).value()).isEqualTo(0.5);
        assertThat(judge(p, 0, 0.0)).isEqualTo(Agreement.DISAGREE);
        assertThat(judge(p, 0, 1.0)).isEqualTo(Agreement.DISAGREE);
    }

    @Test
    void aForwardPassThatGivesNaNDecidesNothing() {
        Probes p = probe(Matrix.row(1.0), m -> Double.NaN, Matrix.row(3.0));
        assertThat(judge(p, 0, 3.0)).isEqualTo(Agreement.UNDECIDABLE);
    }

    @Test
    void aLargeTensorIsSampledAtTheSameLinesForEverySeedHolder() {
        FiniteDifferences.Plan a = FiniteDifferences.plan(30, 30, 7);
        FiniteDifferences.Plan b = FiniteDifferences.plan(30, 30, 7);
        assertThat(a.entries()).hasSize(FiniteDifferences.SAMPLED_ENTRIES);
        assertThat(a.directions()).hasSize(FiniteDifferences.DIRECTIONS).isEqualTo(b.directions());
        for (int k = 0; k < a.entries().size(); k++) {
            assertThat(a.entries().get(k)).isEqualTo(b.entries().get(k));
        }
        assertThat(FiniteDifferences.plan(8, 8, 7).entries()).hasSize(64);
    }

    @Test
    void withoutAnAnalyticValueOnlyTheFirstLevelIsTaken() {
        Matrix theta = Matrix.row(0.5, 0.25);
        Probes p = FiniteDifferences.probe(theta, m -> m.hadamard(m).sum(), theta.hadamard(theta).sum(),
                FiniteDifferences.plan(1, 2, 1), Optional.empty());
        assertThat(p.lines()).allSatisfy(l -> assertThat(l.levels()).isEqualTo(1));
    }
}
