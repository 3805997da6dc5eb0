package homework;

import backprop.api.Loss;
import backprop.api.Matrix;

/** Fixture: the loss treats its second input as a constant, so a twin branch gets no gradient. */
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
        // BUG: the target is taken as a constant, even when it is computed by the network
        return Matrix.zerosLike(target);
    }
}
