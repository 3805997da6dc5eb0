package backprop.grader.graph;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.submission.Components;
import backprop.grader.submission.OpCall;
import backprop.grader.submission.StudentFault;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An assignment's graph bound to one submission's components: runs the forward pass (the grader's own loop
 * over the nodes in order) and the submission's reverse pass over {@link GraphNode}s.
 */
public final class Network {
    private final Assignment assignment;
    private final Components components;

    /** Binds {@code assignment}'s graph to {@code components}; every node gets its gradient, targets included. */
    public Network(Assignment assignment, Components components) {
        this(assignment, components, null);
    }

    /**
     * Binds {@code assignment}'s graph to {@code components}. A loss's second input gets its gradient from the
     * loss when it is computed (a node, a parameter, an input) or when it is a target named in {@code asked}; a
     * target nobody asks about is data, and gets zeros without calling the loss.
     *
     * @param asked the targets whose gradient is wanted, or null for all of them
     */
    public Network(Assignment assignment, Components components, java.util.Set<String> asked) {
        this.assignment = assignment;
        this.components = components;
        this.ops = assignment.graph().stream().map(n -> Op.byName(n.op()).orElseThrow()).toArray(Op[]::new);
        this.lossTargets = new java.util.HashSet<>();
        for (NodeSpec n : assignment.graph()) {
            if (Op.byName(n.op()).orElseThrow().isLoss()) {
                String t = n.inputs().get(1);
                if (!assignment.targets().containsKey(t) || asked == null || asked.contains(t)) {
                    lossTargets.add(n.name());
                }
            }
        }
    }

    /** The loss nodes whose target input gets a gradient from the loss. */
    private final java.util.Set<String> lossTargets;

    /** The op of each node, in graph order: looked up once, not on every forward pass. */
    private final Op[] ops;

    /** The submission's components this network calls. */
    public Components components() {
        return components;
    }

    /** The assignment this network runs. */
    public Assignment assignment() {
        return assignment;
    }

    /**
     * The values of one forward pass.
     *
     * @param values every node computed, inputs and parameters included
     * @param fault the first op that failed and why, when one did (the nodes after it have no value)
     * @param failedNode the node whose op failed
     */
    public record Forward(Map<String, Matrix> values, Optional<StudentFault> fault, Optional<String> failedNode) {

        /** Returns the objective that finite differences differentiate: the loss, or Σ⟨upstream, value⟩. */
        public double objective(Assignment a) {
            if (a.loss().isPresent()) {
                return values.get(a.loss().get()).scalarValue();
            }
            double s = 0;
            for (Map.Entry<String, Matrix> e : a.upstream().entrySet()) {
                s += e.getValue().hadamard(values.get(e.getKey())).sum();
            }
            return s;
        }

        /** Returns true when no op failed. */
        public boolean ok() {
            return fault.isEmpty();
        }
    }

    /** Runs the forward pass from the assignment's values with the given parameters. */
    public Forward forward(Map<String, Matrix> parameters) {
        return forward(parameters, Map.of());
    }

    /**
     * Runs the forward pass with some values replaced: an entry for a leaf replaces its value, an entry for an
     * op node replaces that node's output (so finite differences can perturb any node).
     */
    public Forward forward(Map<String, Matrix> parameters, Map<String, Matrix> overrides) {
        Map<String, Matrix> values = new LinkedHashMap<>();
        values.putAll(assignment.inputs());
        values.putAll(assignment.targets());
        values.putAll(parameters);
        values.putAll(overrides);
        for (int k = 0; k < ops.length; k++) {
            NodeSpec n = assignment.graph().get(k);
            if (overrides.containsKey(n.name())) {
                continue;
            }
            Op op = ops[k];
            List<Matrix> in = n.inputs().stream().map(values::get).toList();
            try {
                values.put(n.name(), OpCall.forward(components, op, in));
            } catch (StudentFault f) {
                return new Forward(values, Optional.of(f), Optional.of(n.name()));
            }
        }
        return new Forward(values, Optional.empty(), Optional.empty());
    }

