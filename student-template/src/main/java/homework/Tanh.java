package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The hyperbolic tangent {@code h = tanh(z)}, applied to every entry on its own.
 *
 * <p>Used by: net-gated-skip, net-momentum, ops, seed-002a, seed-003a, seed-003b, seed-003c.
 */
public final class Tanh implements Activation {
    /** Creates the activation; keep this constructor, the grader calls it. */
    public Tanh() {}

    /**
     * Squashes every entry into the interval (−1, 1) with the hyperbolic tangent.
     *
     * <p>Shapes: {@code z} is {@code N×D}, one example a row; the result has the same shape.
     * {@link Math#tanh} is accurate and never overflows.
     *
     * @param z pre-activations, {@code N×D}
     * @return {@code tanh(z)} entry by entry, {@code N×D}
     */
    @Override
    public Matrix forward(Matrix z) {
        throw new NotImplemented("Tanh.forward");
    }

    /**
     * Multiplies the upstream gradient by the slope of tanh: {@code dL/dz = dL/dh ⊙ (1 − h²)}, because
     * {@code tanh'(z) = 1 − tanh²(z)} and {@code tanh(z)} is exactly the {@code h} you are given.
     *
     * <p>Shapes: {@code z}, {@code h}, {@code dLdh} and the result are all {@code N×D}.
     *
     * <p>Classic mistake: writing {@code 1 − z²}. The formula squares the <em>output</em> {@code h = tanh(z)},
     * not the input; the two agree only at {@code z = 0}, so a test at the origin will not reveal the slip.
     *
     * @param z the pre-activations given to {@link #forward}, {@code N×D}
     * @param h the activations {@link #forward} returned, {@code N×D}
     * @param dLdh the gradient of the loss with respect to {@code h}, {@code N×D}
     * @return {@code dL/dz}, {@code N×D}
     */
    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        throw new NotImplemented("Tanh.backward");
    }
}
