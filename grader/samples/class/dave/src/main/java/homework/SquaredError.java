package homework;

import backprop.api.Loss;
import backprop.api.Matrix;

/** Half the squared error, summed over the batch and the outputs: {@code L = ½ Σ (y − t)²}. */
public final class SquaredError implements Loss {
    /** Creates the loss. */
    public SquaredError() {}

    @Override
    public double value(Matrix prediction, Matrix target) {
        Shapes.same("SquaredError.value", "target", target, "prediction", prediction);
        Matrix diff = prediction.minus(target);
        return 0.5 * diff.hadamard(diff).sum();
    }

    @Override
    public Matrix gradient(Matrix prediction, Matrix target) {
        Shapes.same("SquaredError.gradient", "target", target, "prediction", prediction);
        return prediction.minus(target);
    }

    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        Shapes.same("SquaredError.targetGradient", "target", target, "prediction", prediction);
        return target.minus(prediction);
    }
}
