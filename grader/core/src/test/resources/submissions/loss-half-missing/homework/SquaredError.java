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
        // BUG: 2(y − t) is the gradient of Σ (y − t)²; the ½ in L = ½ Σ (y − t)² cancels the 2
        return prediction.minus(target).times(2.0);
    }

    @Override
    public Matrix targetGradient(Matrix prediction, Matrix target) {
        return target.minus(prediction);
    }
}
