package backprop.grader.run;

import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a trace must record beyond the forward pass, gradients and unit checks, and nothing about why: the nodes
 * whose gradients finite differences probe, and how many optimizer steps to take. This is all a child JVM learns
 * of an assignment's checkpoints; their ids, points, expected values and visibility stay with the grader.
 *
 * @param probed nodes and leaves to probe, in the order they appear in the assignment (not checkpoint order)
 * @param steps optimizer steps to take
 */
public record TracePlan(List<String> probed, int steps) {

    /** Checks the values. */
    public TracePlan {
        probed = List.copyOf(probed);
        if (steps < 0) {
            throw new IllegalArgumentException("negative steps");
        }
    }

    /** The plan an assignment's checkpoints call for. */
    public static TracePlan of(Assignment a) {
        Set<String> wanted = new LinkedHashSet<>();
        for (Checkpoint cp : a.checkpoints()) {
            if (cp.kind() == Checkpoint.Kind.GRADIENT) {
                wanted.add(cp.target());
            }
        }
        List<String> order = new ArrayList<>();
        order.addAll(a.inputs().keySet());
        order.addAll(a.targets().keySet());
        order.addAll(a.parameters().keySet());
        a.graph().forEach(n -> order.add(n.name()));
        order.retainAll(wanted);
        int steps = a.optimizer().isPresent() ? a.maxSteps() : 0;
        return new TracePlan(order, steps);
    }
}
