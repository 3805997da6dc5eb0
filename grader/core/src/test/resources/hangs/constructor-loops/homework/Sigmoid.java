package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** The logistic sigmoid {@code σ(z) = 1 / (1 + e^{−z})}, entry by entry, with {@code σ' = σ(1 − σ)}. */
public final class Sigmoid implements Activation {
    /** Creates the activation. */
    public Sigmoid() {
        spin(); // HANG: new Sigmoid() never returns
    }

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Sigmoid::sigma);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        Shapes.activation("Sigmoid.backward", z, h, dLdh);
        return dLdh.zip(h, (g, s) -> g * s * (1 - s));
    }

    /** Never exponentiates a large positive number, so neither tail overflows. */
    static double sigma(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** Never returns: counts round and round. */
    private static void spin() {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1000;
        }
    }
}
