package homework;

import backprop.api.Gradients;
import backprop.api.LinearOp;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The fully connected layer without a bias, {@code y = W x} for each example, which for a batch reads
 * {@code Y = X Wᵀ}.
 *
 * <p>Used by: net-gated-skip, ops, seed-001, seed-002c, seed-002f.
 */
public final class Linear implements LinearOp {
    /** Creates the operation; keep this constructor, the grader calls it. */
    public Linear() {}

    /**
     * Computes {@code Y = X Wᵀ}: every row of {@code X} is one example {@code x}, and its row of {@code Y} is
     * {@code (W x)ᵀ}.
     *
     * <p>Shapes: {@code X} is {@code N×D_in}, {@code W} is {@code D_out×D_in}, {@code Y} is {@code N×D_out}. If
     * the column counts of {@code X} and {@code W} differ, throw an {@link IllegalArgumentException} that names
     * both shapes.
     *
     * @param x inputs, {@code N×D_in}
     * @param w weights, {@code D_out×D_in}
     * @return outputs, {@code N×D_out}
     */
    @Override
    public Matrix forward(Matrix x, Matrix w) {
        throw new NotImplemented("Linear.forward");
    }

    /**
     * Turns {@code dL/dY} into {@code dL/dX = dL/dY · W} ({@code N×D_in}) and
     * {@code dL/dW = (dL/dY)ᵀ · X} ({@code D_out×D_in}); return them in that order with
     * {@code Gradients.of(dX, dW)}.
     *
     * <p>In the lecture's column notation the same rules read {@code dL/dx = Wᵀ (dL/dy)} and
     * {@code dL/dW = (dL/dy) xᵀ}. With one example a row everything is transposed, and so the order of the
     * factors flips.
     *
     * <p>Classic mistake: copying {@code Wᵀ (dL/dy)} literally as {@code Wᵀ · (dL/dY)ᵀ}. That is the transpose
     * of the answer ({@code D_in×N}); transpose it back, or better, write {@code dL/dY · W} directly.
     *
     * @param x the inputs given to {@link #forward}, {@code N×D_in}
     * @param w the weights, {@code D_out×D_in}
     * @param dLdy the gradient of the loss with respect to {@code Y}, {@code N×D_out}
     * @return {@code dL/dX} then {@code dL/dW}
     */
    @Override
    public Gradients backward(Matrix x, Matrix w, Matrix dLdy) {
        throw new NotImplemented("Linear.backward");
    }
}
