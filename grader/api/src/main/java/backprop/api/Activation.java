package backprop.api;

/**
 * An activation applied to a batch of pre-activations: identity, ReLU, sigmoid, tanh (entry by entry) or
 * softmax (row by row).
 *
 * <p>Shapes: {@code z}, {@code h}, {@code dLdh} and the result of {@link #backward} are all {@code N×D},
 * one example a row.
 */
public interface Activation {
    /**
     * Computes {@code h = f(z)}.
     *
     * @param z pre-activations, {@code N×D}
     * @return activations, {@code N×D}
     */
    Matrix forward(Matrix z);

    /**
     * Computes {@code dL/dz} from {@code dL/dh}: for an entrywise activation {@code dL/dz = dL/dh ⊙ f'(z)};
     * for softmax, row by row, {@code dL/dz = h ⊙ (dL/dh − (dL/dh · h))}.
     *
     * <p>Both the input {@code z} and the output {@code h = forward(z)} are given so that a derivative that is
     * easiest to write from the output (sigmoid, tanh) need not recompute it. Take care to evaluate the
     * derivative at the right point: {@code tanh'(z) = 1 − tanh²(z) = 1 − h²}, not {@code 1 − z²}.
     * Convention: {@code ReLU'(0) = 0}.
     *
     * @param z the input given to {@link #forward}, {@code N×D}
     * @param h the output of {@link #forward} for that input, {@code N×D}
     * @param dLdh the gradient of the loss with respect to {@code h}, {@code N×D}
     * @return the gradient of the loss with respect to {@code z}, {@code N×D}
     */
    Matrix backward(Matrix z, Matrix h, Matrix dLdh);
}
