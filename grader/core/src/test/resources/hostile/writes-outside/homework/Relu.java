package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile: tries to write a file outside its scratch folder (the path is filled in by the test), and writes
 * one inside it, which must work. A correct ReLU otherwise.
 */
public final class Relu implements Activation {
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            Files.writeString(Path.of("@@OUTSIDE_DIR@@", "pwned.txt"), "written by a submission");
        } catch (IOException | RuntimeException e) {
            // cannot write there: good
        }
        try {
            Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "scratch.txt"), "fine");
            Files.writeString(Path.of("relative.txt"), "fine too");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to my scratch folder: " + e);
        }
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }
}
