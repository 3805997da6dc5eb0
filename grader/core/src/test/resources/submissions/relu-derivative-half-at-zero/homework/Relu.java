package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: ReLU'(0) = ½, between the two one-sided slopes. Not a bug: must not lose points. */
public final class Relu implements Activation {
    /** Creates the activation. */
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : v == 0 ? 0.5 * g : 0.0); // NOT A BUG: ½ is a valid subgradient
    }
}
