package backprop.api;

/**
 * The affine map {@code y = W x + b} of a batch: with one example a row, {@code Y = X Wᵀ + 1 b}.
 *
 * <p>Shapes: {@code X} is {@code N×D_in}, {@code W} is {@code D_out×D_in}, {@code b} is {@code 1×D_out},
 * {@code Y} is {@code N×D_out}.
 */
public interface AffineOp {
    /**
     * Computes {@code Y = X Wᵀ + b}, adding the bias row to every example.
     *
     * @param x inputs, {@code N×D_in}
     * @param w weights, {@code D_out×D_in}
     * @param b bias, {@code 1×D_out}
     * @return outputs, {@code N×D_out}
     */
    Matrix forward(Matrix x, Matrix w, Matrix b);

    /**
     * Computes the gradients of the loss with respect to the three inputs from {@code dL/dY}:
     * {@code dL/dX = dL/dY · W} ({@code N×D_in}), {@code dL/dW = (dL/dY)ᵀ · X} ({@code D_out×D_in}),
     * {@code dL/db = } the column sums of {@code dL/dY} ({@code 1×D_out}): the bias is shared by every
     * example, so its gradient adds theirs up.
     *
     * @param x the inputs given to {@link #forward}, {@code N×D_in}
     * @param w the weights, {@code D_out×D_in}
     * @param b the bias, {@code 1×D_out}
     * @param dLdy the gradient of the loss with respect to the output, {@code N×D_out}
     * @return the three gradients, each with the shape of what it is the gradient of
     */
    Gradients backward(Matrix x, Matrix w, Matrix b, Matrix dLdy);
}
