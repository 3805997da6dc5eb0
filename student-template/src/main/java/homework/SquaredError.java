package homework;

import backprop.api.Loss;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * Half the squared error, added up over every output of every example: {@code L = ½ Σ (y − t)²}.
 *
 * <p>Used by: net-batch-squared-error, net-gated-skip, ops, seed-000, seed-002a, seed-003a, seed-004.
 */
public final class SquaredError implements Loss {
    /** Creates the loss; keep this constructor, the grader calls it. */
    public SquaredError() {}

    /**
     * Computes {@code L = ½ Σ_n Σ_k (y_nk − t_nk)²}: square every difference between prediction and target, add
     * them all up (over the batch and over the outputs), halve the total. No division by {@code N}: this loss
     * sums, it does not average (see {@link MeanSquaredError} for the averaged one).
     *
     * <p>Shapes: {@code prediction} and {@code target} are {@code N×D}, one example a row; if they differ, throw
     * an {@link IllegalArgumentException} naming both shapes.
     *
     * @param prediction the network's output {@code y}, {@code N×D}
     * @param target the targets {@code t}, {@code N×D}
     * @return the loss
     */
    @Override
    public double value(Matrix prediction, Matrix target) {
        throw new NotImplemented("SquaredError.value");
    }

    /**
     * Computes {@code dL/dy = y − t}, entry by entry: the 2 that comes down from the square cancels the ½.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>Classic mistakes: {@code t − y} (the sign flipped: gradient descent then climbs the loss), and
     * {@code 2(y − t)} (the ½ in the loss forgotten).
     *
     * @param prediction the network's output {@code y}, {@code N×D}
     * @param target the targets {@code t}, {@code N×D}
     * @return {@code dL/dy}, {@code N×D}
     */
    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("SquaredError.gradient");
    }

    /**
     * Computes {@code dL/dt = t − y}, entry by entry: the target enters the difference with the opposite
     * sign to the prediction, so its gradient is {@link #gradient}'s with the sign flipped.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>Classic mistake: returning zeros because "the target is a constant". It usually is, but not when
     * the loss compares two outputs of the network (a twin network), and then that branch learns nothing.
     *
     * @param prediction the network's output, {@code N×D}
     * @param target the targets, {@code N×D}
     * @return {@code dL/dtarget}, {@code N×D}
     */
    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("SquaredError.targetGradient");
    }
}
