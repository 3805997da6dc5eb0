package homework;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.api.ReversePass;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recursive reverse pass: each seed's gradient is pushed down every path separately, and a node's gradient is
 * the sum of what reaches it along all of them. Slow on deep graphs with many paths, but right: backward is
 * linear in the gradient it is given.
 */
public final class Backprop implements ReversePass {
    /** Creates the reverse pass. */
    public Backprop() {}

    @Override
    public Map<String, Matrix> backward(Map<GraphNode, Matrix> seeds) {
        Map<GraphNode, Matrix> grad = new IdentityHashMap<>();
        seeds.forEach((node, g) -> push(node, g, grad));
        Map<String, Matrix> byName = new LinkedHashMap<>();
        grad.forEach((node, g) -> byName.put(node.name(), g));
        return byName;
    }

    // NOT A BUG: the backward of a node reached by two paths is called twice, each time with one path's part
    private static void push(GraphNode node, Matrix part, Map<GraphNode, Matrix> grad) {
        grad.merge(node, part, Matrix::plus);
        List<GraphNode> inputs = node.inputs();
        if (inputs.isEmpty()) {
            return;
        }
        List<Matrix> contributions = node.backward(part);
        for (int k = 0; k < inputs.size(); k++) {
            push(inputs.get(k), contributions.get(k), grad);
        }
    }
}
