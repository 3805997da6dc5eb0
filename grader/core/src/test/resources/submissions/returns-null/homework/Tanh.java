package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: a tanh whose backward returns null. */
public final class Tanh implements Activation {
    /** Creates the activation. */
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return null; // BUG: forgot to return the gradient
    }
}
