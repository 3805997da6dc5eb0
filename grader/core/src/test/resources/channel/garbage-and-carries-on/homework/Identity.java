package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Random;

/** Writes random bytes on the raw standard output once, then computes the right values. */
public final class Identity implements Activation {
    private static boolean written;

    public Identity() {}

    @Override
    public Matrix forward(Matrix z) {
        if (!written) {
            written = true;
            try {
                byte[] junk = new byte[16 << 10];
                new Random(7).nextBytes(junk);
                FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
                raw.write(junk);
                raw.flush();
            } catch (IOException e) {
                // nothing
            }
        }
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
