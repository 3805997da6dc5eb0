package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile: writes a file into the host's {@code /tmp}, {@code /var/tmp} and {@code /dev/shm} (names filled in by
 * the test, which looks for them on the host afterwards). A correct sigmoid otherwise.
 */
public final class Sigmoid implements Activation {
    public Sigmoid() {}

    @Override
    public Matrix forward(Matrix z) {
        for (String dir : new String[] {"/tmp", "/var/tmp", "/dev/shm"}) {
            try {
                Files.writeString(Path.of(dir, "@@TOKEN@@"), "written by a submission");
            } catch (IOException | RuntimeException e) {
                // cannot write there: good
            }
        }
        return z.map(v -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, s) -> g * s * (1 - s));
    }
}
