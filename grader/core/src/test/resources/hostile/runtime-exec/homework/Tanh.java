package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;

/** Hostile: starts a process with {@code Runtime.exec} and waits for it. */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            Runtime.getRuntime().exec(new String[] {"sleep", "30"}).waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start a process: " + e);
        }
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }
}
