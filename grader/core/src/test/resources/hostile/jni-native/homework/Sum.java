package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Hostile: writes a native library (built by the test from hog.c, its bytes filled in here) into its scratch
 * folder, loads it, and takes 4 GiB of native memory through it, touching every page; then holds it. First it
 * asks for 8 GiB in one block: had it got them, there would be no address-space limit, and it says so.
 */
public final class Sum implements ElementwiseOp {
    public Sum() {}

    static native boolean mapped(long mib);

    static native long grab(long mib);

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        try {
            Path lib = Path.of(System.getProperty("java.io.tmpdir"), "libhog.so");
            Files.write(lib, Base64.getDecoder().decode("@@JNI_LIBRARY@@"));
            System.load(lib.toAbsolutePath().toString());
            if (mapped(8192)) {
                throw new IllegalStateException("mapped 8 GiB: no address-space limit");
            }
            grab(4096);
            Thread.sleep(60_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return a.plus(b);
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        return Gradients.of(dLdy, dLdy);
    }
}
