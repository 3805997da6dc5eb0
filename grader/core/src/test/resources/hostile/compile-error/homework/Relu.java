package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: does not compile. */
public final class Relu implements Activation {
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> Math.max(0.0, v)
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return undefinedVariable;
    }
}
