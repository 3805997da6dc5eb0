package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;

/**
 * Hostile: starts a shell that leaves an orphan behind (a double fork) and ends at once, then carries on as a
 * correct Tanh for a while. The shell has ended and the orphan is no child of the JVM, yet both are seen.
 */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            new ProcessBuilder("/bin/sh", "-c", "(sleep 5 &) ; exit 0").start().waitFor();
            Thread.sleep(2000);
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
