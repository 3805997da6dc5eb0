package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The identity activation {@code h = z}: the "no activation" of a linear output layer.
 *
 * <p>Used by: ops, seed-000, seed-003a, seed-003c, seed-004.
 */
public final class Identity implements Activation {
    /** Creates the activation; keep this constructor, the grader calls it. */
    public Identity() {}

    /**
     * Returns the pre-activations unchanged.
     *
     * <p>Shapes: {@code z} is {@code N×D}, one example a row; the result is {@code N×D} too. Since a
     * {@link Matrix} can never be changed, returning {@code z} itself is allowed.
     *
     * @param z pre-activations, {@code N×D}
     * @return {@code h = z}, {@code N×D}
     */
    @Override
    public Matrix forward(Matrix z) {
        throw new NotImplemented("Identity.forward");
    }

    /**
     * Passes the upstream gradient through: the derivative of {@code h = z} is 1 at every entry, so
     * {@code dL/dz = dL/dh ⊙ 1 = dL/dh}.
     *
     * <p>Shapes: {@code z}, {@code h}, {@code dLdh} and the result are all {@code N×D}.
     *
     * <p>Classic mistake: returning a matrix of ones (the local derivative) instead of the upstream gradient
     * multiplied by it. A backward method always returns {@code dL/d(input)}, never just {@code d(output)/d(input)}.
     *
     * @param z the pre-activations given to {@link #forward}, {@code N×D}
     * @param h the activations {@link #forward} returned, {@code N×D}
     * @param dLdh the gradient of the loss with respect to {@code h}, {@code N×D}
     * @return {@code dL/dz}, {@code N×D}
     */
    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        throw new NotImplemented("Identity.backward");
    }
}
