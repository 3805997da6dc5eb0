package backprop.grader.run;

import backprop.api.GraphNode;
import backprop.api.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small graph whose nodes' backward the grader defines itself (each input receives the upstream gradient times
 * a fixed matrix, entry by entry), so that a submission's reverse pass can be checked alone, with none of its own
 * ops involved. It has what trips reverse passes up: a node feeding two others ({@code u}), a leaf used twice
 * ({@code w}), and two seeded nodes, one of which also feeds another ({@code v}).
 *
 * <pre>
 *   u = f(a, w)     v = g(u)     p = h(u)     s = k(v, p, w)      seeds: s, v
 * </pre>
 */
public final class MockGraph {
    /** The nodes in the order their gradients are reported. */
    public static final List<String> ORDER = List.of("a", "w", "u", "v", "p", "s");
    private static final int COLS = 3;

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<GraphNode, Matrix> seeds = new LinkedHashMap<>();

    /** Builds the graph with factors and seeds drawn from {@code seed}. */
    public MockGraph(long seed) {
        Random rng = new Random(seed);
        Node a = leaf("a", rng);
        Node w = leaf("w", rng);
        Node u = op("u", rng, a, w);
        Node v = op("v", rng, u);
        Node p = op("p", rng, u);
        Node s = op("s", rng, v, p, w);
        seeds.put(s, random(rng));
        seeds.put(v, random(rng));
    }

    /** The seeds to hand to a reverse pass. */
    public Map<GraphNode, Matrix> seeds() {
        return seeds;
    }

    /** The seed given to a node, if it is seeded. */
    public java.util.Optional<Matrix> seedOf(String name) {
        return seeds.entrySet().stream().filter(e -> e.getKey().name().equals(name)).map(Map.Entry::getValue)
                .findFirst();
    }

    /** What node {@code consumer} sends back to its input {@code input} when its own gradient is {@code g}. */
    public Matrix contribution(String consumer, String input, Matrix g) {
        Node c = nodes.get(consumer);
        for (int k = 0; k < c.inputs.size(); k++) {
            if (c.inputs.get(k).name.equals(input)) {
                return g.hadamard(c.factors.get(k));
            }
        }
        throw new IllegalArgumentException(consumer + " does not read " + input);
    }

    /** The names of the nodes that read {@code name}. */
    public List<String> consumers(String name) {
        List<String> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.inputs.stream().anyMatch(i -> i.name.equals(name))) {
                out.add(n.name);
            }
        }
        return out;
    }

    /** How many times the nodes' backward was called, in total (a reverse pass calls each once). */
    public int backwardCalls() {
        return nodes.values().stream().mapToInt(n -> n.calls).sum();
    }

    private Node leaf(String name, Random rng) {
        Node n = new Node(name, random(rng), List.of(), List.of());
        nodes.put(name, n);
        return n;
    }

    private Node op(String name, Random rng, Node... inputs) {
        List<Matrix> factors = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            factors.add(random(rng));
        }
        Node n = new Node(name, random(rng), List.of(inputs), factors);
        nodes.put(name, n);
        return n;
    }

    private static Matrix random(Random rng) {
        return Matrix.build(1, COLS, (i, j) -> Math.round((rng.nextDouble() * 4 - 2) * 100) / 100.0);
    }

    /** A node whose backward multiplies the upstream gradient by a fixed factor per input. */
    private static final class Node implements GraphNode {
        private final String name;
        private final Matrix value;
        private final List<GraphNode> inputsView;
        private final List<Node> inputs;
        private final List<Matrix> factors;
        private int calls;

        Node(String name, Matrix value, List<Node> inputs, List<Matrix> factors) {
            this.name = name;
            this.value = value;
            this.inputs = inputs;
            this.inputsView = List.copyOf(inputs);
            this.factors = factors;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<GraphNode> inputs() {
            return inputsView;
        }

        @Override
        public Matrix value() {
            return value;
        }

        @Override
        public List<Matrix> backward(Matrix gradOfThis) {
            calls++;
            List<Matrix> out = new ArrayList<>();
            for (Matrix f : factors) {
                out.add(gradOfThis.hadamard(f));
            }
            return out;
        }
    }
}
