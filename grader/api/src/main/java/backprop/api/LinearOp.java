package backprop.api;

/**
 * The bias-free linear map {@code y = W x} of a batch: with one example a row, {@code Y = X Wᵀ}.
 *
 * <p>Shapes: {@code X} is {@code N×D_in}, {@code W} is {@code D_out×D_in}, {@code Y} is {@code N×D_out}.
 */
public interface LinearOp {
    /**
     * Computes {@code Y = X Wᵀ}.
     *
     * @param x inputs, {@code N×D_in}
     * @param w weights, {@code D_out×D_in}
     * @return outputs, {@code N×D_out}
     */
    Matrix forward(Matrix x, Matrix w);

    /**
     * Computes {@code dL/dX = dL/dY · W} ({@code N×D_in}) and {@code dL/dW = (dL/dY)ᵀ · X}
     * ({@code D_out×D_in}).
     *
     * @param x the inputs given to {@link #forward}, {@code N×D_in}
     * @param w the weights, {@code D_out×D_in}
     * @param dLdy the gradient of the loss with respect to the output, {@code N×D_out}
     * @return two gradients, for {@code x} then {@code w}
     */
    Gradients backward(Matrix x, Matrix w, Matrix dLdy);
}
