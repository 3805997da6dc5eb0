package homework;

import backprop.api.Loss;
import backprop.api.Matrix;

/** Half the squared error, summed over the outputs and averaged over the batch: {@code (1/N) Σ_n ½ Σ_k (y − t)²}. */
public final class MeanSquaredError implements Loss {
    /** Creates the loss. */
    public MeanSquaredError() {}

    @Override
    public double value(Matrix prediction, Matrix target) {
        Shapes.same("MeanSquaredError.value", "target", target, "prediction", prediction);
        Matrix diff = prediction.minus(target);
        return 0.5 * diff.hadamard(diff).sum() / prediction.rows();
    }

    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        Shapes.same("MeanSquaredError.gradient", "target", target, "prediction", prediction);
        return prediction.minus(target).times(1.0 / prediction.rows());
    }

    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        Shapes.same("MeanSquaredError.targetGradient", "target", target, "prediction", prediction);
        return target.minus(prediction).times(1.0 / prediction.rows());
    }
}
