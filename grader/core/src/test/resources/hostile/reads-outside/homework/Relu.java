package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile: tries to read the reference solution and an assignment file (their paths are filled in by the
 * test). A correct ReLU otherwise; when a read works, it throws, so the checks report what it read.
 */
public final class Relu implements Activation {
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        for (String target : new String[] {"@@REFERENCE_FILE@@", "@@ASSIGNMENT_FILE@@", "@@RESULTS_DIR@@"}) {
            try {
                Path p = Path.of(target);
                long n = Files.isDirectory(p) ? Files.list(p).count() : Files.readAllBytes(p).length;
                throw new IllegalStateException("read " + n + " bytes of " + target);
            } catch (IOException e) {
                // cannot read it: good
            }
        }
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }
}
