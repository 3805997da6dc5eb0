package homework;

import backprop.api.Gradients;
import backprop.api.LinearOp;
import backprop.api.Matrix;

/** The bias-free linear layer {@code Y = X Wᵀ}: {@code y = W x} for every example (row) of the batch. */
public final class Linear implements LinearOp {
    /** Creates the operation. */
    public Linear() {}

    @Override
    public Matrix forward(Matrix x, Matrix w) {
        Shapes.weights("Linear.forward", x, w);
        return x.matmul(w.transpose());
    }

    @Override
    public Gradients backward(Matrix x, Matrix w, Matrix dLdy) {
        Shapes.weights("Linear.backward", x, w);
        Shapes.upstream("Linear.backward", x, w, dLdy);
        // BUG: Wᵀ · (dL/dY)ᵀ is (dL/dX)ᵀ, D_in×N: the final transpose back to N×D_in is missing
        Matrix dx = w.transpose().matmul(dLdy.transpose());
        Matrix dw = dLdy.transpose().matmul(x); // D_out×N · N×D_in
        return Gradients.of(dx, dw);
    }
}
