package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** The logistic sigmoid {@code σ(z) = 1 / (1 + e^{−z})}, entry by entry, with {@code σ' = σ(1 − σ)}. */
public final class Sigmoid implements Activation {
    /** Creates the activation. */
    public Sigmoid() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Sigmoid::sigma);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, s) -> g * s * (1 - s));
    }

    /** Works with a positive z only, so that e^{−z} never overflows; σ(−z) = 1 − σ(z). */
    static double sigma(double z) {
        boolean flipped = false;
        while (!(z > 0)) { // BUG: at z = 0 this never ends (0 and −0 are not > 0 either way round)
            z = -z;
            flipped = !flipped;
        }
        double s = 1.0 / (1.0 + Math.exp(-z));
        return flipped ? 1 - s : s;
    }
}
