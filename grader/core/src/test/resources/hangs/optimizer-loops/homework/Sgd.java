package homework;

import backprop.api.Matrix;
import backprop.api.Optimizer;

/** Gradient descent with momentum: {@code v' = μ v − η g}, then {@code θ' = θ + v'}. */
public final class Sgd implements Optimizer {
    /** Creates the optimizer. */
    public Sgd() {}

    @Override
    public Step step(Matrix parameter, Matrix gradient, Matrix velocity, double learningRate, double momentum) {
        spin(); // HANG: Sgd.step never returns
        Shapes.same("Sgd.step", "gradient", gradient, "parameter", parameter);
        Shapes.same("Sgd.step", "velocity", velocity, "parameter", parameter);
        Matrix v = velocity.times(momentum).minus(gradient.times(learningRate));
        return new Step(parameter.plus(v), v);
    }

    /** Never returns: counts round and round. */
    private static void spin() {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1000;
        }
    }
}
