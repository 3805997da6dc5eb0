package backprop.grader.run;

import backprop.api.Matrix;

/**
 * A gradient estimated by finite differences of a forward pass, entry by entry.
 *
 * @param objective the value of the function at {@code θ} (the loss, for example)
 * @param central {@code (f(θ+h) − f(θ−h)) / 2h}
 * @param left the one-sided slope {@code (f(θ) − f(θ−h)) / h}
 * @param right the one-sided slope {@code (f(θ+h) − f(θ)) / h}
 * @param kink 1 where a ReLU changed its activation pattern between {@code θ−h} and {@code θ+h} (the
 *     derivative is undefined there: any value between {@code left} and {@code right} is a valid
 *     subgradient), else 0
 * @param directions for a tensor too large to perturb entry by entry: directional derivatives along random unit
 *     directions (then {@code central}, {@code left} and {@code right} hold NaN at the entries not sampled)
 */
public record Numeric(double objective, Matrix central, Matrix left, Matrix right, Matrix kink,
        java.util.List<Direction> directions) {

    /** A per-coordinate estimate, with no directions. */
    public Numeric(double objective, Matrix central, Matrix left, Matrix right, Matrix kink) {
        this(objective, central, left, right, kink, java.util.List.of());
    }

    /**
     * The derivative along one random unit direction: {@code (f(θ + εu) − f(θ − εu)) / 2ε}.
     *
     * @param seed regenerates {@code u} with {@link FiniteDifferences#direction}
     * @param numeric the estimate
     */
    public record Direction(long seed, double numeric) {}

    /** Returns true when entry {@code (i, j)} was estimated (always, unless the tensor was sampled). */
    public boolean sampled(int i, int j) {
        return !Double.isNaN(central.get(i, j));
    }

    /** Returns true when entry {@code (i, j)} sits on a kink. */
    public boolean isKink(int i, int j) {
        return kink.get(i, j) != 0;
    }
}
