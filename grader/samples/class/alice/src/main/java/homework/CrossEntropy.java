package homework;

import backprop.api.Loss;
import backprop.api.Matrix;

/**
 * Cross-entropy of probabilities (a softmax's output, say) against targets, averaged over the batch:
 * {@code L = −(1/N) Σ t log p}.
 */
public final class CrossEntropy implements Loss {
    /** Creates the loss. */
    public CrossEntropy() {}

    @Override
    public double value(Matrix prediction, Matrix target) {
        Shapes.same("CrossEntropy.value", "target", target, "prediction", prediction);
        double sum = prediction.zip(target, (p, t) -> t == 0 ? 0.0 : t * Math.log(p)).sum();
        return -sum / prediction.rows();
    }

    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        Shapes.same("CrossEntropy.gradient", "target", target, "prediction", prediction);
        double n = prediction.rows();
        return prediction.zip(target, (p, t) -> -t / (n * p));
    }

    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        Shapes.same("CrossEntropy.targetGradient", "target", target, "prediction", prediction);
        double n = prediction.rows();
        return prediction.map(p -> -Math.log(p) / n);
    }
}
