package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;

/** The entrywise (Hadamard) product {@code y = a ⊙ b}: each operand's gradient is scaled by the other operand. */
public final class Product implements ElementwiseOp {
    /** Creates the operation. */
    public Product() {}

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        Shapes.same("Product.forward", "b", b, "a", a);
        return a.hadamard(b);
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        Shapes.same("Product.backward", "b", b, "a", a);
        Shapes.same("Product.backward", "dL/dy", dLdy, "a", a);
        return Gradients.of(dLdy.hadamard(b), dLdy.hadamard(a));
    }
}
