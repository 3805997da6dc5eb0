package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import java.util.ArrayList;
import java.util.List;

/** Hostile: allocates until the heap is gone, and keeps it all reachable. */
public final class Product implements ElementwiseOp {
    static final List<long[]> HOARD = new ArrayList<>();

    public Product() {}

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        while (true) {
            HOARD.add(new long[1 << 20]);
        }
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        return Gradients.of(dLdy.hadamard(b), dLdy.hadamard(a));
    }
}
