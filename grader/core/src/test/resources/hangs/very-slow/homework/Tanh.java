package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** The hyperbolic tangent, entry by entry, with {@code tanh'(z) = 1 − tanh²(z) = 1 − h²}. */
public final class Tanh implements Activation {
    /** Creates the activation. */
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        crawl(); // HANG: Tanh.forward takes ten minutes
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        Shapes.activation("Tanh.backward", z, h, dLdh);
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }

    /** Returns after ten minutes, or at once when interrupted: very slow rather than endless. */
    private static void crawl() {
        try {
            Thread.sleep(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
