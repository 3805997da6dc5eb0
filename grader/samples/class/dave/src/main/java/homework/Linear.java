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
        Matrix dx = dLdy.matmul(w);             // N×D_out · D_out×D_in
        Matrix dw = dLdy.transpose().matmul(x); // D_out×N · N×D_in
        return Gradients.of(dx, dw);
    }
}
