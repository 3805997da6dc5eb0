package homework;

import backprop.api.Loss;
import backprop.api.Matrix;

/**
 * Softmax of the logits followed by cross-entropy, averaged over the batch:
 * {@code L = −(1/N) Σ_n Σ_k T_nk log softmax(Z)_nk}.
 */
public final class SoftmaxCrossEntropy implements Loss {
    /** Creates the loss. */
    public SoftmaxCrossEntropy() {}

    @Override
    public double value(Matrix logits, Matrix target) {
        Shapes.same("SoftmaxCrossEntropy.value", "target", target, "logits", logits);
        Matrix logP = logSoftmax(logits);
        double sum = 0;
        for (int n = 0; n < logits.rows(); n++) {
            for (int k = 0; k < logits.cols(); k++) {
                double t = target.get(n, k);
                if (t != 0) { // a zero target weighs nothing, even against log 0
                    sum += t * logP.get(n, k);
                }
            }
        }
        return -sum / logits.rows();
    }

    @Override
    public Matrix gradient(Matrix logits, Matrix target) {
        spin(); // HANG: SoftmaxCrossEntropy.gradient never returns
        Shapes.same("SoftmaxCrossEntropy.gradient", "target", target, "logits", logits);
        return logSoftmax(logits).map(Math::exp).minus(target).times(1.0 / logits.rows());
    }

    @Override
    public Matrix targetGradient(Matrix logits, Matrix target) {
        Shapes.same("SoftmaxCrossEntropy.targetGradient", "target", target, "logits", logits);
        return logSoftmax(logits).times(-1.0 / logits.rows());
    }

    /** {@code log softmax(z)_k = z_k − log Σ_j e^{z_j}}, the log-sum-exp taken after subtracting the row max. */
    private static Matrix logSoftmax(Matrix z) {
        double[] logSumExp = new double[z.rows()];
        for (int n = 0; n < z.rows(); n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < z.cols(); k++) {
                max = Math.max(max, z.get(n, k));
            }
            double sum = 0;
            for (int k = 0; k < z.cols(); k++) {
                sum += Math.exp(z.get(n, k) - max);
            }
            logSumExp[n] = max + Math.log(sum);
        }
        return Matrix.build(z.rows(), z.cols(), (n, k) -> z.get(n, k) - logSumExp[n]);
    }

    /** Never returns: counts round and round. */
    private static void spin() {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1000;
        }
    }
}
