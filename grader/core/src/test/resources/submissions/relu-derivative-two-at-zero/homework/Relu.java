package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: ReLU'(0) = 2, which is no subgradient of ReLU at 0 (they lie in [0, 1]): wrong at a kink. */
public final class Relu implements Activation {
    /** Creates the activation. */
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        // BUG: at 0 the derivative is taken as 2
        return dLdh.zip(z, (g, v) -> v > 0 ? g : v == 0 ? 2 * g : 0.0);
    }
}
