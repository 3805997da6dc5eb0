package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** The softmax of each row, {@code h_k = e^{z_k} / Σ_j e^{z_j}}, turning one example's scores into probabilities. */
public final class Softmax implements Activation {
    /** Creates the activation. */
    public Softmax() {}

    @Override
    public Matrix forward(Matrix z) {
        double[][] h = z.toArray();
        for (double[] row : h) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < row.length; k++) {
                row[k] = Math.exp(row[k] - max); // shifting by the row max changes nothing but avoids overflow
                sum += row[k];
            }
            for (int k = 0; k < row.length; k++) {
                row[k] /= sum;
            }
        }
        return Matrix.of(h);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        Shapes.activation("Softmax.backward", z, h, dLdh);
        Matrix dot = dLdh.hadamard(h).sumCols(); // N×1: Σ_j (dL/dh_j) h_j for each example
        return Matrix.build(h.rows(), h.cols(), (n, k) -> h.get(n, k) * (dLdh.get(n, k) - dot.get(n, 0)));
    }
}
