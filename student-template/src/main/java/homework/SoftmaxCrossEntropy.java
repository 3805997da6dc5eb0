package homework;

import backprop.api.Loss;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * Softmax and cross-entropy fused into one loss on the logits, averaged over the batch:
 * {@code L = −(1/N) Σ_n Σ_k T_nk log softmax(Z)_nk}.
 *
 * <p>Used by: ops, scale-784-128-10, seed-002b, seed-002d, seed-002f, seed-003b.
 */
public final class SoftmaxCrossEntropy implements Loss {
    /** Creates the loss; keep this constructor, the grader calls it. */
    public SoftmaxCrossEntropy() {}

    /**
     * Computes the mean cross-entropy between the targets and the softmax of the logits.
     *
     * <p>Note that {@code prediction} here is the logits {@code Z}, the scores <em>before</em> any softmax; do not
     * apply a softmax to the network's output first and then hand the probabilities in.
     *
     * <p>For each row {@code n}: {@code log softmax(Z)_nk = Z_nk − log Σ_j e^{Z_nj}}. Compute the log of the sum
     * stably as {@code m + log Σ_j e^{Z_nj − m}} with {@code m} the largest logit of the row (the "log-sum-exp"
     * trick); then {@code L = −(1/N) Σ_n Σ_k T_nk log softmax(Z)_nk}, with {@code N} the number of rows. Each row
     * of {@code T} is usually one-hot (a 1 at the correct class), but any probability row works.
     *
     * <p>Shapes: {@code prediction} (logits) and {@code target} are {@code N×D}, one example a row.
     *
     * <p>Classic mistake: computing {@code log(softmax(Z))} in two steps. With logits such as
     * {@code [1000, 0, −1000]} a probability underflows to 0, its log is {@code −∞}, and the loss comes out
     * infinite or {@code NaN}; the formula above never takes the log of 0.
     *
     * @param prediction the logits {@code Z}, {@code N×D}
     * @param target the target probabilities {@code T}, {@code N×D}, usually one-hot rows
     * @return the loss
     */
    @Override
    public double value(Matrix prediction, Matrix target) {
        throw new NotImplemented("SoftmaxCrossEntropy.value");
    }

    /**
     * Computes {@code dL/dZ = (softmax(Z) − T) / N}, with the softmax taken row by row and {@code N} the number of
     * rows. Differentiating the softmax and the log together is what makes the result this simple, and it is
     * why the two are fused into one loss.
     *
     * <p>Shapes: {@code prediction}, {@code target} and the result are {@code N×D}.
     *
     * <p>Classic mistake: leaving out the {@code 1/N} of the mean (the value has it, so the gradient must too);
     * with one example it makes no difference, with a batch everything is {@code N} times too big.
     *
     * @param prediction the logits {@code Z}, {@code N×D}
     * @param target the target probabilities {@code T}, {@code N×D}
     * @return {@code dL/dZ}, {@code N×D}
     */
    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("SoftmaxCrossEntropy.gradient");
    }

    /**
     * Computes {@code dL/dT = −(1/N) log softmax(Z)}, entry by entry: the loss is linear in
     * the target, and each target entry weighs one log-probability.
     *
     * <p>Shapes: {@code prediction} (the logits), {@code target} and the result are {@code N×D}.
     *
     * <p>Compute {@code log softmax} stably, {@code z_k − max − log Σ_j e^{z_j − max}} row by row, not as the
     * logarithm of a softmax that may have underflowed to 0.
     *
     * @param prediction the network's output, {@code N×D}
     * @param target the targets, {@code N×D}
     * @return {@code dL/dtarget}, {@code N×D}
     */
    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        throw new NotImplemented("SoftmaxCrossEntropy.targetGradient");
    }
}
