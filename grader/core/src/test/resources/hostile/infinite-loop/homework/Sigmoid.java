package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: never returns (only the last assignment, ops, uses Sigmoid). */
public final class Sigmoid implements Activation {
    public Sigmoid() {}

    @Override
    public Matrix forward(Matrix z) {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1000;
        }
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
