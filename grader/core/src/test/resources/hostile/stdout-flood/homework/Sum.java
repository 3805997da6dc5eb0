package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;

/** Hostile: prints without end (only the last assignment, ops, uses Sum). */
public final class Sum implements ElementwiseOp {
    public Sum() {}

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        while (true) {
            System.out.println("debugging Sum.forward: " + a + " + " + b + " ...........................................");
        }
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        return Gradients.of(dLdy, dLdy);
    }
}
