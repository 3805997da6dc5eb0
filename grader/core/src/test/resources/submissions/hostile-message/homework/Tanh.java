package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: a tanh whose backward throws an exception whose own getMessage throws. */
public final class Tanh implements Activation {
    /** Creates the activation. */
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        throw new IllegalStateException() { // BUG: an exception that cannot even describe itself
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new IllegalStateException("boom");
            }
        };
    }
}
