package backprop.grader.check;

import backprop.api.Matrix;

/**
 * What the grader knows of one right tensor, entry by entry, and how it knows it. An entry is exact ({@code low =
 * high = value}), a range (at a ReLU kink every subgradient between {@code low} and {@code high} is right, and
 * {@code value} is the course's convention {@code ReLU'(0) = 0}), or unknown ({@code value} is NaN, the bounds
 * infinite: finite differences were not taken there, or could not decide).
 *
 * @param value the right value of each entry, NaN where unknown
 * @param low the smallest right value of each entry
 * @param high the largest right value of each entry
 * @param source how it is known
 */
public record Known(Matrix value, Matrix low, Matrix high, Source source) {

    /** How the grader knows a right value. */
    public enum Source {
        /** The reference solution, run in the grader's process. */
        REFERENCE,
        /** The assignment file's expected value (a student's local run). */
        FILE,
        /** Finite differences of the submission's own forward pass, which its forward checks found right. */
        FINITE_DIFFERENCES
    }

    /** How a submission's tensor compares with the right one. */
    public enum Verdict {
        /** Every entry known is right, and every entry is known. */
        RIGHT,
        /** Some entry is wrong. */
        WRONG,
        /** No entry known is wrong, but some could not be decided. */
        UNDECIDED
    }

    /** An exactly known tensor. */
    public static Known exactly(Matrix value, Source source) {
        return new Known(value, value, value, source);
    }

    /** Returns true when the entry's right value is known (exactly or as a range). */
    public boolean known(int i, int j) {
        return !Double.isNaN(value.get(i, j));
    }

    /** Returns true when the entry is at a kink: several values are right there. */
    public boolean kinked(int i, int j) {
        return low.get(i, j) != high.get(i, j) && known(i, j);
    }

    /** The largest magnitude of an entry known, the scale the tolerances are relative to. */
    double scale() {
        double s = 0;
        for (int i = 0; i < value.rows(); i++) {
            for (int j = 0; j < value.cols(); j++) {
                if (known(i, j)) {
                    s = Math.max(s, Math.max(Math.abs(low.get(i, j)), Math.abs(high.get(i, j))));
                }
            }
        }
        return s;
    }

    /** Returns true when {@code got}'s entry lies within the right range, up to a rounding-sized tolerance. */
    boolean accepts(Matrix got, int i, int j, double scale) {
        double g = got.get(i, j);
        double lo = low.get(i, j);
        double hi = high.get(i, j);
        double slack = 1e-9 + 1e-6 * scale + 1e-5 * Math.max(Math.abs(lo), Math.abs(hi));
        return g >= lo - slack && g <= hi + slack;
    }

    /** Compares {@code got} (same shape) with what is known, entry by entry. */
    public Verdict judge(Matrix got) {
        if (!got.sameShape(value)) {
            return Verdict.WRONG;
        }
        double scale = scale();
        boolean unknown = false;
        for (int i = 0; i < value.rows(); i++) {
            for (int j = 0; j < value.cols(); j++) {
                if (!known(i, j)) {
                    unknown = true;
                } else if (!accepts(got, i, j, scale)) {
                    return Verdict.WRONG;
                }
            }
        }
        return unknown ? Verdict.UNDECIDED : Verdict.RIGHT;
    }

    /**
     * A judgement and what it rests on.
     *
     * @param verdict how the submission's tensor compares
     * @param right what is known of the right one
     */
    public record Judged(Verdict verdict, Known right) {}
}
