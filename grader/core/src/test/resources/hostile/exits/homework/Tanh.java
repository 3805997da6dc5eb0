package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: ends the JVM as soon as it is called (only the last assignment, ops, uses Tanh). */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        System.exit(3);
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
