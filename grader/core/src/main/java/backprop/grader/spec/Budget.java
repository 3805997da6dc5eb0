package backprop.grader.spec;

import backprop.grader.graph.Op;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What running an assignment once costs, estimated from its shapes before anything runs, and the limits every
 * file must stay within, so that no file can make {@code validate}, {@code check} or a student's {@code mvn test}
 * run for minutes or out of memory.
 *
 * <p>Work is counted in operations: a multiply-add, or {@link #CALL} for calling one op whatever its size (on the
 * machine this was measured on, an operation takes 2–3 ns). A run of a graph assignment is one forward and one
 * backward pass, the finite differences of every gradient checkpoint's value, and the optimizer steps the
 * checkpoints ask for (keeping the parameters after each, which the step checks walk); an {@code ops} file runs
 * each op alone on its own inputs.
 */
public final class Budget {
    /**
     * The most work one file may ask for: 3·10⁹ operations, under ten seconds on one core. The largest shipped
     * file ({@code scale-784-128-10}) needs less than a quarter of it, with every finite-difference line at its
     * worst; a million SGD steps of a 2-2-1 network need six times it.
     */
    public static final long MAX_WORK = 3_000_000_000L;
    /**
     * The most matrix entries one run may hold at once: 2²³ doubles, 64 MiB, well inside the 256 MiB heap a
     * student's code runs in. The largest shipped file holds about 0.85 million.
     */
    public static final long MAX_ENTRIES = 1L << 23;
    /** What calling one op costs beyond its arithmetic (the call, allocating its result, checking shapes). */
    static final long CALL = 1000;
    /**
     * Forward passes per finite-difference line, at most: both sides of the point at each of the halving steps.
     * A correct gradient usually agrees at the first step (two passes); the budget holds for the worst case.
     */
    static final int PASSES_PER_ESTIMATE = 2 * FiniteDifferences.LEVELS;

    private Budget() {}

    /**
     * One part of the cost, at the place in the file that asks for it.
     *
     * @param at where the file asks for it
     * @param what what it is, in words
     * @param work operations
     * @param entries matrix entries held at once while it runs
     */
    public record Part(Location at, String what, long work, long entries) {}

    /**
     * The estimate of one file.
     *
     * @param parts every part, in file order
     */
    public record Estimate(List<Part> parts) {
        /** All the work. */
        public long work() {
            return parts.stream().mapToLong(Part::work).sum();
        }

        /** The entries held at once: the largest part's, beside the values every part shares. */
        public long entries() {
            return parts.stream().mapToLong(Part::entries).sum();
        }

        /**
         * The problem of a file over a limit, at the part that asks for the most (the most work when the work is
         * over), naming each limit it is over: one problem, however many limits.
         */
        public List<Problem> problems() {
            boolean work = work() > MAX_WORK;
            boolean memory = entries() > MAX_ENTRIES;
            if (!work && !memory) {
                return List.of();
            }
            Part byWork = largest(Part::work);
            Part byEntries = largest(Part::entries);
            List<String> over = new ArrayList<>();
            if (work) {
                over.add(String.format(Locale.ROOT, "take about %s operations, over the budget of %s", sci(work()),
                        sci(MAX_WORK)));
            }
            if (memory) {
                over.add(String.format(Locale.ROOT, "hold about %s matrix entries (%s MiB) at once, over the budget "
                        + "of %,d (%s MiB)", sci(entries()), mib(entries()), MAX_ENTRIES, mib(MAX_ENTRIES)));
            }
            String most = !work ? "most of them are for " + byEntries.what()
                    : !memory || byWork == byEntries ? "most of it goes to " + byWork.what()
                    : "most of the operations go to " + byWork.what() + ", most of the entries to "
                            + byEntries.what();
            return List.of(new Problem(work ? byWork.at() : byEntries.at(), "running this file would "
                    + String.join(" and ", over) + " (see 'The budget' in assignments/README.md); " + most));
        }

        private Part largest(ToLongFunction<Part> by) {
            return parts.stream().max(Comparator.comparingLong(by)).orElseThrow();
        }
    }

    /**
     * Estimates a file's cost.
     *
     * @param a the assignment, read without problems
     * @param stepsAt where a parameter checkpoint asks for its number of steps
     * @param graphAt where the file's graph is
     */
    public static Estimate estimate(Assignment a, Function<Checkpoint, Location> stepsAt, Location graphAt) {
        List<Part> parts = new ArrayList<>();
        Map<String, int[]> shapes = shapes(a);
        if (!a.graph().isEmpty()) {
            long forward = forward(a, shapes);
            long held = 0;
            for (int[] s : shapes.values()) {
                held += 2L * s[0] * s[1]; // every value and its gradient
            }
            parts.add(new Part(graphAt, "the forward and backward pass of the graph (" + a.graph().size()
                    + " nodes)", 3 * forward, held));
            Set<String> differenced = new HashSet<>();
            for (Checkpoint cp : a.checkpoints()) {
                if (cp.kind() == Checkpoint.Kind.GRADIENT && differenced.add(cp.target())) {
                    long size = entries(shapes.get(cp.target()));
                    long passes = PASSES_PER_ESTIMATE * (size <= FiniteDifferences.FULL ? size
                            : FiniteDifferences.SAMPLED_ENTRIES + FiniteDifferences.DIRECTIONS);
                    parts.add(new Part(cp.location(), "the finite differences of the gradient of '" + cp.target()
                            + "' (" + passes + " forward passes)", passes * (forward + size), 6 * size));
                }
            }
            steps(a, shapes, forward, stepsAt).ifPresent(parts::add);
        }
        for (UnitCheckSpec u : a.unitChecks()) {
            parts.add(unit(u));
        }
        return new Estimate(parts);
    }

