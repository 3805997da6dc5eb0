package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** The hyperbolic tangent, entry by entry, with {@code tanh'(z) = 1 − tanh²(z) = 1 − h²}. */
public final class Tanh implements Activation {
    /** Creates the activation. */
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        Shapes.activation("Tanh.backward", z, h, dLdh);
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }
}
