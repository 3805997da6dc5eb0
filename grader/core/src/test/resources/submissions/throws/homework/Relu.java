package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Fixture: a ReLU whose forward throws an exception of its own. */
public final class Relu implements Activation {
    /** Creates the activation. */
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        throw new IllegalStateException("index out of range in my loop"); // BUG: always throws
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }
}
