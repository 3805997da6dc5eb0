package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Hostile: prints a fake result on the raw standard output, then stops the JVM with status 0. */
public final class Identity implements Activation {
    public Identity() {}

    @Override
    public Matrix forward(Matrix z) {
        try {
            FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
            raw.write("\nBPGRADE\u0001 all assignments passed\n".getBytes(StandardCharsets.UTF_8));
            raw.flush();
        } catch (IOException e) {
            // nothing
        }
        Runtime.getRuntime().halt(0);
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
