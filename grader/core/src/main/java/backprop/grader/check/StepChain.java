package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.OptimizerSpec;
import backprop.grader.spec.Checkpoint;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a submission's parameters after some optimizer steps follow, step by step, from gradients the
 * grader accepts as valid. At a ReLU kink more than one gradient is valid, so more than one trajectory is right:
 * a submission with {@code ReLU'(0) = 1} takes a different step from the reference's, and must not lose the
 * points its gradient checks kept.
 *
 * <p>Each step is judged from the grader's own evaluation at the submission's own parameters before that step:
 * the gradient implied by the submission's update ({@code θ' = θ + μv − ηg}, so {@code g = (μv − (θ' − θ)) / η})
 * must lie within the range of valid gradients there, within the checkpoint's tolerance. Only a chain that
 * passes through a kink is accepted this way; elsewhere there is one right trajectory, the reference's.
 */
final class StepChain {
    private StepChain() {}

    /** Returns true when every step up to the checkpoint's follows from a valid gradient, a kink's among them. */
    static boolean follows(Authority authority, Trace student, Checkpoint cp) {
        Assignment a = authority.assignment();
        Optional<OptimizerSpec> opt = a.optimizer();
        if (opt.isEmpty() || !(opt.get().learningRate() > 0)) {
            return false;
        }
        double eta = opt.get().learningRate();
        double mu = opt.get().momentum();
        Map<String, Matrix> before = new HashMap<>(a.parameters());
        Map<String, Matrix> velocity = new HashMap<>();
        before.forEach((k, v) -> velocity.put(k, Matrix.zerosLike(v)));
        boolean kink = false;
        for (int s = 1; s <= cp.afterSteps(); s++) {
            Outcome<Map<String, Matrix>> step = student.parametersAfter().get(s);
            if (step == null || !step.ok() || step.value() == null) {
                return false;
            }
            Optional<Map<String, Kinks.Range>> ranges = authority.rangesAt(before);
            if (ranges.isEmpty()) {
                return false;
            }
            Map<String, Matrix> after = new HashMap<>();
            for (Map.Entry<String, Matrix> p : before.entrySet()) {
                Matrix theta = p.getValue();
                Matrix next = step.value().get(p.getKey());
                if (next == null || !next.sameShape(theta)) {
                    return false;
                }
                Matrix v = velocity.get(p.getKey());
                Kinks.Range r = ranges.get().getOrDefault(p.getKey(),
                        new Kinks.Range(Matrix.zerosLike(theta), Matrix.zerosLike(theta)));
                if (!r.low().sameShape(theta)) {
                    return false;
                }
                kink |= r.anyKink();
                Matrix implied = v.times(mu).minus(next.minus(theta)).times(1 / eta);
                Matrix accepted = Matrix.build(theta.rows(), theta.cols(), (i, j) -> Math.max(r.low().get(i, j),
                        Math.min(r.high().get(i, j), implied.get(i, j))));
                Matrix update = v.times(mu).minus(accepted.times(eta));
                if (!Compare.values(p.getKey(), theta.plus(update), next, cp.tolerance()).ok()) {
                    return false;
                }
                velocity.put(p.getKey(), update);
                after.put(p.getKey(), next);
            }
            before = after;
        }
        return kink;
    }
}
