package backprop.api;

import java.util.Map;

/**
 * Back-propagation over a whole computation graph: the reverse pass that turns the gradient at the end of a
 * network into the gradient at every node.
 */
public interface ReversePass {
    /**
     * Computes {@code dL/dn} for every node {@code n} from which a seeded node can be reached.
     *
     * <p>What to do: order the nodes so that each comes after every node it feeds (a reverse topological order,
     * found by a depth-first search through {@link GraphNode#inputs()}); start every seeded node with its seed;
     * then visit the nodes in that order, calling {@link GraphNode#backward} once per node and <em>adding</em>
     * each returned contribution to the gradient of the matching input. Adding, never assigning, is what makes
     * a node that feeds two others (or a weight used twice) come out right. Call {@code backward} on a node only
     * after every node it feeds has sent its contribution.
     *
     * @param seeds the nodes where the gradient starts and their gradients: usually the loss node with the
     *     {@code 1×1} gradient {@code [[1]]}; for an exercise that gives upstream gradients, one entry per node
     * @return for every node reached, keyed by {@link GraphNode#name()}, its gradient, shaped like its value
     */
    Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds);
}
