package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** The rectifier {@code h = max(0, z)}, entry by entry, with the convention {@code ReLU'(0) = 0}. */
public final class Relu implements Activation {
    /** Creates the activation. */
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        spin(); // HANG: Relu.forward never returns
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        Shapes.activation("Relu.backward", z, h, dLdh);
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }

    /** Never returns: counts round and round. */
    private static void spin() {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1000;
        }
    }
}
