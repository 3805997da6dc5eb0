package homework;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.api.ReversePass;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A reverse pass that visits the graph breadth-first from the seeds. */
public final class Backprop implements ReversePass {
    /** Creates the reverse pass. */
    public Backprop() {}

    @Override
    public Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds) {
        Map<GraphNode, Matrix> grad = new IdentityHashMap<>();
        seeds.forEach((node, g) -> grad.merge(node, g, Matrix::plus));
        Map<String, Matrix> byName = new LinkedHashMap<>();
        Set<GraphNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<GraphNode> queue = new ArrayDeque<>(seeds.keySet());
        seen.addAll(seeds.keySet());
        // BUG: breadth-first is not a topological order: a node one step from the loss on one path and three on
        // another is visited before the longer path has sent back its contribution
        while (!queue.isEmpty()) {
            GraphNode node = queue.removeFirst();
            Matrix g = grad.getOrDefault(node, Matrix.zerosLike(node.value()));
            List<GraphNode> inputs = node.inputs();
            List<Matrix> contributions = node.backward(g);
            for (int k = 0; k < inputs.size(); k++) {
                grad.merge(inputs.get(k), contributions.get(k), Matrix::plus);
                if (seen.add(inputs.get(k))) {
                    queue.addLast(inputs.get(k));
                }
            }
        }
        grad.forEach((node, g) -> byName.put(node.name(), g));
        return byName;
    }
}
