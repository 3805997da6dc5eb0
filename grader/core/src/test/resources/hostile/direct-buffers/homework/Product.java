package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Hostile: takes memory outside the heap with direct buffers, and keeps it all reachable. */
public final class Product implements ElementwiseOp {
    static final List<ByteBuffer> HOARD = new ArrayList<>();

    public Product() {}

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        while (true) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            buffer.put(0, (byte) 1);
            HOARD.add(buffer);
        }
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        return Gradients.of(dLdy.hadamard(b), dLdy.hadamard(a));
    }
}
