package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The entrywise sum {@code y = a + b} of two matrices of the same shape, as in a skip connection.
 *
 * <p>Used by: net-gated-skip, ops, seed-002a, seed-002f.
 */
public final class Sum implements ElementwiseOp {
    /** Creates the operation; keep this constructor, the grader calls it. */
    public Sum() {}

    /**
     * Adds the two operands entry by entry.
     *
     * <p>Shapes: {@code a}, {@code b} and the result are all {@code N×D}; if {@code a} and {@code b} differ in
     * shape, throw an {@link IllegalArgumentException} naming both.
     *
     * @param a first operand, {@code N×D}
     * @param b second operand, {@code N×D}
     * @return {@code a + b}, {@code N×D}
     */
    @Override
    public Matrix forward(Matrix a, Matrix b) {
        throw new NotImplemented("Sum.forward");
    }

    /**
     * Hands the upstream gradient, unchanged, to both operands: {@code ∂y/∂a} and {@code ∂y/∂b} are both 1, so
     * {@code dL/da = dL/db = dL/dy}. Return {@code Gradients.of(dLdy, dLdy)}.
     *
     * <p>Shapes: {@code a}, {@code b}, {@code dLdy} and both gradients are {@code N×D}.
     *
     * <p>Classic mistake: splitting the gradient in half between the two operands. A sum copies its gradient; it
     * does not share it out. In a skip connection this is what lets the gradient reach early layers intact.
     *
     * @param a the first operand given to {@link #forward}, {@code N×D}
     * @param b the second operand, {@code N×D}
     * @param dLdy the gradient of the loss with respect to {@code y}, {@code N×D}
     * @return {@code dL/da} then {@code dL/db}
     */
    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        throw new NotImplemented("Sum.backward");
    }
}
