package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Probes;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The finite-difference tolerance {@code |a − n| ≤ 1e-6·max(1, |L|) + 1e-5·max(|a|, |n|)}, widened by the
 * estimate's own error, on a softmax with cross-entropy: correct gradients pass, gradients off by as little as 0.1 %
 * or with one entry zeroed fail. The probes are taken as a child takes them, with the gradient being judged in hand.
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

    private static Compare.Result judge(Matrix gradient) {
        Probes p = FiniteDifferences.probe(LOGITS, CompareTest::loss, loss(LOGITS),
                FiniteDifferences.plan(LOGITS.rows(), LOGITS.cols(), 3), Optional.of(gradient));
        return Compare.finiteDifferences("dL/dz", p, gradient, new boolean[0]);
    }

    @Test
    void aCorrectGradientAgreesWithFiniteDifferences() {
        assertThat(judge(analytic(LOGITS)).ok()).isTrue();
        assertThat(judge(analytic(LOGITS)).undecided()).isZero();
    }

    @Test
    void aGradientOffByATenthOfAPercentDisagrees() {
        assertThat(judge(analytic(LOGITS).times(1.001)).ok()).isFalse();
    }

    @Test
    void oneZeroedEntryIsFoundAndNamed() {
        Matrix g = analytic(LOGITS);
        Compare.Result r = judge(g.with(2, 4, 0.0));
        assertThat(r.failures()).isEqualTo(1);
        assertThat(r.worst().where()).isEqualTo("dL/dz[2][4]");
    }

    @Test
    void aMissingBatchMeanDisagreesEverywhere() {
        assertThat(judge(analytic(LOGITS).times(LOGITS.rows())).failures()).isGreaterThan(30);
    }

    @Test
    void aLineTheGraderMarksAsStraddlingAKinkIsUndecidedNotFailed() {
        Matrix g = analytic(LOGITS).with(0, 0, 5.0);
        Probes p = FiniteDifferences.probe(LOGITS, CompareTest::loss, loss(LOGITS),
                FiniteDifferences.plan(LOGITS.rows(), LOGITS.cols(), 3), Optional.of(g));
        boolean[] straddled = new boolean[p.lines().size()];
        straddled[0] = true;
        Compare.Result r = Compare.finiteDifferences("dL/dz", p, g, straddled);
        assertThat(r.ok()).isTrue();
        assertThat(r.undecided()).isEqualTo(1);
    }

    @Test
    void anOrdinaryToleranceAcceptsRoundingAndRejectsNaN() {
        Matrix expected = Matrix.row(1.0, -2.0, 0.0);
        assertThat(Compare.values("t", expected, Matrix.row(1.0 + 1e-9, -2.0, 1e-9),
                backprop.grader.spec.Tolerance.DEFAULT).ok()).isTrue();
        Compare.Result nan = Compare.values("t", expected, Matrix.row(1.0, Double.NaN, 0.0),
                backprop.grader.spec.Tolerance.DEFAULT);
        assertThat(nan.ok()).isFalse();
        assertThat(nan.worst().where()).isEqualTo("t[0][1]");
    }

    @Test
    void atAKinkTheGradersRangeOfValidSubgradientsDecidesAndNothingOutsideItPasses() {
        Kinks.Range range = new Kinks.Range(Matrix.row(0.0, 2.0), Matrix.row(1.0, 2.0));
        assertThat(Compare.values("g", Matrix.row(0.0, 2.0), Matrix.row(1.0, 2.0), backprop.grader.spec.Tolerance.DEFAULT,
                Optional.of(range))).satisfies(r -> {
                    assertThat(r.ok()).isTrue();
                    assertThat(r.kinks()).isEqualTo(1);
                });
        assertThat(Compare.values("g", Matrix.row(0.0, 2.0), Matrix.row(0.4, 2.0), backprop.grader.spec.Tolerance.DEFAULT,
                Optional.of(range)).ok()).isTrue();
        assertThat(Compare.values("g", Matrix.row(0.0, 2.0), Matrix.row(7.0, 2.0), backprop.grader.spec.Tolerance.DEFAULT,
                Optional.of(range)).failures()).isEqualTo(1);
        // an entry without a kink keeps its one right value
        assertThat(Compare.values("g", Matrix.row(0.0, 2.0), Matrix.row(0.0, 2.5), backprop.grader.spec.Tolerance.DEFAULT,
                Optional.of(range)).failures()).isEqualTo(1);
    }

    @Test
    void aTensorOfTheWrongShapeFailsWithoutAnException() {
        Compare.Result r = Compare.values("t", Matrix.row(1.0, 2.0), Matrix.zeros(2, 1),
                backprop.grader.spec.Tolerance.DEFAULT);
        assertThat(r.ok()).isFalse();
        assertThat(r.worst().where()).contains("shape 2×1");
    }

    @Test
    void onlyTheLinesOfThePlanAreKeptEachOnceInTheirOrder() {
        FiniteDifferences.Plan plan = FiniteDifferences.plan(128, 784, 42);
        double[] none = {1e-5};
        java.util.List<Probes.Line> sent = new java.util.ArrayList<>();
        java.util.List<Probes.Line> expected = new java.util.ArrayList<>();
        for (int[] e : plan.entries()) {
            Probes.Line l = new Probes.Line(e[0], e[1], 0, none, none, none);
            sent.add(l);
            if (expected.stream().noneMatch(x -> x.row() == e[0] && x.col() == e[1])) {
                expected.add(l);
            }
        }
        for (long seed : plan.directions()) {
            Probes.Line l = new Probes.Line(-1, -1, seed, none, none, none);
            sent.add(l);
            expected.add(l);
        }
        sent.add(new Probes.Line(-1, -1, plan.directions().get(0), none, new double[] {9}, none)); // a repeat
        sent.add(new Probes.Line(-1, -1, 123456789L, none, none, none)); // a direction of the child's own
        sent.add(new Probes.Line(500, 9000, 0, none, none, none)); // outside the tensor
        sent.add(new Probes.Line(-1, 3, 0, none, none, none)); // malformed
        Probes kept = Compare.planned(new Probes(0.5, sent), plan);
        assertThat(kept.center()).isEqualTo(0.5);
        assertThat(kept.lines()).containsExactlyElementsOf(expected);
        Probes honest = new Probes(0.5, expected);
        assertThat(Compare.planned(honest, plan)).isSameAs(honest);
    }
}
