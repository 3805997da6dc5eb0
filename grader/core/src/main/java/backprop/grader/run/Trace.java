package backprop.grader.run;

import backprop.api.Matrix;
import backprop.grader.graph.BackwardCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one submission computed on one assignment: forward values, its reverse pass's gradients and what it
 * did with each node, its own forward pass at perturbed points (for finite differences), parameters after optimizer
 * steps, and each op run alone. A trace holds only values the submission's code produced and one-line faults, so it can cross a process
 * boundary: nothing in it is a verdict, and every judgement is made elsewhere, from the grader's own evaluation.
 *
 * @param forward the value of every node the forward pass reached
 * @param failedNode the node whose op failed, when one did
 * @param forwardFault why it failed
 * @param gradients the reverse pass's gradients by node name
 * @param probes the forward pass at perturbed points, by the node or parameter perturbed
 * @param parametersAfter every parameter after {@code k} optimizer steps, by {@code k} (1, 2, … without gaps)
 * @param units each op run alone, by op name
 * @param backward what the reverse pass did with each node it called backward on, by node name
 */
public record Trace(
        Map<String, Matrix> forward,
        Optional<String> failedNode,
        Optional<String> forwardFault,
        Outcome<Map<String, Matrix>> gradients,
        Map<String, Outcome<Probes>> probes,
        Map<Integer, Outcome<Map<String, Matrix>>> parametersAfter,
        Map<String, UnitTrace> units,
        Map<String, BackwardCalls> backward) {

    /** A trace that recorded nothing of the reverse pass's calls (a stand-in for the reference's values). */
    public Trace(Map<String, Matrix> forward, Optional<String> failedNode, Optional<String> forwardFault,
            Outcome<Map<String, Matrix>> gradients, Map<String, Outcome<Probes>> probes,
            Map<Integer, Outcome<Map<String, Matrix>>> parametersAfter, Map<String, UnitTrace> units) {
        this(forward, failedNode, forwardFault, gradients, probes, parametersAfter, units, Map.of());
    }

    /**
     * One op run alone on the grader's random inputs ({@link UnitTracer#inputs}, which the grader draws again
     * itself rather than trusting an echo).
     *
     * @param output its forward result (for the optimizer: the new parameter then the new velocity)
     * @param backward its gradients with respect to each input for the random upstream gradient
     * @param backwardAtZero its gradients when the upstream gradient is all zeros
     * @param probes {@code ⟨upstream, forward(inputs)⟩} at perturbed inputs, one per input
     */
    public record UnitTrace(Outcome<List<Matrix>> output, Outcome<List<Matrix>> backward,
            Outcome<List<Matrix>> backwardAtZero, Outcome<List<Probes>> probes) {}
}
