package homework;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.api.ReversePass;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A reverse pass whose order lists a node once for every path to it. */
public final class Backprop implements ReversePass {
    /** Creates the reverse pass. */
    public Backprop() {}

    @Override
    public Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds) {
        Map<GraphNode, Matrix> grad = new IdentityHashMap<>();
        seeds.forEach((node, g) -> grad.merge(node, g, Matrix::plus));
        List<GraphNode> order = new ArrayList<>();
        for (GraphNode root : seeds.keySet()) {
            postOrder(root, order);
        }
        Map<String, Matrix> byName = new LinkedHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            GraphNode node = order.get(i);
            Matrix g = grad.getOrDefault(node, Matrix.zerosLike(node.value()));
            byName.put(node.name(), g);
            List<GraphNode> inputs = node.inputs();
            List<Matrix> contributions = node.backward(g);
            for (int k = 0; k < inputs.size(); k++) {
                grad.merge(inputs.get(k), contributions.get(k), Matrix::plus);
            }
        }
        return byName;
    }

    /** Depth-first post-order. */
    private static void postOrder(GraphNode node, List<GraphNode> order) {
        for (GraphNode input : node.inputs()) {
            postOrder(input, order);
        }
        // BUG: no check for a node already listed, so a node reached by two paths is visited twice
        order.add(node);
    }
}
