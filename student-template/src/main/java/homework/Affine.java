package homework;

import backprop.api.AffineOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The fully connected layer with a bias, {@code y = W x + b} for each example, which for a batch reads
 * {@code Y = X Wᵀ + b}.
 *
 * <p>Used by: net-batch-squared-error, net-gated-skip, net-momentum, net-softmax-cross-entropy, ops, scale-784-128-10,
 *     seed-000, seed-002a, seed-002b, seed-002d, seed-002e, seed-002f, seed-003a, seed-003b, seed-003c, seed-004.
 */
public final class Affine implements AffineOp {
    /** Creates the operation; keep this constructor, the grader calls it. */
    public Affine() {}

    /**
     * Computes {@code Y = X Wᵀ + b}: every row of {@code X} is one example {@code x}, and its row of {@code Y} is
     * {@code (W x + b)ᵀ}. The same bias row is added to every example.
     *
     * <p>Shapes: {@code X} is {@code N×D_in}, {@code W} is {@code D_out×D_in} (one row per output unit, as in the
     * lecture), {@code b} is {@code 1×D_out}, and {@code Y} is {@code N×D_out}. If they do not fit, throw an
     * {@link IllegalArgumentException} whose message names the shapes you got.
     *
     * <p>Classic mistake: writing {@code W X}. With one example a row the weights act from the right, through
     * {@code Wᵀ}. Matching the inner dimensions of every product is the quickest way to get this right.
     *
     * @param x inputs, {@code N×D_in}
     * @param w weights, {@code D_out×D_in}
     * @param b bias, {@code 1×D_out}
     * @return outputs, {@code N×D_out}
     */
    @Override
    public Matrix forward(Matrix x, Matrix w, Matrix b) {
        throw new NotImplemented("Affine.forward");
    }

    /**
     * Turns {@code dL/dY} into the gradients of the three inputs:
     * <ul>
     *   <li>{@code dL/dX = dL/dY · W}, shape {@code N×D_in}: each example's gradient goes back through the same
     *       weights;</li>
     *   <li>{@code dL/dW = (dL/dY)ᵀ · X}, shape {@code D_out×D_in}: for one example this is the outer product
     *       {@code (dL/dy) xᵀ}, and the matrix product adds those up over the batch;</li>
     *   <li>{@code dL/db} = the sum of the rows of {@code dL/dY}, shape {@code 1×D_out}: every example used the
     *       same bias, so the bias collects every example's gradient.</li>
     * </ul>
     * Return them in that order with {@code Gradients.of(dX, dW, db)}.
     *
     * <p>Each gradient has exactly the shape of what it is the gradient of. That is the check to do first when
     * a result is wrong: a missing transpose usually shows up as a {@code D_in×D_out} weight gradient or an
     * {@code D_in×N} input gradient.
     *
     * <p>Classic mistakes: {@code Xᵀ · dL/dY} for {@code dL/dW} (the transpose of the right answer); taking the
     * mean instead of the sum for {@code dL/db} (any averaging over the batch already happened in the loss).
     *
     * @param x the inputs given to {@link #forward}, {@code N×D_in}
     * @param w the weights, {@code D_out×D_in}
     * @param b the bias, {@code 1×D_out}
     * @param dLdy the gradient of the loss with respect to {@code Y}, {@code N×D_out}
     * @return {@code dL/dX}, {@code dL/dW} and {@code dL/db}, in that order
     */
    @Override
    public Gradients backward(Matrix x, Matrix w, Matrix b, Matrix dLdy) {
        throw new NotImplemented("Affine.backward");
    }
}
