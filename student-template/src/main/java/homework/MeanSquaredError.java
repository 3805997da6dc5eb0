package homework;

import backprop.api.Loss;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * Half the squared error of each example, averaged over the batch: {@code L = (1/N) Σ_n ½ Σ_k (y_nk − t_nk)²}.
 *
 * <p>Used by: net-momentum, ops, seed-003c.
 */
public final class MeanSquaredError implements Loss {
    /** Creates the loss; keep this constructor, the grader calls it. */
    public MeanSquaredError() {}

    /**
     * Computes each example's loss {@code ½ Σ_k (y_nk − t_nk)²} (summed over its outputs), then the mean of those
     * over the {@code N} examples of the batch. {@code N} is the number of rows; the outputs within a row are
     * added, not averaged.
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
        throw new NotImplemented("MeanSquaredError.value");
    }

    /**
     * Computes {@code dL/dy = (y − t) / N}, entry by entry, with {@code N} the number of rows.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>Classic mistake: keeping the {@code 1/N} in {@link #value} but forgetting it here. With a single
     * example ({@code N = 1}) nothing shows; with a batch every gradient comes out {@code N} times too big.
     * Also do not divide by {@code N·D}: the outputs of one example are summed.
     *
     * @param prediction the network's output {@code y}, {@code N×D}
     * @param target the targets {@code t}, {@code N×D}
     * @return {@code dL/dy}, {@code N×D}
     */
    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("MeanSquaredError.gradient");
    }

    /**
     * Computes {@code dL/dt = (t − y) / N}, entry by entry: {@link #gradient}'s value with the sign
     * flipped, still divided by the number of rows {@code N}.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>Classic mistake: forgetting the {@code 1/N} here although it is in {@link #gradient}.
     *
     * @param prediction the network's output, {@code N×D}
     * @param target the targets, {@code N×D}
     * @return {@code dL/dtarget}, {@code N×D}
     */
    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("MeanSquaredError.targetGradient");
    }
}
