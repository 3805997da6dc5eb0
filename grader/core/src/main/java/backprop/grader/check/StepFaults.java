package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.check.Known.Judged;
import backprop.grader.check.Known.Verdict;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.OptimizerSpec;
import backprop.grader.spec.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Says why a parameter is wrong after some optimizer steps: either the step itself ({@code Sgd.step} given a right
 * gradient moves the parameter wrongly) or the gradient it steps along. Steps are replayed one by one from the
 * submission's own parameters: before step {@code s} the right move is {@code μ·v − η·g}, with {@code v} the
 * submission's previous move and {@code g} the right gradient at its parameters then (the {@link Authority}'s).
 */
final class StepFaults {
    private StepFaults() {}

    /**
     * What was found.
     *
     * @param where one sentence, naming the method at fault
     * @param cause the mistake it fits, when one does
     * @param method the method at fault
     * @param stepAtFault true when the step is wrong, false when the gradient it follows is
     */
    record Found(String where, Optional<String> cause, String method, boolean stepAtFault) {}

    /** Finds the first step that goes wrong for the parameter {@code cp} checks, if the steps can be replayed. */
    static Optional<Found> find(Assignment a, Trace student, Authority authority, Checkpoint cp, Blame blame) {
        Optional<OptimizerSpec> opt = a.optimizer();
        String p = cp.target();
        Matrix start = a.parameters().get(p);
        if (opt.isEmpty() || start == null) {
            return Optional.empty();
        }
        double eta = opt.get().learningRate();
        double mu = opt.get().momentum();
        Map<String, Matrix> before = a.parameters();
        Matrix previous = start;
        Matrix velocity = Matrix.zerosLike(start);
        for (int s = 1; s <= cp.afterSteps(); s++) {
            Outcome<Map<String, Matrix>> step = student.parametersAfter().get(s);
            Matrix after = step == null ? null : step.get().map(m -> m.get(p)).orElse(null);
            if (after == null || !after.sameShape(start)) {
                return Optional.empty();
            }
            Matrix g;
            if (s == 1) {
                Matrix mine = student.gradients().get().map(m -> m.get(p)).orElse(null);
                Optional<Judged> judged = mine == null ? Optional.empty() : authority.gradient(p, mine);
                if (judged.isPresent() && judged.get().verdict() == Verdict.WRONG) {
                    return Optional.of(gradientAtFault(p, blame));
                }
                if (mine == null || judged.isEmpty()) {
                    return Optional.empty();
                }
                g = mine;
            } else {
                Optional<Known> right = authority.gradientAt(before, p);
                if (right.isEmpty() || !right.get().value().sameShape(start) || hasUnknown(right.get())) {
                    return Optional.empty();
                }
                g = right.get().value();
            }
            Matrix expected = previous.plus(velocity.times(mu)).minus(g.times(eta));
            if (!Compare.values(p, expected, after, cp.tolerance()).ok()) {
                Matrix delta = after.minus(previous);
                String where = "at step " + s + " Sgd.step moves " + p + " by something other than μ·v − η·g, "
                        + "although the gradient it is given is right: the fault is in Sgd.step";
                return Optional.of(new Found(where, cause(delta, velocity, g, eta, mu), "Sgd.step", true));
            }
            velocity = after.minus(previous);
            previous = after;
            before = step.value();
        }
        return Optional.empty();
    }

    private static Found gradientAtFault(String p, Blame blame) {
        Blame.Explanation e = blame.explain(p);
        String d = "the gradient of " + p + " it steps along is wrong";
        if (e.faults().isEmpty()) {
            return new Found(d, Optional.empty(), "Backprop.backward", false);
        }
        Blame.Fault f = e.faults().get(0);
        return new Found(d + "; " + f.where(), f.cause(), f.method(), false);
    }

    private static boolean hasUnknown(Known k) {
        for (int i = 0; i < k.value().rows(); i++) {
            for (int j = 0; j < k.value().cols(); j++) {
                if (!k.known(i, j)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Why a step moved a parameter by {@code delta} instead of {@code μ·v − η·g}: the classic mistakes of gradient
     * descent with momentum, each checked as the move it would make.
     */
    static Optional<String> cause(Matrix delta, Matrix v, Matrix g, double eta, double mu) {
        Matrix right = v.times(mu).minus(g.times(eta));
        boolean moving = !Diagnosis.isZero(v);
        List<Mistakes.Alternative> alts = new ArrayList<>();
        alts.add(new Mistakes.Alternative(Matrix.zerosLike(delta), "the parameter is returned unchanged: a step "
                + "moves it by μ·v − η·g"));
        alts.add(new Mistakes.Alternative(v.times(mu).plus(g.times(eta)), "the gradient is added: a descent step "
                + "subtracts it, θ' = θ + μ·v − η·g"));
        if (moving && mu != 0) {
            alts.add(new Mistakes.Alternative(g.times(-eta), "the momentum term is lost: the velocity v' = μ·v − η·g "
                    + "must be carried into the next step (returned, and used there)"));
            alts.add(new Mistakes.Alternative(v.times(-mu).minus(g.times(eta)), "the momentum term has the wrong "
                    + "sign: v' = μ·v − η·g"));
            alts.add(new Mistakes.Alternative(v.minus(g.times(eta)), "the velocity is carried over without the "
                    + "factor μ: v' = μ·v − η·g"));
        }
        alts.add(new Mistakes.Alternative(v.times(mu).minus(g), "the learning rate is missing: v' = μ·v − η·g"));
        alts.add(new Mistakes.Alternative(v.times(mu).minus(g.times(eta * eta)), "the learning rate is applied twice: "
                + "v' = μ·v − η·g"));
        if (mu != 0) {
            alts.add(new Mistakes.Alternative(v.times(mu).minus(g.times(mu * eta)), "μ multiplies the gradient too: "
                    + "v' = μ·v − η·g"));
            alts.add(new Mistakes.Alternative(v.times(mu).minus(g.times((1 - mu) * eta)), "the gradient is damped by "
                    + "(1 − μ): this course's step is v' = μ·v − η·g"));
            alts.add(new Mistakes.Alternative(v.times(eta).minus(g.times(mu)), "μ and η are swapped: v' = μ·v − η·g"));
        }
        for (Mistakes.Alternative alt : alts) {
            if (!Diagnosis.close(alt.value(), right) && Diagnosis.close(alt.value(), delta)) {
                return Optional.of(alt.mistake());
            }
        }
        Optional<Double> r = Diagnosis.ratio(right, delta);
        if (r.isPresent()) {
            return Optional.of("the step is " + Matrix.format(r.get()) + " times the right one, μ·v − η·g");
        }
        return Optional.empty();
    }
}
