package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;

/** The entrywise sum {@code y = a + b} (a skip connection): it passes the gradient unchanged to both operands. */
public final class Sum implements ElementwiseOp {
    /** Creates the operation. */
    public Sum() {}

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        Shapes.same("Sum.forward", "b", b, "a", a);
        return a.plus(b);
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        Shapes.same("Sum.backward", "b", b, "a", a);
        Shapes.same("Sum.backward", "dL/dy", dLdy, "a", a);
        return Gradients.of(dLdy, dLdy);
    }
}
