package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: right, but each forward takes 0.4 s, within the call limit; only ops uses Tanh, and its checks call it often. */
public final class Tanh implements Activation {
    /** Creates the activation. */
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            Thread.sleep(400);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        Shapes.activation("Tanh.backward", z, h, dLdh);
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }
}
