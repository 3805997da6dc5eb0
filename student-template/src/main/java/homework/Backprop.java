package homework;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.api.NotImplemented;
import backprop.api.ReversePass;
import java.util.Map;

/**
 * The reverse pass: from the gradient at the end of a network, the gradient at every node of its graph.
 *
 * <p>Used by: net-batch-squared-error, net-gated-skip, net-momentum, net-softmax-cross-entropy, ops, scale-784-128-10,
 *     seed-000, seed-001, seed-002a, seed-002b, seed-002c, seed-002d, seed-002e, seed-002f, seed-003a, seed-003b,
 *     seed-003c, seed-004.
 */
public final class Backprop implements ReversePass {
    /** Creates the reverse pass; keep this constructor, the grader calls it. */
    public Backprop() {}

    /**
     * Computes {@code dL/dn} for every node {@code n} that a seeded node depends on. The forward pass has already
     * run: each {@link GraphNode} knows its {@link GraphNode#value() value}, its {@link GraphNode#inputs() inputs},
     * and how to send a gradient back to them ({@link GraphNode#backward}).
     *
     * <p>The recipe:
     * <ol>
     *   <li>Order the nodes. Starting from the seeded nodes, follow {@code inputs()} depth-first and list each
     *       node once all its inputs are listed (a post-order). Reversed, this list puts every node after all the
     *       nodes it feeds, which is the order the gradient must flow in. Use an explicit stack rather than
     *       recursion: a graph can be thousands of nodes long and recursion would overflow the Java stack.</li>
     *   <li>Seed: the gradient of each seeded node starts as the matrix given for it, usually {@code [[1]]} for
     *       the loss ({@code dL/dL = 1}); when an assignment gives upstream gradients, there is one seed per given
     *       node.</li>
     *   <li>Walk the reversed list. At each node call {@code node.backward(its gradient)} exactly once; it returns
     *       one contribution per input, in the order of {@code inputs()}. <em>Add</em> each contribution to the
     *       gradient collected so far for that input.</li>
     * </ol>
     * Return a {@code Map} from {@link GraphNode#name()} to gradient with an entry for every node reached, each
     * shaped like that node's value; a {@link java.util.LinkedHashMap} keeps them in the order you visited them.
     *
     * <p>Adding, never assigning, is the whole point: a node that feeds two others (fan-out, as {@code v} in
     * seed-001) or a weight used twice (the shared weights of seed-002e) receives a contribution from each
     * consumer, and its gradient is their sum. Storing with {@code put} keeps only the last one. The order from
     * step 1 guarantees a node's gradient is complete before its own {@code backward} runs.
     *
     * <p>Nodes are distinct objects: keep your bookkeeping in a {@link java.util.IdentityHashMap} (or an
     * identity-based set) so that two different nodes are never mistaken for one.
     *
     * @param seeds the nodes where the gradient starts, each with its gradient (shaped like the node's value)
     * @return every node's name mapped to {@code dL/d(node)}
     */
    @Override
    public Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds) {
        throw new NotImplemented("Backprop.backward");
    }
}
