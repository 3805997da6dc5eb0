package homework;

import backprop.api.Loss;
import backprop.api.Matrix;

/**
 * Binary cross-entropy of probabilities, averaged over the batch:
 * {@code L = −(1/N) Σ [t log y + (1 − t) log(1 − y)]}.
 */
public final class BinaryCrossEntropy implements Loss {
    /** Creates the loss. */
    public BinaryCrossEntropy() {}

    @Override
    public double value(Matrix prediction, Matrix target) {
        Shapes.same("BinaryCrossEntropy.value", "target", target, "prediction", prediction);
        double sum = prediction.zip(target, (y, t) -> xLogY(t, y) + xLogY(1 - t, 1 - y)).sum();
        return -sum / prediction.rows();
    }

    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        Shapes.same("BinaryCrossEntropy.gradient", "target", target, "prediction", prediction);
        // BUG: omits the 1/N of the batch mean (value() keeps it)
        return prediction.zip(target, (y, t) -> (y - t) / (y * (1 - y)));
    }

    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        return prediction.map(y -> Math.log1p(-y) - Math.log(y)); // the same missing 1/N
    }

    /** {@code x log y}, taken as 0 when {@code x = 0} so that a saturated prediction with zero weight costs nothing. */
    private static double xLogY(double x, double y) {
        return x == 0 ? 0.0 : x * Math.log(y);
    }
}
