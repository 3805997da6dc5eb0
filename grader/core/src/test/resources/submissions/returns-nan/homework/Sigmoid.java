package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: a sigmoid whose forward divides 0 by 0 and so returns NaN everywhere. */
public final class Sigmoid implements Activation {
    /** Creates the activation. */
    public Sigmoid() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> 0.0 / (v - v)); // BUG: NaN in every entry
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, s) -> g * s * (1 - s));
    }
}
