package backprop.grader.run;

import backprop.api.Matrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one submission computed on one assignment: forward values, its reverse pass's gradients, finite
 * differences of its own forward pass, parameters after optimizer steps, and each op run alone. A trace holds
 * only values and one-line faults, so it can cross a process boundary; comparing is done elsewhere.
 *
 * @param forward the value of every node the forward pass reached
 * @param failedNode the node whose op failed, when one did
 * @param forwardFault why it failed
 * @param gradients the reverse pass's gradients by node name
 * @param numeric finite-difference gradients by node name, for the nodes checkpoints ask about
 * @param parametersAfter the parameters after {@code k} optimizer steps, by {@code k}
 * @param units each op run alone, by op name
 */
public record Trace(
        Map<String, Matrix> forward,
        Optional<String> failedNode,
        Optional<String> forwardFault,
        Outcome<Map<String, Matrix>> gradients,
        Map<String, Outcome<Numeric>> numeric,
        Map<Integer, Outcome<Map<String, Matrix>>> parametersAfter,
        Map<String, UnitTrace> units) {

    /**
     * One op run alone on the grader's random inputs.
     *
     * @param inputs the inputs it was given
     * @param upstream the random {@code dL/d(output)} its backward was given
     * @param output its forward result (for the optimizer: the new parameter then the new velocity)
     * @param backward its gradients with respect to each input for {@code upstream}
     * @param backwardAtZero its gradients when the upstream gradient is all zeros
     * @param numeric finite differences of {@code ⟨upstream, forward(inputs)⟩} with respect to each input
     */
    public record UnitTrace(List<Matrix> inputs, Matrix upstream, Outcome<List<Matrix>> output,
            Outcome<List<Matrix>> backward, Outcome<List<Matrix>> backwardAtZero,
            Outcome<List<Numeric>> numeric) {}
}
