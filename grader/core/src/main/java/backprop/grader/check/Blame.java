package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.check.Diagnosis.Alternative;
import backprop.grader.graph.Op;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Tolerance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds where a wrong gradient first goes wrong: walking the graph from the loss backward, the first node whose
 * own gradient is right but which passes a wrong gradient to one of its inputs. That node's op (or, at a node
 * with several consumers that are all right, the reverse pass) is where the fault is.
 *
 * @param node the node whose backward sends a wrong gradient
 * @param op the op of that node, empty when the fault is in combining several consumers' contributions
 * @param input the input that receives the wrong gradient
 * @param sentence one sentence for people, for example
 *     {@code "dL/dz1 is wrong although dL/dh1 is right: the fault is in Relu.backward"}
 * @param mistake the known wrong formula the value fits, when one does
 * @param upstream every node whose gradient depends on the wrong one (the input and everything before it)
 */
public record Blame(String node, Optional<Op> op, String input, String sentence, Optional<String> mistake,
        Set<String> upstream) {

    private static final Tolerance SAME = new Tolerance(1e-6, 1e-6);

    /** The method at fault: the op's backward (or a loss's gradient), or the reverse pass where it combines. */
    public String method() {
        return op.map(o -> o.simpleClassName() + (o.isLoss() ? ".gradient" : ".backward"))
                .orElse("Backprop.backward");
    }

    /**
     * Locates the fault.
     *
     * @param a the assignment
     * @param forward the submission's forward values (right, or gradients would not be graded)
     * @param student the submission's gradient of every node
     * @param right the right gradient of every node it is known for (the reference's, or the checkpoints')
     * @param lossName the name of the loss, for sentences ({@code L}, {@code J})
     */
    public static Optional<Blame> find(Assignment a, Map<String, Matrix> forward, Map<String, Matrix> student,
            Map<String, Matrix> right, String lossName) {
        Map<String, List<NodeSpec>> consumers = consumers(a);
        List<NodeSpec> graph = a.graph();
        for (int k = graph.size() - 1; k >= 0; k--) {
            NodeSpec n = graph.get(k);
            if (!isRight(n.name(), student, right)) {
                continue;
            }
            Op op = Op.byName(n.op()).orElseThrow();
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.inputs().get(i);
                if (op.isLoss() && i == 1 || !right.containsKey(in) || !student.containsKey(in)
                        || isRight(in, student, right)) {
                    continue;
                }
                List<NodeSpec> readers = consumers.getOrDefault(in, List.of());
                boolean allReadersRight = readers.stream().allMatch(r -> isRight(r.name(), student, right));
                if (readers.size() > 1 && !allReadersRight) {
                    continue; // wait until every consumer has been judged
                }
                String g = "d" + lossName + "/d";
                if (readers.size() > 1) {
                    String names = String.join(", ", readers.stream().map(r -> g + r.name()).distinct().toList());
                    return Optional.of(new Blame(in, Optional.empty(), in, g + in + " is wrong although the gradients "
                            + "of every node it feeds (" + names + ") are right: the fault is where your reverse pass "
                            + "combines them (Backprop.backward adds each consumer's contribution), or in the backward "
                            + "of one of those ops", Optional.empty(), upstreamOf(a, in)));
                }
                String method = op.simpleClassName() + (op.isLoss() ? ".gradient" : ".backward");
                Optional<String> mistake = n.inputs().size() == 1
                        ? wrongPoint(op, forward.get(in), forward.get(n.name()), student.get(n.name()),
                                student.get(in))
                        : Optional.empty();
                return Optional.of(new Blame(n.name(), Optional.of(op), in, g + in + " is wrong although " + g
                        + n.name() + " is right: the fault is in " + method, mistake, upstreamOf(a, in)));
            }
        }
        return Optional.empty();
    }

    /** Finds the fault with the reference's trace as the right values. */
    public static Optional<Blame> find(Assignment a, Map<String, Matrix> forward, Map<String, Matrix> student,
            Map<String, Matrix> right) {
        return find(a, forward, student, right, a.loss().orElse("L"));
    }

    private static boolean isRight(String node, Map<String, Matrix> student, Map<String, Matrix> right) {
        Matrix s = student.get(node);
        Matrix r = right.get(node);
        return s != null && r != null && s.sameShape(r)
                && Compare.values(node, r, s, SAME, Optional.empty()).ok();
    }

    /** Who reads each node (a node read twice by one op counts twice). */
    static Map<String, List<NodeSpec>> consumers(Assignment a) {
        Map<String, List<NodeSpec>> out = new HashMap<>();
        for (NodeSpec n : a.graph()) {
            for (String in : n.inputs()) {
                out.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        return out;
    }

    private static Set<String> upstreamOf(Assignment a, String node) {
        return Assignment.ancestors(a.graph(), List.of(node));
    }

    /** Checks the classic wrong formulas of an activation's backward against what the submission sent back. */
    static Optional<String> wrongPoint(Op op, Matrix z, Matrix h, Matrix dLdh, Matrix got) {
        if (z == null || h == null || dLdh == null || got == null) {
            return Optional.empty();
        }
        return alternatives(op, z, h, dLdh).stream().filter(alt -> Diagnosis.close(alt.value(), got))
                .map(Alternative::mistake).findFirst();
    }

    /** What the classic wrong formulas for an activation's backward give. */
    public static List<Alternative> alternatives(Op op, Matrix z, Matrix h, Matrix dLdh) {
        if (!z.sameShape(dLdh) || !h.sameShape(dLdh)) {
            return List.of();
        }
        return switch (op) {
            case TANH -> List.of(new Alternative(dLdh.hadamard(z.map(v -> 1 - v * v)),
                    "the derivative is evaluated at the wrong point: tanh' computed as 1 − z² from the input; it is "
                            + "1 − h² with h = tanh(z)"));
            case SIGMOID -> List.of(
                    new Alternative(dLdh.hadamard(h), "σ'(z) computed as σ(z): the factor (1 − σ(z)) is missing"),
                    new Alternative(dLdh.hadamard(z.map(v -> v * (1 - v))), "the derivative is evaluated at the "
                            + "wrong point: σ' computed as z(1 − z) from the input; it is h(1 − h) with h = σ(z)"),
                    new Alternative(dLdh.hadamard(h.map(v -> {
                        double s = 1 / (1 + Math.exp(-v));
                        return s * (1 - s);
                    })), "the derivative is evaluated at the wrong point: σ'(h) instead of σ'(z)"));
            case RELU -> List.of(new Alternative(dLdh.hadamard(z), "multiplied by z instead of by ReLU'(z) "
                    + "(1 where z > 0, else 0)"));
            default -> List.of();
        };
    }
}
