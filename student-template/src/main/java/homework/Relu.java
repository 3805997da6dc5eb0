package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import backprop.api.NotImplemented;

/**
 * The rectified linear unit {@code h = max(0, z)}, applied to every entry on its own.
 *
 * <p>Used by: net-batch-squared-error, ops, scale-784-128-10, seed-000, seed-001, seed-002b, seed-002c, seed-002d,
 *     seed-002e, seed-002f, seed-004.
 */
public final class Relu implements Activation {
    /** Creates the activation; keep this constructor, the grader calls it. */
    public Relu() {}

    /**
     * Keeps every positive entry and replaces every other entry by 0.
     *
     * <p>Shapes: {@code z} is {@code N×D}, one example a row; the result has the same shape.
     *
     * @param z pre-activations, {@code N×D}
     * @return {@code h = max(0, z)} entry by entry, {@code N×D}
     */
    @Override
    public Matrix forward(Matrix z) {
        throw new NotImplemented("Relu.forward");
    }

    /**
     * Lets the upstream gradient through where the unit was active and blocks it elsewhere:
     * {@code dL/dz = dL/dh ⊙ ReLU'(z)}, where {@code ReLU'(z)} is 1 for {@code z > 0} and 0 otherwise.
     *
     * <p>Shapes: {@code z}, {@code h}, {@code dLdh} and the result are all {@code N×D}.
     *
     * <p>Convention: {@code ReLU'(0) = 0}. A unit whose pre-activation is exactly 0 passes no gradient; the
     * expected answers of every assignment use this choice, so test {@code z > 0}, not {@code z >= 0}.
     *
     * <p>Classic mistake: multiplying the upstream gradient by {@code h} (the activation value) instead of by the
     * 0/1 derivative. They agree only where {@code h} happens to be 1.
     *
     * @param z the pre-activations given to {@link #forward}, {@code N×D}
     * @param h the activations {@link #forward} returned, {@code N×D}
     * @param dLdh the gradient of the loss with respect to {@code h}, {@code N×D}
     * @return {@code dL/dz}, {@code N×D}
     */
    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        throw new NotImplemented("Relu.backward");
    }
}
