package backprop.api;

/**
 * A loss comparing a batch of predictions with targets: ½ squared error (summed or averaged over the
 * batch), softmax with cross-entropy (averaged), or binary cross-entropy (averaged).
 *
 * <p>Shapes: {@code prediction} and {@code target} are {@code N×D}, one example a row; both gradients have the
 * same shape. Where a loss averages over the batch it divides by {@code N}, the number of rows.
 *
 * <p>A loss is differentiable in both of its inputs. The target is usually data, but it can be computed too: a
 * twin network compares two outputs, {@code L = ½ Σ (y₁ − y₂)²}, and then the gradient flows into both branches.
 */
public interface Loss {
    /**
     * Computes the loss, a single number.
     *
     * @param prediction the network's output, {@code N×D} (for softmax with cross-entropy: the logits,
     *     before the softmax)
     * @param target the targets, {@code N×D}
     * @return the loss
     */
    double value(Matrix prediction, Matrix target);

    /**
     * Computes the gradient of {@link #value} with respect to {@code prediction}.
     *
     * @param prediction the network's output, {@code N×D}
     * @param target the targets, {@code N×D}
     * @return {@code dL/dprediction}, {@code N×D}
     */
    Matrix gradient(Matrix prediction, Matrix target);

    /**
     * Computes the gradient of {@link #value} with respect to {@code target}.
     *
     * @param prediction the network's output, {@code N×D}
     * @param target the targets, {@code N×D}
     * @return {@code dL/dtarget}, {@code N×D}
     */
    Matrix targetGradient(Matrix prediction, Matrix target);
}
