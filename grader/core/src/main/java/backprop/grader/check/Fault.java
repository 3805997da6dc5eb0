package backprop.grader.check;

import java.util.Optional;
import java.util.Set;

/**
 * One wrong step.
 *
 * @param kind what kind of step
 * @param node the node where it happens
 * @param order the node's position in the graph (later is nearer the loss; leaves are -1)
 * @param method the method at fault
 * @param where one sentence for people, naming the node and the method
 * @param cause the classic mistake it fits, when one does
 * @param firstWrong the nodes whose gradient it makes wrong first
 */
record Fault(Kind kind, String node, int order, String method, String where, Optional<String> cause,
        Set<String> firstWrong) {

    /** What kind of step is wrong. */
    enum Kind {
        /** An op's backward sends a wrong gradient to one input. */
        OP,
        /** A node's gradient is not the sum of what arrives at it. */
        COMBINE,
        /** A node's backward is called with something other than its gradient. */
        PROPAGATE
    }
}