    /** The optimizer steps of the checkpoint that asks for the most. */
    private static Optional<Part> steps(Assignment a, Map<String, int[]> shapes, long forward,
            Function<Checkpoint, Location> stepsAt) {
        Optional<Checkpoint> most = a.checkpoints().stream().filter(c -> c.kind() == Checkpoint.Kind.PARAMETER)
                .max(Comparator.comparingInt(Checkpoint::afterSteps));
        if (most.isEmpty() || a.optimizer().isEmpty()) {
            return Optional.empty();
        }
        long parameters = 0;
        for (String p : a.parameters().keySet()) {
            parameters += entries(shapes.get(p));
        }
        long perStep = 3 * forward + 4 * parameters + CALL * a.parameters().size();
        int steps = most.get().afterSteps();
        // A trace keeps the parameters after every step: a kink-aware step check walks them all.
        return Optional.of(new Part(stepsAt.apply(most.get()), String.format(Locale.ROOT, "%,d optimizer steps of "
                + "about %s operations each (%,d parameter entries, kept after every step)", steps, sci(perStep),
                parameters), steps * perStep, (3L + steps) * parameters));
    }

    /** An op run alone: forward, backward twice, and finite differences of every input it is checked in. */
    private static Part unit(UnitCheckSpec u) {
        long first = (long) u.rows() * u.cols();
        Optional<Op> op = Op.byName(u.op());
        if (op.isEmpty()) { // sgd or the reverse pass: a few small matrices
            return new Part(u.location(), "the unit check of " + u.op(), 10 * (first + CALL), 6 * first);
        }
        List<int[]> in = inputs(op.get(), u);
        long forward = work(op.get(), in);
        long passes = 0;
        long held = 0;
        for (int k = 0; k < (op.get().isLoss() ? 1 : in.size()); k++) {
            long size = entries(in.get(k));
            passes += PASSES_PER_ESTIMATE * (size <= FiniteDifferences.FULL ? size
                    : FiniteDifferences.SAMPLED_ENTRIES + FiniteDifferences.DIRECTIONS);
            held += 8 * size;
        }
        return new Part(u.location(), "the unit check of " + u.op() + " (" + passes + " forward passes)",
                (3 + passes) * forward, held);
    }

    private static List<int[]> inputs(Op op, UnitCheckSpec u) {
        int[] x = {u.rows(), u.cols()};
        return switch (op) {
            case AFFINE -> List.of(x, new int[] {u.outputs(), u.cols()}, new int[] {1, u.outputs()});
            case LINEAR -> List.of(x, new int[] {u.outputs(), u.cols()});
            default -> op.arity() == 1 ? List.of(x) : List.of(x, x);
        };
    }

    private static Map<String, int[]> shapes(Assignment a) {
        Map<String, int[]> out = new HashMap<>();
        a.inputs().forEach((k, v) -> out.put(k, new int[] {v.rows(), v.cols()}));
        a.targets().forEach((k, v) -> out.put(k, new int[] {v.rows(), v.cols()}));
        a.parameters().forEach((k, v) -> out.put(k, new int[] {v.rows(), v.cols()}));
        for (NodeSpec n : a.graph()) {
            Op op = Op.byName(n.op()).orElseThrow();
            out.put(n.name(), op.outputShape(n.inputs().stream().map(out::get).toList()));
        }
        return out;
    }

    /** The work of one forward pass. */
    private static long forward(Assignment a, Map<String, int[]> shapes) {
        long sum = 0;
        for (NodeSpec n : a.graph()) {
            sum += work(Op.byName(n.op()).orElseThrow(), n.inputs().stream().map(shapes::get).toList());
        }
        return sum;
    }

    /** The work of one op's forward value: its multiply-adds (a few per entry for exp and log) and the call. */
    static long work(Op op, List<int[]> in) {
        long first = entries(in.get(0));
        return CALL + switch (op) {
            case AFFINE, LINEAR -> first * in.get(1)[0] + (long) in.get(0)[0] * in.get(1)[0];
            case SIGMOID, TANH, SOFTMAX, SOFTMAX_CROSS_ENTROPY, BINARY_CROSS_ENTROPY -> 4 * first;
            default -> first * in.size();
        };
    }

    private static long entries(int[] s) {
        return s == null ? 0 : (long) s[0] * s[1];
    }

    /** Formats a count as {@code 2.0e9}. */
    public static String sci(long v) {
        if (v < 10_000) {
            return Long.toString(v);
        }
        int exp = (int) Math.floor(Math.log10(v));
        return String.format(Locale.ROOT, "%.1fe%d", v / Math.pow(10, exp), exp);
    }

    private static String mib(long entries) {
        return String.format(Locale.ROOT, "%.0f", entries * 8.0 / (1 << 20));
    }
}
