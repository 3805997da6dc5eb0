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
import java.util.HashMap;
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

    /**
     * Finds the first step that goes wrong, for any parameter: a parameter after {@code k} steps depends on every
     * parameter's earlier steps, so a wrong gradient of one weight shows in another's later value. The checkpoint's
     * own parameter is looked at first in each step.
     */
    static Optional<Found> find(Assignment a, Trace student, Authority authority, Checkpoint cp, Blame blame) {
        Optional<OptimizerSpec> opt = a.optimizer();
        if (opt.isEmpty() || !a.parameters().containsKey(cp.target())) {
            return Optional.empty();
        }
        double eta = opt.get().learningRate();
        double mu = opt.get().momentum();
        List<String> order = new ArrayList<>(a.parameters().keySet());
        order.remove(cp.target());
        order.add(0, cp.target());
        Map<String, Matrix> before = a.parameters();
        Map<String, Matrix> velocity = new HashMap<>();
        for (int s = 1; s <= cp.afterSteps(); s++) {
            Outcome<Map<String, Matrix>> step = student.parametersAfter().get(s);
            Map<String, Matrix> after = step == null ? null : step.get().orElse(null);
            if (after == null) {
                return Optional.empty();
            }
            for (String q : order) {
                Matrix previous = before.get(q);
                Matrix next = after.get(q);
                if (next == null || !next.sameShape(previous)) {
                    return Optional.empty();
                }
                Matrix v = velocity.getOrDefault(q, Matrix.zerosLike(previous));
                Optional<Matrix> g;
                if (s == 1) {
                    Matrix mine = student.gradients().get().map(m -> m.get(q)).orElse(null);
                    Optional<Judged> judged = mine == null ? Optional.empty() : authority.gradient(q, mine);
                    if (judged.isPresent() && judged.get().verdict() == Verdict.WRONG) {
                        return Optional.of(gradientAtFault(cp.target(), q, blame));
                    }
                    g = judged.map(x -> mine);
                } else {
                    g = authority.gradientAt(before, q).filter(k -> k.value().sameShape(previous) && k.judge(k.value()) == Verdict.RIGHT)
                            .map(Known::value);
                }
                if (g.isEmpty()) {
                    return Optional.empty();
                }
                Matrix expected = previous.plus(v.times(mu)).minus(g.get().times(eta));
                if (!Compare.values(q, expected, next, cp.tolerance()).ok()) {
                    String where = "at step " + s + " Sgd.step moves " + q + " by something other than μ·v − η·g, "
                            + "although the gradient it is given is right: the fault is in Sgd.step";
                    return Optional.of(new Found(where, cause(next.minus(previous), v, g.get(), eta, mu), "Sgd.step",
                            true));
                }
            }
            for (String q : order) {
                velocity.put(q, after.get(q).minus(before.get(q)));
            }
            before = after;
        }
        return Optional.empty();
    }

    /** The opening of a "where" that blames the gradient a parameter's steps follow. */
    static String wrongGradient(String checked, String parameter, int step) {
        return checked.equals(parameter) ? "the gradient of " + parameter + " it steps along is wrong; "
                : "the parameters go wrong at step " + step + ", where the gradient of " + parameter + " is wrong; ";
    }

    private static Found gradientAtFault(String checked, String q, Blame blame) {
        Explanation e = blame.explain(q);
        String opening = wrongGradient(checked, q, 1);
        return new Found(opening + e.where().orElse("where it goes wrong was not found"), e.cause(),
                e.method().orElse("Backprop.backward"), false);
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
