package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.FiniteDifferences.Agreement;
import backprop.grader.run.FiniteDifferences.Judgement;
import backprop.grader.run.Probes;
import backprop.grader.spec.Tolerance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Entry-by-entry comparison of a submission's tensor with an expected one, and of an analytic gradient with
 * finite differences of the submission's own forward pass.
 *
 * <p>Where the grader's own evaluation finds a ReLU kink, any value in the range of valid subgradients is
 * accepted; nothing else is, whatever the submission's forward pass does when perturbed.
 */
final class Compare {
    private Compare() {}

    /**
     * What a comparison found.
     *
     * @param failures entries outside the tolerance and outside the range of valid subgradients
     * @param kinks entries that differ from the expected value but are another valid subgradient at a kink
     * @param undecided finite-difference lines that could not decide (too inexact, or straddling a kink)
     * @param worst the worst failing entry, else the entry with the largest error
     */
    record Result(int failures, int kinks, int undecided, Worst worst) {
        boolean ok() {
            return failures == 0;
        }
    }

    /** Compares with a tolerance on the expected value. */
    static Result values(String tensor, Matrix expected, Matrix actual, Tolerance tol) {
        return values(tensor, expected, actual, tol, Optional.empty());
    }

    /**
     * Compares with a tolerance on the expected value; where {@code kinks} marks an entry as kinked, any value in
     * its range (within the tolerance) is accepted too. A tensor of the wrong shape fails as a whole.
     */
    static Result values(String tensor, Matrix expected, Matrix actual, Tolerance tol, Optional<Kinks.Range> kinks) {
        if (!expected.sameShape(actual)) {
            return new Result(actual.size(), 0, 0, new Worst(tensor + " (shape " + actual.shape() + ", expected "
                    + expected.shape() + ")", -1, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        }
        Optional<Kinks.Range> range = kinks.filter(r -> r.low().sameShape(actual) && r.anyKink());
        int failures = 0;
        int kinkCount = 0;
        Worst worstFail = null;
        double worstExcess = -1;
        Worst largest = null;
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                double e = expected.get(i, j);
                double a = actual.get(i, j);
                double err = Math.abs(a - e);
                double allowed = tol.abs() + tol.rel() * Math.abs(e);
                double excess = Double.isFinite(a) ? err - allowed : Double.POSITIVE_INFINITY;
                Worst w = new Worst(tensor, i, j, e, a, Double.isFinite(a) ? err : Double.NaN,
                        Double.isFinite(a) ? (e == 0 ? err : err / Math.abs(e)) : Double.NaN);
                if (largest == null || !(err <= largest.absError())) {
                    largest = w;
                }
                if (excess <= 0) {
                    continue;
                }
                if (range.isPresent() && range.get().kinked(i, j)) {
                    double lo = range.get().low().get(i, j);
                    double hi = range.get().high().get(i, j);
                    double slack = tol.abs() + tol.rel() * Math.max(Math.abs(lo), Math.abs(hi));
                    if (a >= lo - slack && a <= hi + slack) {
                        kinkCount++;
                        continue;
                    }
                }
                failures++;
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worstFail = w;
                }
            }
        }
        return new Result(failures, kinkCount, 0, worstFail != null ? worstFail : largest);
    }

    /**
     * Compares an analytic gradient with finite differences of the submission's own forward pass, line by line
     * (an entry, or {@code ⟨gradient, u⟩} along a random direction {@code u}). A line the grader's evaluation
     * marks as straddling a kink, or whose estimate is too inexact, is undecided: it neither fails nor passes.
     *
     * @param straddled per line of the plan, whether it straddles a kink (shorter or empty: none does)
     */
    static Result finiteDifferences(String tensor, Probes probes, Matrix actual, boolean[] straddled) {
        int failures = 0;
        int undecided = 0;
        Worst worstFail = null;
        double worstExcess = -1;
        Worst largest = null;
        int index = 0;
        int direction = 0;
        for (Probes.Line line : probes.lines()) {
            boolean kink = index < straddled.length && straddled[index];
            index++;
            Optional<Double> a = analytic(line, actual);
            if (line.isDirection()) {
                direction++;
            }
            if (a.isEmpty()) {
                failures++; // a line outside the tensor: the probes do not belong to this gradient
                continue;
            }
            Judgement j = FiniteDifferences.judge(a.get(), line, probes.center());
            double n = j.best().value();
            double err = Math.abs(a.get() - n);
            Worst w = new Worst(line.isDirection() ? tensor + " along random direction " + direction : tensor,
                    line.row(), line.col(), n, a.get(), err, n == 0 ? err : err / Math.abs(n));
            if (largest == null || !(err <= largest.absError())) {
                largest = w;
            }
            if (j.agreement() == Agreement.AGREE) {
                continue;
            }
            if (kink || j.agreement() == Agreement.UNDECIDABLE) {
                undecided++;
                continue;
            }
            failures++;
            double excess = Double.isFinite(err) ? err - FiniteDifferences.tolerance(a.get(), n, probes.center())
                    : Double.POSITIVE_INFINITY;
            if (excess > worstExcess) {
                worstExcess = excess;
                worstFail = w;
            }
        }
        Worst worst = worstFail != null ? worstFail : largest != null ? largest
                : new Worst(tensor, -1, -1, Double.NaN, Double.NaN, 0, 0);
        return new Result(failures, 0, undecided, worst);
    }

    /**
     * The lines of {@code probes} that {@code plan} asked for, each once: what a child sends beyond them (lines of its
     * own making, repeats) is dropped before anything is evaluated, so a forged frame cannot make the grader draw
     * and judge thousands of directions. Dropping lines only drops chances to take points back.
     */
    static Probes planned(Probes probes, FiniteDifferences.Plan plan) {
        List<Probes.Line> kept = new ArrayList<>();
        Set<List<Long>> seen = new HashSet<>();
        for (Probes.Line l : probes.lines()) {
            if (plan.has(l) && seen.add(List.of((long) l.row(), (long) l.col(), l.isDirection() ? l.seed() : 0L))) {
                kept.add(l);
            }
        }
        return kept.size() == probes.lines().size() ? probes : new Probes(probes.center(), kept);
    }

    /** The analytic value a line estimates: one entry, or the gradient projected on the line's direction. */
    private static Optional<Double> analytic(Probes.Line line, Matrix actual) {
        if (line.isDirection()) {
            return Optional.of(actual.hadamard(FiniteDifferences.direction(line.seed(), actual.rows(), actual.cols()))
                    .sum());
        }
        if (line.row() >= actual.rows() || line.col() >= actual.cols()) {
            return Optional.empty();
        }
        return Optional.of(actual.get(line.row(), line.col()));
    }

    /** The finite-difference estimate at one entry, when that entry was probed. */
    static Optional<Judgement> estimateAt(Probes probes, int row, int col, double analytic) {
        return probes.lines().stream().filter(l -> !l.isDirection() && l.row() == row && l.col() == col).findFirst()
                .map(l -> FiniteDifferences.judge(analytic, l, probes.center()));
    }

    /** The index of the line probing one entry, or -1. */
    static int lineAt(Probes probes, int row, int col) {
        for (int k = 0; k < probes.lines().size(); k++) {
            Probes.Line l = probes.lines().get(k);
            if (!l.isDirection() && l.row() == row && l.col() == col) {
                return k;
            }
        }
        return -1;
    }

    /** One line about an entry: {@code "W1[0][1]: expected 0.5, got -0.5 (abs error 1, rel error 2)"}. */
    static String describe(Worst w, String expectedWord) {
        return w.where() + ": " + expectedWord + " " + Matrix.format(w.expected()) + ", got "
                + Matrix.format(w.actual()) + " (abs error " + Matrix.format(w.absError()) + ", rel error "
                + Matrix.format(w.relError()) + ")";
    }
}
