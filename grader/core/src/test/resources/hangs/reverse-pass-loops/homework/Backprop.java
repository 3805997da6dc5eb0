package homework;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.api.ReversePass;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reverse pass: visit the graph in reverse topological order and add each node's contributions to its inputs. */
public final class Backprop implements ReversePass {
    /** Creates the reverse pass. */
    public Backprop() {}

    @Override
    public Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds) {
        spin(); // HANG: Backprop.backward never returns
        Map<GraphNode, Matrix> grad = new IdentityHashMap<>();
        for (Map.Entry<GraphNode, Matrix> seed : seeds.entrySet()) {
            accumulate(grad, seed.getKey(), seed.getValue(), "the seed");
        }
        List<GraphNode> order = topologicalOrder(seeds.keySet());
        Map<String, Matrix> byName = new LinkedHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) { // every consumer of a node comes before it
            GraphNode node = order.get(i);
            Matrix g = grad.getOrDefault(node, Matrix.zerosLike(node.value()));
            if (byName.put(node.name(), g) != null) {
                throw new IllegalArgumentException("two different nodes are named \"" + node.name() + "\"");
            }
            List<GraphNode> inputs = node.inputs();
            List<Matrix> contributions = node.backward(g);
            if (contributions.size() != inputs.size()) {
                throw new IllegalArgumentException("node \"" + node.name() + "\" has " + inputs.size()
                        + " inputs but its backward returned " + contributions.size() + " gradients");
            }
            for (int k = 0; k < inputs.size(); k++) {
                accumulate(grad, inputs.get(k), contributions.get(k), "node \"" + node.name() + "\"");
            }
        }
        return byName;
    }

    /** Adds, never assigns: a node that feeds several others receives the sum of what they send back. */
    private static void accumulate(Map<GraphNode, Matrix> grad, GraphNode node, Matrix contribution, String from) {
        if (!contribution.sameShape(node.value())) {
            throw new IllegalArgumentException(from + " sent a " + contribution.shape() + " gradient to node \""
                    + node.name() + "\", whose value is " + node.value().shape());
        }
        grad.merge(node, contribution, Matrix::plus);
    }

    /**
     * Returns every node reachable from the roots through {@link GraphNode#inputs()}, each after all of its inputs
     * (depth-first post-order). Uses an explicit stack, so a graph thousands of nodes deep cannot overflow.
     */
    private static List<GraphNode> topologicalOrder(Set<GraphNode> roots) {
        List<GraphNode> order = new ArrayList<>();
        Set<GraphNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<GraphNode> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Frame> stack = new ArrayDeque<>();
        for (GraphNode root : roots) {
            if (seen.add(root)) {
                stack.push(new Frame(root));
                onPath.add(root);
            }
            while (!stack.isEmpty()) {
                Frame top = stack.peek();
                if (top.next < top.inputs.size()) {
                    GraphNode input = top.inputs.get(top.next++);
                    if (onPath.contains(input)) {
                        throw new IllegalArgumentException(
                                "the graph has a cycle through node \"" + input.name() + "\"");
                    }
                    if (seen.add(input)) {
                        stack.push(new Frame(input));
                        onPath.add(input);
                    }
                } else {
                    stack.pop();
                    onPath.remove(top.node);
                    order.add(top.node);
                }
            }
        }
        return order;
    }

    /** A node on the depth-first stack and the index of the next input to explore. */
    private static final class Frame {
        final GraphNode node;
        final List<GraphNode> inputs;
        int next;

        Frame(GraphNode node) {
            this.node = node;
            this.inputs = node.inputs();
        }
    }

    /** Never returns: counts round and round. */
    private static void spin() {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1000;
        }
    }
}
