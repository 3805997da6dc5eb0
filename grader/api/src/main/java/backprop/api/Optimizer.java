package backprop.api;

/**
 * Gradient descent with momentum, one parameter at a time.
 *
 * <p>With learning rate {@code η} and momentum {@code μ}: the new velocity is {@code v' = μ v − η g} and the new
 * parameter is {@code θ' = θ + v'}. With {@code μ = 0} this is plain SGD, {@code θ' = θ − η g}.
 */
public interface Optimizer {
    /**
     * Takes one step.
     *
     * @param parameter the parameter {@code θ}, any shape
     * @param gradient {@code dL/dθ}, same shape
     * @param velocity the velocity {@code v} from the previous step (zeros before the first), same shape
     * @param learningRate {@code η > 0}
     * @param momentum {@code μ} in {@code [0, 1)}
     * @return the new parameter and the new velocity
     */
    Step step(Matrix parameter, Matrix gradient, Matrix velocity, double learningRate, double momentum);

    /**
     * What one step produces.
     *
     * @param parameter the updated parameter {@code θ'}
     * @param velocity the updated velocity {@code v'}
     */
    record Step(Matrix parameter, Matrix velocity) {}
}
