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
 */
public record Numeric(double objective, Matrix central, Matrix left, Matrix right, Matrix kink) {
    /** Returns true when entry {@code (i, j)} sits on a kink. */
    public boolean isKink(int i, int j) {
        return kink.get(i, j) != 0;
    }
}
