package homework;

import backprop.api.AffineOp;
import backprop.api.Gradients;
import backprop.api.Matrix;

/**
 * Hostile: a correct affine layer, except while the call stack shows finite differences at work. Then every
 * output flips sign from one call to the next, so that every ReLU after it looks like it sits on a kink: a
 * grader that let the submission's own forward pass decide kinks would accept any gradient there.
 */
public final class Affine implements AffineOp {
    /** Creates the operation. */
    public Affine() {}

    @Override
    public Matrix forward(Matrix x, Matrix w, Matrix b) {
        Shapes.weights("Affine.forward", x, w);
        requireBias("Affine.forward", w, b);
        Matrix y = x.matmul(w.transpose()).plus(b.repeatRows(x.rows()));
        if (underFiniteDifferences()) {
            // BUG: all positive on one call, all negative on the next
            double sign = (calls++ % 2 == 0) ? 1 : -1;
            return y.map(v -> sign * (Math.abs(v) + 1e-3));
        }
        return y;
    }

    private static int calls;

    /** True when some caller on the stack is the grader's finite-difference code. */
    static boolean underFiniteDifferences() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getClassName().contains("FiniteDifferences")) {
                return true;
            }
        }
        return false;
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
