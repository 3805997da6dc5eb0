package homework;

import backprop.api.Matrix;

/** Shape checks shared by the operations, so a misfit fails at once with both shapes in the message. */
final class Shapes {
    private Shapes() {}

    /** Requires {@code a} and {@code b} to have the same shape. */
    static void same(String where, String nameA, Matrix a, String nameB, Matrix b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(where + ": " + nameA + " is " + a.shape() + " but " + nameB + " is "
                    + b.shape() + "; they must have the same shape");
        }
    }

    /** Requires the three arguments of an activation's backward to have the same shape. */
    static void activation(String where, Matrix z, Matrix h, Matrix dLdh) {
        same(where, "h", h, "z", z);
        same(where, "dL/dh", dLdh, "z", z);
    }

    /** Requires {@code W} ({@code D_out×D_in}) to fit {@code X} ({@code N×D_in}). */
    static void weights(String where, Matrix x, Matrix w) {
        if (x.cols() != w.cols()) {
            throw new IllegalArgumentException(where + ": X is " + x.shape() + " (N×D_in) but W is " + w.shape()
                    + " (D_out×D_in); W needs " + x.cols() + " columns");
        }
    }

    /** Requires {@code dL/dY} to be {@code N×D_out}, matching {@code X} ({@code N×D_in}) and {@code W}. */
    static void upstream(String where, Matrix x, Matrix w, Matrix dLdy) {
        if (dLdy.rows() != x.rows() || dLdy.cols() != w.rows()) {
            throw new IllegalArgumentException(where + ": dL/dY is " + dLdy.shape() + " but Y = X Wᵀ is "
                    + x.rows() + "×" + w.rows() + " (X is " + x.shape() + ", W is " + w.shape() + ")");
        }
    }
}