    /**
     * The forward pass of {@code base} again with one value changed (a leaf's, or a node's output), running only the
     * nodes that depend on it: every other node keeps its value from {@code base}, which the same ops computed from
     * the same inputs. Finite differences move one value at a time, and most of a network often lies before it.
     *
     * @param base a forward pass that did not fail
     */
    public Forward forwardChanged(Forward base, String name, Matrix value) {
        if (!base.ok()) {
            throw new IllegalArgumentException("the base forward pass failed");
        }
        Map<String, Matrix> values = new LinkedHashMap<>(base.values());
        values.put(name, value);
        java.util.Set<String> moved = new java.util.HashSet<>(List.of(name));
        for (int k = 0; k < ops.length; k++) {
            NodeSpec n = assignment.graph().get(k);
            if (n.name().equals(name) || n.inputs().stream().noneMatch(moved::contains)) {
                continue;
            }
            moved.add(n.name());
            List<Matrix> in = n.inputs().stream().map(values::get).toList();
            try {
                values.put(n.name(), OpCall.forward(components, ops[k], in));
            } catch (StudentFault f) {
                return new Forward(values, Optional.of(f), Optional.of(n.name()));
            }
        }
        return new Forward(values, Optional.empty(), Optional.empty());
    }

    /**
     * Runs the submission's reverse pass over a completed forward pass, seeded with the loss gradient
     * {@code [[1]]} or the assignment's upstream gradients.
     *
     * @return {@code dL/dn} for every node the reverse pass reached
     * @throws StudentFault when the reverse pass or an op's backward fails, or returns something unusable
     */
    public Map<String, Matrix> backward(Forward forward) {
        return backward(forward, new LinkedHashMap<>());
    }

    /**
     * Runs the submission's reverse pass as {@link #backward(Forward)} does, and puts into {@code calls} what it did
     * with each node it called backward on: a snapshot taken when it returns, so a call made later (by code that
     * kept a node) changes nothing.
     */
    public Map<String, Matrix> backward(Forward forward, Map<String, BackwardCalls> calls) {
        Map<String, BackwardCalls> record = Collections.synchronizedMap(new LinkedHashMap<>());
        Map<String, Node> nodes = nodes(forward, record);
        Map<GraphNode, Matrix> seeds = new LinkedHashMap<>();
        assignment.loss().ifPresent(l -> seeds.put(nodes.get(l), Matrix.scalar(1.0)));
        assignment.upstream().forEach((name, g) -> seeds.put(nodes.get(name), g));
        Map<String, Matrix> grads = OpCall.call(components, Components.REVERSE_PASS + ".backward",
                () -> OpCall.copy(components.reversePass().backward(Collections.unmodifiableMap(seeds))));
        synchronized (record) {
            calls.putAll(record);
        }
        for (Node n : nodes.values()) {
            if (n.fault != null) {
                throw n.fault;
            }
        }
        Map<String, Matrix> out = new LinkedHashMap<>();
        for (Map.Entry<String, Matrix> e : grads.entrySet()) {
            Node n = nodes.get(e.getKey());
            if (n == null || e.getValue() == null) {
                continue;
            }
            OpCall.requireShape(e.getValue(), n.value.rows(), n.value.cols(), Components.REVERSE_PASS + ".backward",
                    "the gradient of '" + e.getKey() + "'");
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private Map<String, Node> nodes(Forward forward, Map<String, BackwardCalls> record) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        forward.values().forEach((name, v) -> nodes.put(name, new Node(name, v, record)));
        for (NodeSpec spec : assignment.graph()) {
            Node n = nodes.get(spec.name());
            n.op = Op.byName(spec.op()).orElseThrow();
            for (String in : spec.inputs()) {
                n.inputs.add(nodes.get(in));
            }
        }
        return nodes;
    }

    /** A node handed to the submission's reverse pass; its backward calls the submission's op. */
    private final class Node implements GraphNode {
        private final String name;
        private final Matrix value;
        private final List<GraphNode> inputs = new ArrayList<>();
        private final Map<String, BackwardCalls> record;
        private Op op;
        private StudentFault fault;

        Node(String name, Matrix value, Map<String, BackwardCalls> record) {
            this.name = name;
            this.value = value;
            this.record = record;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<GraphNode> inputs() {
            return Collections.unmodifiableList(inputs);
        }

        @Override
        public Matrix value() {
            return value;
        }

        @Override
        public List<Matrix> backward(Matrix gradOfThis) {
            if (op == null) {
                return List.of();
            }
            try {
                if (gradOfThis == null) {
                    throw new StudentFault("Backprop.backward passed null as the gradient of '" + name + "'");
                }
                OpCall.requireShape(gradOfThis, value.rows(), value.cols(), "Backprop.backward",
                        "(as the gradient passed to '" + name + "') a matrix");
                List<Matrix> in = inputs.stream().map(GraphNode::value).toList();
                List<Matrix> out = List.copyOf(OpCall.backward(components, op, in, value, gradOfThis,
                        lossTargets.contains(name)));
                record.merge(name, new BackwardCalls(1, gradOfThis, out), (was, now) -> was.and(gradOfThis, out));
                return out;
            } catch (StudentFault f) {
                if (fault == null) {
                    fault = f;
                }
                throw f;
            }
        }
    }
}
