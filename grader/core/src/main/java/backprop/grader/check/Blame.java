package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.check.Known.Judged;
import backprop.grader.check.Known.Verdict;
import backprop.grader.check.PassMistakes.Part;
import backprop.grader.graph.BackwardCalls;
import backprop.grader.graph.Op;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Checkpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds where a wrong gradient goes wrong by checking every step the submission's reverse pass took between the
 * loss and that gradient, each step on its own:
 *
 * <ul>
 *   <li>an op's backward: given the gradient the reverse pass passed in, did it send the right gradient to this
 *       input? ({@link Authority#contribution}: the reference's op when grading, finite differences of the
 *       student's own op forward in a local run);
 *   <li>a node's gradient: is it the sum of what arrived (its seed and what each node it feeds sent back)?
 *   <li>a node's backward call: was it given that gradient, once, complete?
 * </ul>
 *
 * <p>The last two compare the submission's own numbers with each other, so they need no right value at all. A
 * gradient is wrong only if one of these steps is, so the faults found on the way from the loss to a gradient are
 * where it goes wrong; a fan-out node is blamed on the reverse pass only when what arrives there does not add up,
 * never because what arrives is already wrong. Nodes that do not lead to the loss (a softmax shown beside a
 * softmax cross-entropy) are not on any such way, and their gradient is zero or absent.
 */
final class Blame {
    private final Assignment a;
    private final Trace student;
    private final Authority authority;
    private final String d;
    private final Map<String, Matrix> grads;
    private final Map<String, BackwardCalls> calls = new HashMap<>();
    private final Map<String, List<NodeSpec>> consumers = new HashMap<>();
    private final Map<String, Integer> order = new HashMap<>();
    private final Set<String> reaching;
    private final Map<String, Explanation> cones = new HashMap<>();
    private final Map<String, Optional<Fault>> edges = new HashMap<>();
    private final Map<String, String> undecidedEdges = new HashMap<>();

    private Blame(Assignment a, Trace student, Authority authority) {
        this.a = a;
        this.student = student;
        this.authority = authority;
        this.d = "d" + a.loss().orElse("L") + "/d";
        this.grads = student.gradients().get().orElse(Map.of());
        for (int k = 0; k < a.graph().size(); k++) {
            NodeSpec n = a.graph().get(k);
            order.put(n.name(), k);
            for (String in : n.inputs()) {
                List<NodeSpec> readers = consumers.computeIfAbsent(in, x -> new ArrayList<>());
                if (!readers.contains(n)) {
                    readers.add(n);
                }
            }
        }
        this.reaching = a.seedAncestors();
        // A record that does not fit the graph cannot come from the engine's own tracer: it is left out.
        for (NodeSpec n : a.graph()) {
            BackwardCalls bc = student.backward().get(n.name());
            if (bc != null && fits(n, bc, student.forward())) {
                calls.put(n.name(), bc);
            }
        }
    }

    private static boolean fits(NodeSpec n, BackwardCalls bc, Map<String, Matrix> forward) {
        Matrix out = forward.get(n.name());
        if (out == null || !bc.upstream().sameShape(out) || bc.contributions().size() != n.inputs().size()) {
            return false;
        }
        for (int j = 0; j < n.inputs().size(); j++) {
            Matrix in = forward.get(n.inputs().get(j));
            if (in == null || !in.sameShape(bc.contributions().get(j))) {
                return false;
            }
        }
        return true;
    }

    /** The walk over one submission's trace of {@code a}; its judgements are made once and shared by every gradient. */
    static Blame of(Assignment a, Trace student, Authority authority) {
        return new Blame(a, student, authority);
    }

    /** The wrong steps between the loss and {@code target}'s gradient. */
    Explanation explain(String target) {
        Explanation e = cone(target);
        List<Fault> sorted = new ArrayList<>(e.faults());
        sorted.sort(Comparator.comparingInt(Fault::order).reversed());
        return new Explanation(sorted, e.undecided());
    }

    /** Every wrong step that {@code x}'s gradient depends on, except a wrong call of {@code x}'s own backward. */
    private Explanation cone(String x) {
        Explanation done = cones.get(x);
        if (done != null) {
            return done;
        }
        Set<Fault> faults = new LinkedHashSet<>();
        Set<String> undecided = new LinkedHashSet<>();
        combine(x).ifPresent(faults::add);
        for (NodeSpec c : consumers.getOrDefault(x, List.of())) {
            if (!reaching.contains(c.name())) {
                continue;
            }
            for (int j = 0; j < c.inputs().size(); j++) {
                if (c.inputs().get(j).equals(x)) {
                    edge(c, j).ifPresent(faults::add);
                    String key = c.name() + "/" + j;
                    if (undecidedEdges.containsKey(key)) {
                        undecided.add(undecidedEdges.get(key));
                    }
                }
            }
            propagate(c).ifPresent(faults::add);
            Explanation further = cone(c.name());
            faults.addAll(further.faults());
            undecided.addAll(further.undecided());
        }
        Explanation e = new Explanation(List.copyOf(faults), List.copyOf(undecided));
        cones.put(x, e);
        return e;
    }

    /** Whether nothing between the loss and {@code x} is wrong or undecided. */
    private boolean clean(String x) {
        Explanation e = cone(x);
        return e.faults().isEmpty() && e.undecided().isEmpty();
    }

    /** What arrives at {@code x}: its seed, and what each node it feeds sent back to it. */
    private List<Part> arrivals(String x, Matrix like) {
        List<Part> parts = new ArrayList<>();
        if (a.loss().filter(x::equals).isPresent()) {
            parts.add(new Part(PassMistakes.SEED, Matrix.scalar(1.0)));
        }
        Matrix up = a.upstream().get(x);
        if (up != null) {
            parts.add(new Part(PassMistakes.SEED, up));
        }
        for (NodeSpec c : consumers.getOrDefault(x, List.of())) {
            BackwardCalls bc = calls.get(c.name());
            long uses = c.inputs().stream().filter(x::equals).count();
            for (int j = 0; j < c.inputs().size(); j++) {
                if (c.inputs().get(j).equals(x)) {
                    Matrix v = bc == null ? Matrix.zerosLike(like) : bc.contributions().get(j);
                    if (!reaching.contains(c.name()) && Diagnosis.isZero(v)) {
                        continue; // a node off the way to the loss (a softmax shown beside the loss) adds nothing
                    }
                    String label = "'" + c.name() + "'" + (uses > 1 ? " (as its " + Op.byName(c.op()).orElseThrow()
                            .inputNames().get(j) + ")" : "");
                    parts.add(new Part(label, v));
                }
            }
        }
        return parts;
    }

    /** The gradient the reverse pass holds for {@code x}: the one it reports, else the one it passed in. */
    private Optional<Matrix> held(String x) {
        Matrix g = grads.get(x);
        if (g != null) {
            return Optional.of(g);
        }
        return Optional.ofNullable(calls.get(x)).map(BackwardCalls::upstream);
    }

    private Optional<Fault> combine(String x) {
        Optional<Matrix> held = held(x);
        if (held.isEmpty()) {
            return Optional.empty();
        }
        List<Part> parts = arrivals(x, held.get());
        if (same(held.get(), PassMistakes.sum(parts, held.get()))) {
            return Optional.empty();
        }
        boolean arrivalsRight = consumers.getOrDefault(x, List.of()).stream().filter(c -> reaching.contains(c.name()))
                .allMatch(c -> clean(c.name()) && propagate(c).isEmpty() && edgesInto(c, x).allMatch(Optional::isEmpty));
        String where = d + x + (parts.size() == 1 && parts.get(0).label().equals(PassMistakes.SEED) ? " is not its seed"
                : " is not the sum of " + describe(parts))
                + (arrivalsRight && parts.size() > 1 ? ", although each of those is right" : "")
                + ": the fault is in Backprop.backward";
        return Optional.of(new Fault(Fault.Kind.COMBINE, x, order.getOrDefault(x, -1), "Backprop.backward", where,
                PassMistakes.combination(held.get(), parts, calls.containsKey(x) ? calls.get(x).calls() : 0,
                        calls.containsKey(x) ? calls.get(x).upstream() : Matrix.zerosLike(held.get())), Set.of(x)));
    }

    /** {@code "its seed and what 'a' and 'b' send back"}. */
    private static String describe(List<Part> parts) {
        boolean seed = parts.stream().anyMatch(p -> p.label().equals(PassMistakes.SEED));
        List<String> senders = parts.stream().map(Part::label).filter(l -> !l.equals(PassMistakes.SEED)).distinct()
                .toList();
        String sent = senders.isEmpty() ? "" : "what " + and(senders) + (senders.size() == 1 ? " sends" : " send")
                + " back";
        return seed ? senders.isEmpty() ? PassMistakes.SEED : PassMistakes.SEED + " and " + sent
                : senders.isEmpty() ? "nothing" : sent;
    }

    /** {@code "'a', 'b' and 'c'"}. */
    static String and(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private java.util.stream.Stream<Optional<Fault>> edgesInto(NodeSpec c, String x) {
        List<Optional<Fault>> out = new ArrayList<>();
        for (int j = 0; j < c.inputs().size(); j++) {
            if (c.inputs().get(j).equals(x)) {
                out.add(edge(c, j));
            }
        }
        return out.stream();
    }

    private Optional<Fault> propagate(NodeSpec c) {
        BackwardCalls bc = calls.get(c.name());
        Optional<Matrix> held = held(c.name());
        if (held.isEmpty()) {
            return Optional.empty();
        }
        List<Part> parts = arrivals(c.name(), held.get());
        Matrix expected = PassMistakes.sum(parts, held.get());
        String method = "Backprop.backward";
        // A hint of the node's inputs speaks of the op, which is right here: no input is "first wrong" for hints.
        Set<String> inputs = Set.of();
        if (bc == null) {
            if (Diagnosis.isZero(expected)) {
                return Optional.empty(); // nothing to pass on: skipping the node is harmless
            }
            return Optional.of(new Fault(Fault.Kind.PROPAGATE, c.name(), order.get(c.name()), method, method + " never "
                    + "calls the backward of '" + c.name() + "', although " + d + c.name() + " is not zero: the fault "
                    + "is in " + method, PassMistakes.propagation(0, Matrix.zerosLike(expected), parts),
                    inputs));
        }
        if (same(bc.upstream(), held.get()) || same(bc.upstream(), expected)) {
            return Optional.empty();
        }
        return Optional.of(new Fault(Fault.Kind.PROPAGATE, c.name(), order.get(c.name()), method, method + " calls the "
                + "backward of '" + c.name() + "' with a gradient other than " + d + c.name() + ": the fault is in "
                + method, PassMistakes.propagation(bc.calls(), bc.upstream(), parts), inputs));
    }

    /** Judges what {@code c}'s op sent back to its input {@code j}, once. */
    private Optional<Fault> edge(NodeSpec c, int j) {
        String key = c.name() + "/" + j;
        Optional<Fault> done = edges.get(key);
        if (done != null) {
            return done;
        }
        Optional<Fault> f = judgeEdge(c, j);
        edges.put(key, f);
        return f;
    }

    private Optional<Fault> judgeEdge(NodeSpec c, int j) {
        BackwardCalls bc = calls.get(c.name());
        Op op = Op.byName(c.op()).orElseThrow();
        String x = c.inputs().get(j);
        if (bc == null || j >= bc.contributions().size() || op.isLoss() && j == 1 && !asksTarget(x)) {
            return Optional.empty();
        }
        Matrix got = bc.contributions().get(j);
        Judged judged = authority.contribution(c, j, bc.upstream(), got, student.forward());
        String method = Diagnosis.method(op, j);
        if (judged.verdict() == Verdict.UNDECIDED) {
            undecidedEdges.put(c.name() + "/" + j, "what " + method + " sends to '" + x + "' at node '" + c.name()
                    + "'");
            return Optional.empty();
        }
        if (judged.verdict() == Verdict.RIGHT) {
            return Optional.empty();
        }
        List<Matrix> in = c.inputs().stream().map(student.forward()::get).toList();
        Optional<String> cause = Diagnosis.ofOp(op, j, in, student.forward().get(c.name()), bc.upstream(), got,
                judged.right());
        String where = clean(c.name())
                ? d + x + " is wrong although " + d + c.name() + " is right: the fault is in " + method
                : "at node '" + c.name() + "', " + method + " turns " + d + c.name() + " into a wrong " + d + x
                        + ": the fault is in " + method;
        return Optional.of(new Fault(Fault.Kind.OP, c.name(), order.get(c.name()), method, where, cause, Set.of(x)));
    }

    /** Whether a loss's target gets its gradient from the loss: it is computed, or a check asks for it. */
    private boolean asksTarget(String target) {
        return !a.targets().containsKey(target) || a.checkpoints().stream().anyMatch(cp -> cp.target().equals(target)
                && cp.kind() == Checkpoint.Kind.GRADIENT);
    }

    /** Equal up to rounding: the sums of a valid reverse pass may be added in any order. */
    private static boolean same(Matrix a, Matrix b) {
        return Diagnosis.close(a, b, 1e-9);
    }
}
