package homework;

import backprop.api.Loss;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * Binary cross-entropy of predicted probabilities against 0/1 targets, averaged over the batch:
 * {@code L = −(1/N) Σ [t log y + (1 − t) log(1 − y)]}.
 *
 * <p>Used by: ops, seed-002c, seed-002e.
 */
public final class BinaryCrossEntropy implements Loss {
    /** Creates the loss; keep this constructor, the grader calls it. */
    public BinaryCrossEntropy() {}

    /**
     * Computes {@code L = −(1/N) Σ_n Σ_k [t_nk log y_nk + (1 − t_nk) log(1 − y_nk)]}, with {@code N} the number
     * of rows. Here {@code prediction} is already a probability in (0, 1), typically a sigmoid output.
     *
     * <p>Shapes: {@code prediction} and {@code target} are {@code N×D}, one example a row (usually
     * {@code D = 1}).
     *
     * <p>When a target is exactly 0 or 1, one of the two terms has weight 0; skip it rather than multiplying 0 by
     * a log that may be {@code −∞} (that product is {@code NaN} in Java).
     *
     * @param prediction the predicted probabilities {@code y}, {@code N×D}, in (0, 1)
     * @param target the targets {@code t}, {@code N×D}, usually 0 or 1
     * @return the loss
     */
    @Override
    public double value(Matrix prediction, Matrix target) {
        throw new NotImplemented("BinaryCrossEntropy.value");
    }

    /**
     * Computes {@code dL/dy = (y − t) / (y(1 − y)) / N}, entry by entry; it comes from
     * {@code −t/y + (1 − t)/(1 − y)} put over a common denominator, then divided by {@code N} for the mean.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>This is the gradient with respect to the probability {@code y}, not the logit: the sigmoid before it
     * has its own backward, and multiplying by its slope {@code y(1 − y)} later is what turns this into the
     * familiar {@code (y − t)/N}. Classic mistake: returning {@code (y − t)/N} here already, so that the
     * sigmoid's slope is applied on top of a gradient that had it cancelled out.
     *
     * @param prediction the predicted probabilities {@code y}, {@code N×D}, in (0, 1)
     * @param target the targets {@code t}, {@code N×D}
     * @return {@code dL/dy}, {@code N×D}
     */
    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("BinaryCrossEntropy.gradient");
    }

    /**
     * Computes {@code dL/dt = (log(1 − y) − log y) / N}, entry by entry: the loss is linear in
     * the target {@code t}.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>Classic mistake: reusing {@link #gradient}'s {@code (y − t) / (y(1 − y))}, which is the gradient with
     * respect to the prediction, not the target.
     *
     * @param prediction the network's output, {@code N×D}
     * @param target the targets, {@code N×D}
     * @return {@code dL/dtarget}, {@code N×D}
     */
    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("BinaryCrossEntropy.targetGradient");
    }
}
