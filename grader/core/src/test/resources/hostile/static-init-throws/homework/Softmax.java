package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: its static initialiser throws. */
public final class Softmax implements Activation {
    static final int[] TABLE = build();

    public Softmax() {}

    private static int[] build() {
        throw new IllegalStateException("static table failed");
    }

    @Override
    public Matrix forward(Matrix z) {
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
