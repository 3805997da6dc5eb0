package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/**
 * Hostile: its forward calls code that names {@code sun.misc.Unsafe} to take native memory past every bound. The
 * module is not in the child's runtime, so the call fails and Tanh.forward's checks are lost; nothing else.
 */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            NativeHoard.grab();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }
}
