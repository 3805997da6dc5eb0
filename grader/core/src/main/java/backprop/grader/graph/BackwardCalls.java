package backprop.grader.graph;

import backprop.api.Matrix;
import java.util.List;

/**
 * What the submission's reverse pass did with one node: how often it called the node's backward, the gradients it
 * passed in (added up) and what the op sent back to each input (added up). Backward is linear in the gradient it is
 * given, so the sums say everything a diagnosis needs, whether the reverse pass calls a node once with its whole
 * gradient or once per path with a part of it.
 *
 * @param calls how many times the backward was called
 * @param upstream the gradients passed in, added up
 * @param contributions what the op returned for each input, added up, in the order of the node's inputs
 */
public record BackwardCalls(int calls, Matrix upstream, List<Matrix> contributions) {

    /** Copies the list. */
    public BackwardCalls {
        contributions = List.copyOf(contributions);
    }

    /** These calls and one more. */
    BackwardCalls and(Matrix upstream, List<Matrix> contributions) {
        List<Matrix> sum = new java.util.ArrayList<>(this.contributions.size());
        for (int i = 0; i < this.contributions.size(); i++) {
            sum.add(this.contributions.get(i).plus(contributions.get(i)));
        }
        return new BackwardCalls(calls + 1, this.upstream.plus(upstream), sum);
    }
}
