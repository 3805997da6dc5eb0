package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: backward returns null. */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return null;
    }
}
