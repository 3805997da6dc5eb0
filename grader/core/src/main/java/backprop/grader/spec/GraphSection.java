package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Yaml.ListNode;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an assignment's {@code graph}, {@code loss} and {@code upstream}: each node, the order in which they run,
 * their shapes, and where the reverse pass starts. Once something here is wrong ({@link #broken}), the checks that
 * would only repeat it stay quiet.
 */
final class GraphSection {
    private static final Set<String> NODE = new LinkedHashSet<>(List.of("node", "op", "inputs"));

    private final Fields f;
    private final Names names;
    private final Map<String, int[]> shapes;
    private final MapNode top;
    private final Map<NodeSpec, List<Location>> inputLocations = new HashMap<>();
    /** True when a node was dropped or the graph cannot be used, so that follow-on checks stay quiet. */
    boolean broken;
    /** True when the file has no {@code graph} list at all. */
    boolean missing;

    GraphSection(Fields f, Names names, Map<String, int[]> shapes, MapNode top) {
        this.f = f;
        this.names = names;
        this.shapes = shapes;
        this.top = top;
    }

    /** The nodes in an order where each follows its inputs; empty when the graph has a problem. */
    List<NodeSpec> read() {
        Node g = top.fields().get("graph");
        missing = g == null || g instanceof Yaml.ScalarNode s && s.isNull();
        if (missing) {
            if (!top.fields().containsKey("unit_checks")) {
                f.problem(top.location(), "missing required field 'graph' (the list of nodes), or 'unit_checks'; "
                        + "there is nothing to grade");
                broken = true;
            }
            return List.of();
        }
        return sorted(nodes(g));
    }

    private List<NodeSpec> nodes(Node g) {
        List<NodeSpec> out = new ArrayList<>();
        Optional<ListNode> list = f.list(g, "graph");
        if (list.isEmpty()) {
            broken = true;
            return out;
        }
        List<Node> items = list.get().items();
        for (int i = 0; i < items.size(); i++) {
            String what = "graph[" + i + "]";
            Optional<MapNode> m = f.map(items.get(i), what);
            if (m.isEmpty()) {
                broken = true;
                continue;
            }
            node(m.get(), what).ifPresentOrElse(out::add, () -> broken = true);
        }
        if (items.isEmpty() && !top.fields().containsKey("unit_checks")) {
            f.problem(g.location().at("graph"), "the graph has no nodes; there is nothing to grade");
            broken = true;
        }
        return out;
    }

    private Optional<NodeSpec> node(MapNode m, String what) {
        f.onlyKeys(m, NODE);
        Optional<String> name = f.required(m, "node").flatMap(n -> f.text(n, what + ".node"));
        Optional<String> op = f.required(m, "op").flatMap(n -> f.text(n, what + ".op"));
        Optional<Node> insNode = f.required(m, "inputs");
        List<String> ins = insNode.map(n -> f.names(n, what + ".inputs")).orElse(List.of());
        boolean unique = name.map(n -> names.declare(n, m.keyLocations().get("node"))).orElse(false);
        if (name.isEmpty() || op.isEmpty() || insNode.isEmpty() || !unique) {
            return Optional.empty();
        }
        Optional<Op> o = Op.byName(op.get());
        if (o.isEmpty()) {
            f.problem(m.fields().get("op").location(), "unknown op '" + op.get() + "'"
                    + Fields.suggest(op.get(), Op.names()) + "; known ops: " + String.join(", ", Op.names()));
            return Optional.empty();
        }
        if (ins.size() != o.get().arity()) {
            f.problem(insNode.get().location(), "op '" + o.get().yamlName() + "' takes " + o.get().arity()
                    + " input(s) " + o.get().inputNames() + ", got " + ins.size());
            return Optional.empty();
        }
        NodeSpec spec = new NodeSpec(name.get(), o.get().yamlName(), ins, m.location().at(what));
        List<Location> at = new ArrayList<>();
        if (insNode.get() instanceof ListNode l) {
            for (int i = 0; i < l.items().size(); i++) {
                at.add(l.items().get(i).location().at(what + ".inputs[" + i + "]"));
            }
        }
        inputLocations.put(spec, at);
        return Optional.of(spec);
    }

    /** Returns the nodes in an order where each follows its inputs, checking references, cycles and shapes. */
    private List<NodeSpec> sorted(List<NodeSpec> nodes) {
        Map<String, NodeSpec> byName = new LinkedHashMap<>();
        nodes.forEach(n -> byName.putIfAbsent(n.name(), n));
        boolean ok = true;
        for (NodeSpec n : nodes) {
            List<Location> at = inputLocations.getOrDefault(n, List.of());
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.inputs().get(i);
                if (!names.contains(in)) {
                    f.problem(i < at.size() ? at.get(i) : n.location(), "node '" + n.name() + "' reads '" + in
                            + "', which is not defined" + Fields.suggest(in, names.all()));
                    ok = false;
                }
            }
        }
        if (!ok) {
            broken = true;
            return List.of();
        }
        Optional<List<NodeSpec>> order = order(nodes, byName);
        if (order.isEmpty()) {
            broken = true;
            return List.of();
        }
        for (NodeSpec n : order.get()) {
            Op op = Op.byName(n.op()).orElseThrow();
            List<int[]> in = n.inputs().stream().map(shapes::get).toList();
            if (in.contains(null)) {
                continue;
            }
            try {
                shapes.put(n.name(), op.outputShape(in));
            } catch (IllegalArgumentException e) {
                f.problem(n.location(), "shapes do not fit in node '" + n.name() + "' (" + n.op() + " of "
                        + String.join(", ", n.inputs()) + "): " + e.getMessage());
            }
        }
        return order.get();
    }

    /**
     * A depth-first topological order, walked with an explicit stack so that a chain of any length fits; empty
     * (and a problem at the node where the walk came back to itself) when there is a cycle.
     */
    private Optional<List<NodeSpec>> order(List<NodeSpec> nodes, Map<String, NodeSpec> byName) {
        List<NodeSpec> order = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>(); // absent: new; 1: on the path; 2: done
        for (NodeSpec root : nodes) {
            if (state.containsKey(root.name())) {
                continue;
            }
            Deque<NodeSpec> path = new ArrayDeque<>();
            Deque<Integer> next = new ArrayDeque<>();
            path.push(root);
            next.push(0);
            state.put(root.name(), 1);
            while (!path.isEmpty()) {
                NodeSpec n = path.peek();
                int i = next.pop();
                if (i == n.inputs().size()) {
                    path.pop();
                    state.put(n.name(), 2);
                    order.add(n);
                    continue;
                }
                next.push(i + 1);
                NodeSpec dep = byName.get(n.inputs().get(i));
                if (dep == null || Integer.valueOf(2).equals(state.get(dep.name()))) {
                    continue;
                }
                if (Integer.valueOf(1).equals(state.get(dep.name()))) {
                    List<String> cycle = new ArrayList<>();
                    for (NodeSpec p : path) {
                        cycle.add(0, p.name());
                        if (p == dep) {
                            break;
                        }
                    }
                    cycle.add(dep.name());
                    f.problem(dep.location(), "the graph has a cycle: " + String.join(" → ", cycle));
                    return Optional.empty();
                }
                state.put(dep.name(), 1);
                path.push(dep);
                next.push(0);
            }
        }
        return Optional.of(order);
    }

    /**
     * Checks where the reverse pass starts: a 1×1 loss node, or given gradients at nodes, not both. Returns the
     * names it starts from.
     */
    Set<String> seeds(List<NodeSpec> graph, Optional<String> loss, Map<String, Matrix> upstream) {
        Set<String> seeds = new LinkedHashSet<>(upstream.keySet());
        loss.ifPresent(seeds::add);
        if (graph.isEmpty() || broken) {
            return seeds;
        }
        if (top.fields().containsKey("upstream") && !(top.fields().get("upstream") instanceof MapNode)) {
            broken = true;
            return seeds; // already reported: upstream must be a mapping
        }
        if (loss.isPresent() && !upstream.isEmpty()) {
            broken = true;
            f.problem(top.keyLocations().get("upstream").at("upstream"), "give either 'loss' or 'upstream', not both");
            return seeds;
        }
        if (loss.isEmpty() && upstream.isEmpty()) {
            broken = true;
            if (!top.fields().containsKey("upstream")) {
                f.problem(top.location(), "missing required field 'loss' (the loss node), or 'upstream' (given "
                        + "gradients)");
            }
            return seeds;
        }
        loss.ifPresent(l -> {
            Location at = top.fields().get("loss").location().at("loss");
            int[] s = shapes.get(l);
            if (!names.contains(l)) {
                broken = true;
                f.problem(at, "the loss node '" + l + "' is not defined" + Fields.suggest(l, names.all()));
            } else if (s != null && (s[0] != 1 || s[1] != 1)) {
                f.problem(at, "the loss node '" + l + "' must be 1×1, but it is " + Op.shape(s));
            }
        });
        MapNode up = (MapNode) top.fields().get("upstream");
        upstream.forEach((name, g) -> {
            Location at = up.keyLocations().get(name);
            int[] s = shapes.get(name);
            if (!names.contains(name)) {
                f.problem(at, "upstream gradient for '" + name + "', which is not defined"
                        + Fields.suggest(name, names.all()));
            } else if (s != null && (s[0] != g.rows() || s[1] != g.cols())) {
                f.problem(at, "upstream gradient for '" + name + "' is " + g.shape() + " but the node is "
                        + Op.shape(s));
            }
        });
        return seeds;
    }
}
