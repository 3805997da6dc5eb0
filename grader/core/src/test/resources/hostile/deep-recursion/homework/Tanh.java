package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: backward recurses without end; the engine turns the StackOverflowError into an error check. */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return backward(z, h, dLdh.plus(dLdh));
    }
}
