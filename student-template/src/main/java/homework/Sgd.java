package homework;

import backprop.api.Matrix;
import backprop.api.NotImplemented;
import backprop.api.Optimizer;

/**
 * One step of gradient descent with momentum on one parameter: {@code v' = μ v − η g}, then {@code θ' = θ + v'}.
 *
 * <p>Used by: net-momentum, ops, seed-003a, seed-003b, seed-004.
 */
public final class Sgd implements Optimizer {
    /** Creates the optimizer; keep this constructor, the grader calls it. */
    public Sgd() {}

    /**
     * Moves the parameter a small step downhill. First the velocity: {@code v' = μ v − η g}, the old velocity
     * shrunk by the momentum {@code μ} plus a step of size {@code η} against the gradient {@code g}. Then the
     * parameter: {@code θ' = θ + v'}. With {@code μ = 0} and a zero velocity this is plain SGD,
     * {@code θ' = θ − η g}. Return both with {@code new Step(newParameter, newVelocity)}; the new velocity is what
     * the next step receives as {@code velocity}.
     *
     * <p>Shapes: the parameter, the gradient, the velocity and both results all have the same shape (whatever
     * the parameter's is: {@code D_out×D_in} for a weight, {@code 1×D_out} for a bias).
     *
     * <p>Classic mistake: {@code θ + η g}. The gradient points uphill, so adding it makes the loss grow; the
     * minus sign is what makes this descent.
     *
     * @param parameter the parameter {@code θ}
     * @param gradient {@code dL/dθ}, same shape
     * @param velocity the velocity {@code v} from the previous step (zeros before the first), same shape
     * @param learningRate {@code η > 0}
     * @param momentum {@code μ} in {@code [0, 1)}
     * @return the new parameter {@code θ'} and the new velocity {@code v'}
     */
    @Override
    public Step step(Matrix parameter, Matrix gradient, Matrix velocity, double learningRate, double momentum) {
        throw new NotImplemented("Sgd.step");
    }
}
