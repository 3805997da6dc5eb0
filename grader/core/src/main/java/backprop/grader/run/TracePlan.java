package backprop.grader.run;

import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a trace must record beyond the forward pass, gradients and unit checks, and nothing about why: the nodes
 * whose gradients finite differences probe, which of them are probed at sampled entries as well as along random
 * directions, and how many optimizer steps to take. This is all a child JVM learns of an assignment's checkpoints;
 * their ids, points, expected values and visibility stay with the grader.
 *
 * @param probed nodes and leaves to probe, in the order they appear in the assignment (not checkpoint order)
 * @param sampled those of {@code probed} whose gradient no value judges, so finite differences do: a large one is
 *     probed at sampled entries too (see {@link FiniteDifferences#plan(int, int, long, boolean)})
 * @param steps optimizer steps to take
 */
public record TracePlan(List<String> probed, List<String> sampled, int steps) {

    /** Checks the values. */
    public TracePlan {
        probed = List.copyOf(probed);
        sampled = List.copyOf(sampled);
        if (steps < 0) {
            throw new IllegalArgumentException("negative steps");
        }
        if (!probed.containsAll(sampled)) {
            throw new IllegalArgumentException("a sampled node that is not probed");
        }
    }

    /**
     * The plan an assignment's checkpoints call for, with finite differences judging every gradient: the
     * reference's own evaluation (where they check the reference itself) and validation.
     */
    public static TracePlan of(Assignment a) {
        TracePlan p = of(a, false);
        return new TracePlan(p.probed(), p.probed(), p.steps());
    }

    /**
     * The plan of a submission's trace. A gradient whose checkpoint has values to compare with, entry by entry, is
     * probed along random directions only: the file's expected values always, and the reference's
     * ({@code expected: reference}) when {@code referenceValues} (when grading, or with the values exported to a
     * student's repository). Without them, finite differences alone judge it, at sampled entries too.
     */
    public static TracePlan of(Assignment a, boolean referenceValues) {
        return of(a, target -> referenceValues);
    }

    /**
     * As {@link #of(Assignment, boolean)}, with the reference's values known for the gradients of the nodes
     * {@code known} accepts (a student's run has what was exported, which may lack some).
     */
    public static TracePlan of(Assignment a, java.util.function.Predicate<String> known) {
        Set<String> wanted = new LinkedHashSet<>();
        Set<String> judgedByProbes = new LinkedHashSet<>();
        for (Checkpoint cp : a.checkpoints()) {
            if (cp.kind() == Checkpoint.Kind.GRADIENT) {
                wanted.add(cp.target());
                if (cp.fromReference() && !known.test(cp.target())) {
                    judgedByProbes.add(cp.target());
                }
            }
        }
        List<String> order = new ArrayList<>();
        order.addAll(a.inputs().keySet());
        order.addAll(a.targets().keySet());
        order.addAll(a.parameters().keySet());
        a.graph().forEach(n -> order.add(n.name()));
        order.retainAll(wanted);
        List<String> sampled = new ArrayList<>(order);
        sampled.retainAll(judgedByProbes);
        int steps = a.optimizer().isPresent() ? a.maxSteps() : 0;
        return new TracePlan(order, sampled, steps);
    }
}
