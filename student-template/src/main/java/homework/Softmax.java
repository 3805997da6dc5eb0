package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The softmax of each row, turning one example's scores into probabilities that are positive and add up to 1.
 *
 * <p>Used by: net-softmax-cross-entropy, ops, seed-002b, seed-002d, seed-002f, seed-003b.
 */
public final class Softmax implements Activation {
    /** Creates the activation; keep this constructor, the grader calls it. */
    public Softmax() {}

    /**
     * Computes, for every row {@code n} separately, {@code h_nk = e^{z_nk} / Σ_j e^{z_nj}}.
     *
     * <p>Shapes: {@code z} is {@code N×D}, one example a row (a row holds one example's {@code D} class scores);
     * the result has the same shape and each of its rows sums to 1.
     *
     * <p>For stability, subtract the largest entry of the row from every entry of that row before taking
     * exponentials. The answer is unchanged (the common factor cancels between top and bottom) but
     * {@code e^{1000}} is no longer needed: a row like {@code [1000, 999, −1000]} must give finite probabilities.
     *
     * <p>Classic mistake: normalising over the whole matrix, or over columns, instead of over each row.
     *
     * @param z scores (logits), {@code N×D}
     * @return probabilities, {@code N×D}, each row summing to 1
     */
    @Override
    public Matrix forward(Matrix z) {
        throw new NotImplemented("Softmax.forward");
    }

    /**
     * Back-propagates through the softmax, row by row. Unlike the entrywise activations, every output of a
     * row depends on every input of that row, so the gradient mixes them: for each example {@code n}, first
     * form the single number {@code s_n = Σ_j (dL/dh_nj) h_nj}, then {@code dL/dz_nk = h_nk (dL/dh_nk − s_n)}.
     * In matrix words: {@code dL/dz = h ⊙ (dL/dh − s)} with {@code s} repeated across each row.
     *
     * <p>Shapes: {@code z}, {@code h}, {@code dLdh} and the result are all {@code N×D}; {@code s} is one number
     * per row ({@code N×1}).
     *
     * <p>Classic mistake: treating softmax like sigmoid and returning {@code dL/dh ⊙ h ⊙ (1 − h)}, which keeps
     * only the diagonal of the Jacobian and drops how each probability pulls on the others.
     *
     * @param z the scores given to {@link #forward}, {@code N×D}
     * @param h the probabilities {@link #forward} returned, {@code N×D}
     * @param dLdh the gradient of the loss with respect to {@code h}, {@code N×D}
     * @return {@code dL/dz}, {@code N×D}
     */
    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        throw new NotImplemented("Softmax.backward");
    }
}
