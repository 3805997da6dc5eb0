package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.check.Known.Judged;
import backprop.grader.check.Known.Source;
import backprop.grader.check.Known.Verdict;
import backprop.grader.graph.Network;
import backprop.grader.graph.Op;
import backprop.grader.run.Probes;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Checkpoint;
import backprop.grader.submission.Components;
import backprop.grader.submission.OpCall;
import backprop.grader.submission.StudentFault;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every verdict on one assignment rests on: the grader's own evaluation, never a submission's word.
 *
 * <p>When grading, that is the reference solution run in the grader's process: its values, the valid gradients
 * at a ReLU kink, and the lines along which finite differences straddle one. In a student's own {@code mvn test}
 * there is no reference: the assignment's expected values stand in for its values, and the student's own
 * components for the evaluation of kinks (nothing is at stake there but the student's own information).
 *
 * <p>It also says what is right where a diagnosis needs it: the gradient an op should send back for the gradient
 * it was given ({@link #contribution}), and the gradient of a node ({@link #gradient}, {@link #gradientAt}). When
 * grading, the reference answers; in a local run, the values written down beforehand (the file's expected values,
 * and any values the reference computed when the student's copy was made) and, where they say nothing, finite
 * differences of the student's own forward pass (whose forward checks passed), each judged with its error
 * estimate. So a local run and a graded one locate the same fault and give it the same cause; where finite
 * differences cannot decide, the answer says so rather than guess.
 *
 * <p>Every evaluation is made on first need, so a submission whose values simply match costs nothing extra.
 * One authority may serve many submissions at once.
 */
public final class Authority {
    private final Assignment assignment;
    private final Optional<Trace> reference;
    private final Components trusted;
    /** True when {@code trusted} is the reference, whose ops may then judge a submission's. */
    private final boolean referenceOps;
    private Optional<Map<String, Kinks.Range>> ranges;
    private final Map<Lines, boolean[]> straddled = new HashMap<>();

    private Authority(Assignment assignment, Optional<Trace> reference, Components trusted, boolean referenceOps) {
        this.assignment = assignment;
        this.reference = reference;
        this.trusted = trusted;
        this.referenceOps = referenceOps;
    }

    /** The reference's evaluation of {@code a}: it is traced here, in the grader's process. */
    public static Authority of(Assignment a, Components reference) {
        return of(a, reference, Tracer.trace(a, reference));
    }

    /** The reference's evaluation of {@code a}, with its trace already made. */
    public static Authority of(Assignment a, Components reference, Trace trace) {
        return new Authority(a, Optional.of(trace), reference, true);
    }

    /** A student's local run: expected values from the file, kinks evaluated with the student's own components. */
    public static Authority local(Assignment a, Components student) {
        return new Authority(a, Optional.empty(), student, false);
    }

    /**
     * A student's local run with values the reference computed beforehand standing in for its trace (the checks
     * whose expected values the file does not hold). The student's own components still do everything else: only
     * values were written down, and a student's op is never judged by itself.
     */
    public static Authority local(Assignment a, Components student, Trace standIn) {
        return new Authority(a, Optional.of(standIn), student, false);
    }

    /** The assignment. */
    public Assignment assignment() {
        return assignment;
    }

    /** The reference's trace when grading, or the values standing in for it in a local run. */
    public Optional<Trace> reference() {
        return reference;
    }

    /** The valid values of a node's gradient at the assignment's parameters, when the evaluation works there. */
    synchronized Optional<Kinks.Range> range(String node) {
        if (ranges == null) {
            ranges = Kinks.ranges(assignment, trusted, assignment.parameters());
        }
        return ranges.map(r -> r.get(node));
    }

    /** The valid values of every gradient at other parameters (after some optimizer steps). */
    Optional<Map<String, Kinks.Range>> rangesAt(Map<String, Matrix> params) {
        return Kinks.ranges(assignment, trusted, params);
    }

    /** For each line of {@code probes} (of {@code target}), whether it straddles a ReLU kink. */
    synchronized boolean[] straddled(String target, Probes probes) {
        List<Probes.Line> lines = probes.lines().stream()
                .map(l -> new Probes.Line(l.row(), l.col(), l.seed(), NONE, NONE, NONE)).toList();
        if (straddled.size() >= KEPT_LINES) {
            straddled.clear(); // only a child that sends lines of its own making gets here
        }
        return straddled.computeIfAbsent(new Lines(target, lines),
                k -> Kinks.straddled(assignment, trusted, target, lines)).clone();
    }

    private static final double[] NONE = new double[0];
    /** Sets of lines whose straddling is kept, at most. */
    private static final int KEPT_LINES = 64;

    /** A node and the lines probed along it: the key of the lines' straddling. */
    private record Lines(String target, List<Probes.Line> lines) {}

    /**
     * Judges the gradient a submission's op sent back to one input of one node, given the gradient its reverse pass
     * passed in: against the reference's op at the reference's forward values when grading; in a local run, against
     * finite differences of the submission's own op forward at its own forward values. At a ReLU input on its kink
     * any subgradient is right, in both.
     *
     * @param n the node
     * @param input which of its inputs
     * @param upstream the gradient the reverse pass passed to the node's backward (summed over its calls)
     * @param got what the op sent back to that input (summed over the calls)
     * @param forward the submission's forward values (right, or gradients would not be judged)
     */
    public Judged contribution(NodeSpec n, int input, Matrix upstream, Matrix got, Map<String, Matrix> forward) {
        if (!referenceOps) {
            return Differences.contribution(assignment, trusted, n, input, upstream, got, forward);
        }
        Map<String, Matrix> values = reference.orElseThrow().forward();
        Op op = Op.byName(n.op()).orElseThrow();
        List<Matrix> in = n.inputs().stream().map(values::get).toList();
        Known right;
        try {
            Matrix r = OpCall.backward(trusted, op, in, values.get(n.name()), upstream).get(input);
            right = op == Op.RELU ? Differences.reluRange(in.get(0), upstream, Source.REFERENCE)
                    : Known.exactly(r, Source.REFERENCE);
        } catch (StudentFault | IndexOutOfBoundsException e) {
            return new Judged(Verdict.UNDECIDED, unknown(got));
        }
        return new Judged(right.judge(got), right);
    }

    /**
     * Judges a submission's gradient of one node (or leaf) at the assignment's own parameters: against the reference
     * when grading; in a local run against the file's expected value where a visible checkpoint has one, else
     * against finite differences of the submission's own forward pass. Empty when nothing can be said.
     *
     * @param got the submission's gradient
     */
    public Optional<Judged> gradient(String node, Matrix got) {
        Optional<Matrix> r = reference.flatMap(t -> t.gradients().get()).map(g -> g.get(node));
        if (referenceOps && r.isEmpty()) {
            return Optional.empty();
        }
        if (r.isPresent() && r.get().sameShape(got)) {
            Source how = referenceOps ? Source.REFERENCE : Source.FILE;
            Known k = range(node).filter(x -> x.low().sameShape(r.get()))
                    .map(x -> new Known(r.get(), x.low(), x.high(), how))
                    .orElse(Known.exactly(r.get(), how));
            return Optional.of(new Judged(k.judge(got), k));
        }
        for (Checkpoint cp : assignment.checkpoints()) {
            if (cp.kind() == Checkpoint.Kind.GRADIENT && cp.target().equals(node) && !cp.fromReference()) {
                Known k = range(node).filter(x -> x.low().sameShape(cp.expected()) && x.anyKink())
                        .map(x -> new Known(cp.expected(), x.low().zip(cp.expected(), Math::min),
                                x.high().zip(cp.expected(), Math::max), Source.FILE))
                        .orElse(Known.exactly(cp.expected(), Source.FILE));
                return Optional.of(new Judged(k.judge(got), k));
            }
        }
        return Differences.gradient(assignment, trusted, assignment.parameters(), node, got);
    }

    /**
     * What is known of the right gradient of a leaf at other parameters (the submission's own, after some optimizer
     * steps): the reference's there when grading, finite differences of the submission's own forward pass in a
     * local run. Empty when nothing can be said (a ReLU input on its kink in a local run, a failing forward pass).
     */
    public Optional<Known> gradientAt(Map<String, Matrix> params, String leaf) {
        if (!referenceOps) {
            return Differences.gradient(assignment, trusted, params, leaf, null).map(Judged::right);
        }
        Evaluation e = evaluationAt(params);
        Matrix value = e.values().get(leaf);
        if (value == null) {
            return Optional.empty();
        }
        Optional<Kinks.Range> r = e.ranges().map(m -> m.get(leaf));
        return Optional.of(r.filter(x -> x.low().sameShape(value))
                .map(x -> new Known(value, x.low(), x.high(), Source.REFERENCE))
                .orElse(Known.exactly(value, Source.REFERENCE)));
    }

    /** The reference's gradients at some parameters, and their ranges at a kink. */
    private record Evaluation(Map<String, Matrix> params, Map<String, Matrix> values,
            Optional<Map<String, Kinks.Range>> ranges) {}

    private Evaluation lastEvaluation;

    /** The reference's evaluation at {@code params}, kept for the next question about the same parameters. */
    private synchronized Evaluation evaluationAt(Map<String, Matrix> params) {
        if (lastEvaluation != null && lastEvaluation.params().equals(params)) {
            return lastEvaluation;
        }
        Map<String, Matrix> values = Map.of();
        try {
            Network net = new Network(assignment, trusted);
            Network.Forward fw = net.forward(params);
            if (fw.ok()) {
                values = net.backward(fw);
            }
        } catch (StudentFault e) {
            values = Map.of(); // the reference cannot evaluate there: nothing is known
        }
        lastEvaluation = new Evaluation(Map.copyOf(params), values, rangesAt(params));
        return lastEvaluation;
    }

    private static Known unknown(Matrix like) {
        Matrix nan = Matrix.filled(like.rows(), like.cols(), Double.NaN);
        return new Known(nan, Matrix.filled(like.rows(), like.cols(), Double.NEGATIVE_INFINITY),
                Matrix.filled(like.rows(), like.cols(), Double.POSITIVE_INFINITY), Source.REFERENCE);
    }
}
