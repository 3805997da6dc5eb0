package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Numeric;
import backprop.grader.spec.Tolerance;
import java.util.Optional;

/**
 * Entry-by-entry comparison of a submission's tensor with an expected one.
 *
 * <p>At coordinates a finite-difference probe marked as kinks, a value that misses the expected one is still
 * accepted when it lies between the one-sided slopes (a valid subgradient) and is otherwise counted as
 * inconclusive, never as failed.
 */
final class Compare {
    /** Finite-difference agreement: {@code |a − n| ≤ FD_ATOL·max(1, |L|) + FD_RTOL·max(|a|, |n|)}. */
    static final double FD_ATOL = 1e-6;
    /** See {@link #FD_ATOL}. */
    static final double FD_RTOL = 1e-5;

    /** Relative slack around the one-sided slopes at a kink. */
    static final double ONE_SIDED_SLACK = 1e-4;

    private Compare() {}

    /**
     * What a comparison found.
     *
     * @param failures entries outside the tolerance (kinks excluded)
     * @param inconclusive kink entries that are not a valid subgradient either
     * @param kinks entries that sit on a kink
     * @param worst the worst failing entry, else the entry with the largest error
     */
    record Result(int failures, int inconclusive, int kinks, Worst worst) {
        boolean ok() {
            return failures == 0;
        }
    }

    /** Compares with a tolerance on the expected value. */
    static Result values(String tensor, Matrix expected, Matrix actual, Tolerance tol, Optional<Numeric> kinks) {
        return run(tensor, expected, actual, kinks, (e, a) -> tol.abs() + tol.rel() * Math.abs(e));
    }

    /**
     * Compares an analytic gradient with finite differences, skipping kinks and entries that were not sampled; for
     * a sampled tensor also compares {@code ⟨gradient, u⟩} with the derivative along each random direction
     * {@code u}.
     */
    static Result finiteDifferences(String tensor, Numeric numeric, Matrix actual) {
        double floor = FD_ATOL * Math.max(1, Math.abs(numeric.objective()));
        Allowed allowed = (n, a) -> floor + FD_RTOL * Math.max(Math.abs(a), Math.abs(n));
        Result entries = run(tensor, numeric.central(), actual, Optional.of(numeric), allowed);
        if (!entries.ok()) {
            return entries;
        }
        int k = 0;
        for (Numeric.Direction d : numeric.directions()) {
            k++;
            double a = actual.hadamard(FiniteDifferences.direction(d.seed(), actual.rows(), actual.cols())).sum();
            double n = d.numeric();
            double err = Math.abs(a - n);
            if (!(err <= allowed.at(n, a))) {
                return new Result(1, 0, 0, new Worst(tensor + " along random direction " + k, -1, -1, n, a, err,
                        n == 0 ? err : err / Math.abs(n)));
            }
        }
        return entries;
    }

    private interface Allowed {
        double at(double expected, double actual);
    }

    private static Result run(String tensor, Matrix expected, Matrix actual, Optional<Numeric> kinks,
            Allowed allowed) {
        int failures = 0;
        int inconclusive = 0;
        int kinkCount = 0;
        Worst worstFail = null;
        double worstExcess = -1;
        Worst largest = null;
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                double e = expected.get(i, j);
                double a = actual.get(i, j);
                if (Double.isNaN(e) && kinks.isPresent()) {
                    continue; // an entry finite differences did not sample
                }
                double err = Math.abs(a - e);
                double excess = Double.isFinite(a) ? err - allowed.at(e, a) : Double.POSITIVE_INFINITY;
                Worst w = new Worst(tensor, i, j, e, a, Double.isFinite(a) ? err : Double.NaN,
                        Double.isFinite(a) ? (e == 0 ? err : err / Math.abs(e)) : Double.NaN);
                if (largest == null || !(err <= largest.absError())) {
                    largest = w;
                }
                if (excess <= 0) {
                    continue;
                }
                if (kinks.isPresent() && kinks.get().isKink(i, j)) {
                    kinkCount++;
                    double lo = Math.min(kinks.get().left().get(i, j), kinks.get().right().get(i, j));
                    double hi = Math.max(kinks.get().left().get(i, j), kinks.get().right().get(i, j));
                    // one-sided slopes carry an O(h) error, far above the tolerance of a central difference
                    double slack = allowed.at(e, a) + ONE_SIDED_SLACK * Math.max(1, Math.max(Math.abs(lo),
                            Math.abs(hi)));
                    if (!(a >= lo - slack && a <= hi + slack)) {
                        inconclusive++;
                    }
                    continue;
                }
                failures++;
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worstFail = w;
                }
            }
        }
        return new Result(failures, inconclusive, kinkCount, worstFail != null ? worstFail : largest);
    }

    /** One line about an entry: {@code "W1[0][1]: expected 0.5, got -0.5 (abs error 1, rel error 2)"}. */
    static String describe(Worst w, String expectedWord) {
        return w.where() + ": " + expectedWord + " " + Matrix.format(w.expected()) + ", got "
                + Matrix.format(w.actual()) + " (abs error " + Matrix.format(w.absError()) + ", rel error "
                + Matrix.format(w.relError()) + ")";
    }
}
