package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: a ReLU using the other valid subgradient at 0, ReLU'(0) = 1. Not a bug: must not lose points. */
public final class Relu implements Activation {
    /** Creates the activation. */
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v >= 0 ? g : 0.0); // NOT A BUG: ReLU'(0) = 1 is a valid subgradient too
    }
}
