package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Numeric;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The finite-difference tolerance {@code |a − n| ≤ 1e-6·max(1, |L|) + 1e-5·max(|a|, |n|)} on a softmax with
 * cross-entropy: correct gradients pass, gradients off by as little as 0.1 % or with one entry zeroed fail.
 */
class CompareTest {
    private static final Random RNG = new Random(11);
    private static final Matrix LOGITS = Matrix.build(4, 10, (i, j) -> 3 * RNG.nextGaussian());
    private static final Matrix TARGET = Matrix.build(4, 10, (i, j) -> j == i + 2 ? 1 : 0);

    private static double loss(Matrix z) {
        double total = 0;
        for (int i = 0; i < z.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < z.cols(); j++) {
                max = Math.max(max, z.get(i, j));
            }
            double sum = 0;
            for (int j = 0; j < z.cols(); j++) {
                sum += Math.exp(z.get(i, j) - max);
            }
            for (int j = 0; j < z.cols(); j++) {
                total -= TARGET.get(i, j) * (z.get(i, j) - max - Math.log(sum));
            }
        }
        return total / z.rows();
    }

    private static Matrix analytic(Matrix z) {
        return Matrix.build(z.rows(), z.cols(), (i, j) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < z.cols(); k++) {
                max = Math.max(max, z.get(i, k));
            }
            double sum = 0;
            for (int k = 0; k < z.cols(); k++) {
                sum += Math.exp(z.get(i, k) - max);
            }
            return (Math.exp(z.get(i, j) - max) / sum - TARGET.get(i, j)) / z.rows();
        });
    }

    private static Numeric numeric() {
        return FiniteDifferences.gradient(LOGITS, m -> new FiniteDifferences.Probe(loss(m), Map.of()), loss(LOGITS));
    }

    @Test
    void aCorrectGradientAgreesWithFiniteDifferences() {
        assertThat(Compare.finiteDifferences("dL/dz", numeric(), analytic(LOGITS)).ok()).isTrue();
    }

    @Test
    void aGradientOffByATenthOfAPercentDisagrees() {
        Compare.Result r = Compare.finiteDifferences("dL/dz", numeric(), analytic(LOGITS).times(1.001));
        assertThat(r.ok()).isFalse();
    }

    @Test
    void oneZeroedEntryIsFoundAndNamed() {
        Matrix g = analytic(LOGITS);
        Matrix broken = g.with(2, 4, 0.0);
        Compare.Result r = Compare.finiteDifferences("dL/dz", numeric(), broken);
        assertThat(r.failures()).isEqualTo(1);
        assertThat(r.worst().where()).isEqualTo("dL/dz[2][4]");
    }

    @Test
    void aMissingBatchMeanDisagreesEverywhere() {
        Compare.Result r = Compare.finiteDifferences("dL/dz", numeric(), analytic(LOGITS).times(LOGITS.rows()));
        assertThat(r.failures()).isGreaterThan(30);
    }

    @Test
    void anOrdinaryToleranceAcceptsRoundingAndRejectsNaN() {
        Matrix expected = Matrix.row(1.0, -2.0, 0.0);
        assertThat(Compare.values("t", expected, Matrix.row(1.0 + 1e-9, -2.0, 1e-9),
                backprop.grader.spec.Tolerance.DEFAULT, Optional.empty()).ok()).isTrue();
        Compare.Result nan = Compare.values("t", expected, Matrix.row(1.0, Double.NaN, 0.0),
                backprop.grader.spec.Tolerance.DEFAULT, Optional.empty());
        assertThat(nan.ok()).isFalse();
        assertThat(nan.worst().where()).isEqualTo("t[0][1]");
    }

    @Test
    void aValueAtAKinkBetweenTheOneSidedSlopesIsAcceptedAndOneOutsideIsInconclusive() {
        Numeric kink = new Numeric(0.0, Matrix.row(0.5), Matrix.row(0.0), Matrix.row(1.0), Matrix.row(1.0));
        assertThat(Compare.values("g", Matrix.row(0.0), Matrix.row(1.0), backprop.grader.spec.Tolerance.DEFAULT,
                Optional.of(kink))).satisfies(r -> {
                    assertThat(r.ok()).isTrue();
                    assertThat(r.inconclusive()).isZero();
                });
        assertThat(Compare.values("g", Matrix.row(0.0), Matrix.row(7.0), backprop.grader.spec.Tolerance.DEFAULT,
                Optional.of(kink))).satisfies(r -> {
                    assertThat(r.ok()).isTrue();
                    assertThat(r.inconclusive()).isEqualTo(1);
                });
    }
}
