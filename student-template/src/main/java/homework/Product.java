package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The entrywise (Hadamard) product {@code y = a ⊙ b} of two matrices of the same shape.
 *
 * <p>Used by: net-gated-skip, ops, seed-002e.
 */
public final class Product implements ElementwiseOp {
    /** Creates the operation; keep this constructor, the grader calls it. */
    public Product() {}

    /**
     * Multiplies the two operands entry by entry: {@code y_ij = a_ij · b_ij}. This is not the matrix product.
     *
     * <p>Shapes: {@code a}, {@code b} and the result are all {@code N×D}; if {@code a} and {@code b} differ in
     * shape, throw an {@link IllegalArgumentException} naming both.
     *
     * @param a first operand, {@code N×D}
     * @param b second operand, {@code N×D}
     * @return {@code a ⊙ b}, {@code N×D}
     */
    @Override
    public Matrix forward(Matrix a, Matrix b) {
        throw new NotImplemented("Product.forward");
    }

    /**
     * Each operand's gradient is the upstream gradient times the <em>other</em> operand:
     * {@code dL/da = dL/dy ⊙ b} and {@code dL/db = dL/dy ⊙ a}. Return them in that order with
     * {@code Gradients.of(da, db)}.
     *
     * <p>Shapes: {@code a}, {@code b}, {@code dLdy} and both gradients are {@code N×D}.
     *
     * <p>Classic mistake: swapping the operands ({@code dL/da = dL/dy ⊙ a}). It goes unnoticed whenever
     * {@code a = b}, so test with two different operands.
     *
     * @param a the first operand given to {@link #forward}, {@code N×D}
     * @param b the second operand, {@code N×D}
     * @param dLdy the gradient of the loss with respect to {@code y}, {@code N×D}
     * @return {@code dL/da} then {@code dL/db}
     */
    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        throw new NotImplemented("Product.backward");
    }
}
