package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: NaN forward, infinite backward. */
public final class Sigmoid implements Activation {
    public Sigmoid() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> 0.0 / 0.0);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.map(v -> Double.POSITIVE_INFINITY);
    }
}
