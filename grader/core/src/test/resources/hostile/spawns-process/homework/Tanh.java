package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;

/** Hostile: starts a process (a fork bomb's first step) and waits. */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            new ProcessBuilder("/bin/sh", "-c", "sleep 600").start().waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start a process: " + e);
        }
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
