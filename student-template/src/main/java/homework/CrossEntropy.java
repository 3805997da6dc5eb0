package homework;

import backprop.api.Loss;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * Cross-entropy of predicted probabilities against targets, averaged over the batch:
 * {@code L = −(1/N) Σ_n Σ_k t_nk log p_nk}. The probabilities usually come from a separate {@code softmax} node,
 * so the gradient flows back through the softmax's own backward.
 *
 * <p>Used by: net-softmax-cross-entropy, ops.
 */
public final class CrossEntropy implements Loss {
    /** Creates the loss; keep this constructor, the grader calls it. */
    public CrossEntropy() {}

    /**
     * Computes {@code L = −(1/N) Σ_n Σ_k t_nk log p_nk}, with {@code N} the number of rows.
     *
     * <p>Shapes: {@code prediction} and {@code target} are {@code N×K}, one example a row; each row of
     * {@code prediction} holds probabilities (positive, usually summing to 1), each row of {@code target} a
     * one-hot vector or a distribution.
     *
     * <p>Where a target is exactly 0 its term has weight 0: skip it rather than multiplying 0 by a log that may be
     * {@code −∞} (that product is {@code NaN} in Java).
     *
     * @param prediction the probabilities {@code p}, {@code N×K}, each in (0, 1]
     * @param target the targets {@code t}, {@code N×K}
     * @return the loss
     */
    @Override
    public double value(Matrix prediction, Matrix target) {
        throw new NotImplemented("CrossEntropy.value");
    }

    /**
     * Computes {@code dL/dp = −t / (N p)}, entry by entry.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×K}.
     *
     * <p>This is the gradient with respect to the probabilities, not the logits. Classic mistake: returning
     * {@code (p − t)/N}, the well-known gradient of softmax with cross-entropy with respect to the logits; here
     * the softmax is a node of its own, and its backward turns {@code −t/(N p)} into {@code (p − t)/N}.
     *
     * @param prediction the probabilities {@code p}, {@code N×K}
     * @param target the targets {@code t}, {@code N×K}
     * @return {@code dL/dp}, {@code N×K}
     */
    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("CrossEntropy.gradient");
    }

    /**
     * Computes {@code dL/dt = −log(p) / N}, entry by entry: the loss is linear in the target.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×K}.
     *
     * @param prediction the probabilities {@code p}, {@code N×K}
     * @param target the targets {@code t}, {@code N×K}
     * @return {@code dL/dt}, {@code N×K}
     */
    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("CrossEntropy.targetGradient");
    }
}
