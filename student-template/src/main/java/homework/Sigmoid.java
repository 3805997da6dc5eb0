package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The logistic sigmoid {@code σ(z) = 1 / (1 + e^{−z})}, applied to every entry on its own.
 *
 * <p>Used by: net-gated-skip, ops, seed-001, seed-002c, seed-002e, seed-002f.
 */
public final class Sigmoid implements Activation {
    /** Creates the activation; keep this constructor, the grader calls it. */
    public Sigmoid() {}

    /**
     * Squashes every entry into the interval (0, 1) with {@code σ(z) = 1 / (1 + e^{−z})}.
     *
     * <p>Shapes: {@code z} is {@code N×D}, one example a row; the result has the same shape.
     *
     * <p>Take care with large inputs. The other textbook form, {@code e^{z} / (1 + e^{z})}, turns into
     * {@code ∞/∞ = NaN} once {@code e^{z}} overflows (around {@code z = 710}). The form above stays right: for a
     * very negative {@code z} its {@code e^{−z}} overflows to infinity, and {@code 1/∞} is 0 in Java. An input of
     * ±1000 must give 1 or 0, never NaN.
     *
     * @param z pre-activations, {@code N×D}
     * @return {@code σ(z)} entry by entry, {@code N×D}
     */
    @Override
    public Matrix forward(Matrix z) {
        throw new NotImplemented("Sigmoid.forward");
    }

    /**
     * Multiplies the upstream gradient by the slope of the sigmoid: {@code dL/dz = dL/dh ⊙ σ'(z)}, and the
     * slope is {@code σ'(z) = σ(z)(1 − σ(z)) = h ⊙ (1 − h)}.
     *
     * <p>Shapes: {@code z}, {@code h}, {@code dLdh} and the result are all {@code N×D}.
     *
     * <p>Since {@code h = σ(z)} is handed to you, the slope is one multiplication away; there is no need to
     * recompute any exponential.
     *
     * <p>Classic mistakes: using {@code σ(z)} itself as the derivative (forgetting the factor {@code 1 − σ(z)}),
     * or plugging {@code z} into {@code h(1 − h)} as if it were the output.
     *
     * @param z the pre-activations given to {@link #forward}, {@code N×D}
     * @param h the activations {@link #forward} returned, {@code N×D}
     * @param dLdh the gradient of the loss with respect to {@code h}, {@code N×D}
     * @return {@code dL/dz}, {@code N×D}
     */
    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        throw new NotImplemented("Sigmoid.backward");
    }
}
