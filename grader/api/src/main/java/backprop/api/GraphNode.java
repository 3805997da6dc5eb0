package backprop.api;

import java.util.List;

/**
 * One node of a computation graph whose forward pass has already run: an input, a parameter or the output of
 * an operation. The grader builds these; {@link ReversePass} walks them.
 *
 * <p>A node may feed several others (fan-out, shared weights): its gradient is then the sum of what each of
 * them sends back.
 */
public interface GraphNode {
    /** The node's name in the assignment, unique in its graph (for example {@code "W1"} or {@code "h"}). */
    String name();

    /** The nodes this node was computed from, in order; empty for inputs and parameters. */
    List<GraphNode> inputs();

    /** The value the forward pass computed (or was given), {@code N×D}. */
    Matrix value();

    /**
     * Runs this node's operation backward: given {@code dL/d(this node)}, returns the contribution to
     * {@code dL/d(input i)} for every input {@code i}, in the order of {@link #inputs()}, each with that input's
     * shape. Returns an empty list for a node without inputs.
     *
     * @param gradOfThis the gradient of the loss with respect to this node, shaped like {@link #value()}
     * @return one gradient contribution per input
     */
    List<Matrix> backward(Matrix gradOfThis);
}
