package backprop.api;

/**
 * A binary entrywise operation of two same-shaped matrices: the product {@code a ⊙ b} or the sum
 * {@code a + b} (a skip connection).
 *
 * <p>Shapes: {@code a}, {@code b}, the output and every gradient are {@code N×D}.
 */
public interface ElementwiseOp {
    /**
     * Computes the output entry by entry.
     *
     * @param a first operand, {@code N×D}
     * @param b second operand, {@code N×D}
     * @return the result, {@code N×D}
     */
    Matrix forward(Matrix a, Matrix b);

    /**
     * Computes {@code dL/da} and {@code dL/db} from {@code dL/dy}. For the product,
     * {@code dL/da = dL/dy ⊙ b} and {@code dL/db = dL/dy ⊙ a}; for the sum both are {@code dL/dy}.
     *
     * @param a the first operand given to {@link #forward}, {@code N×D}
     * @param b the second operand, {@code N×D}
     * @param dLdy the gradient of the loss with respect to the output, {@code N×D}
     * @return two gradients, for {@code a} then {@code b}
     */
    Gradients backward(Matrix a, Matrix b, Matrix dLdy);
}
