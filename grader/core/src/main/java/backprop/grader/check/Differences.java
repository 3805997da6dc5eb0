package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.check.Known.Judged;
import backprop.grader.check.Known.Source;
import backprop.grader.check.Known.Verdict;
import backprop.grader.graph.Network;
import backprop.grader.graph.Op;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.FiniteDifferences.Agreement;
import backprop.grader.run.FiniteDifferences.Judgement;
import backprop.grader.run.Probes;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.submission.Components;
import backprop.grader.submission.OpCall;
import backprop.grader.submission.StudentFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Right values where a student's local run has no reference and the file has no expected value: central finite
 * differences of the student's own forward pass (whose forward checks passed), with the error estimate of
 * {@link FiniteDifferences}. An entry they cannot decide stays unknown; a ReLU input at its kink gets the range of
 * valid subgradients, exactly as a graded run gives it.
 */
final class Differences {
    private Differences() {}

    /**
     * Judges the gradient {@code got} that node {@code n}'s op sent to its input {@code j}, given {@code upstream}:
     * finite differences of {@code ⟨upstream, op(inputs)⟩} in that input, with the op's own forward.
     */
    static Judged contribution(Assignment a, Components c, NodeSpec n, int j, Matrix upstream, Matrix got,
            Map<String, Matrix> forward) {
        Op op = Op.byName(n.op()).orElseThrow();
        List<Matrix> in = n.inputs().stream().map(forward::get).toList();
        Matrix theta = in.get(j);
        Optional<Known> kinks = op == Op.RELU ? Optional.of(reluRange(theta, upstream, Source.FINITE_DIFFERENCES))
                : Optional.empty();
        ToDoubleFunction<Matrix> f = m -> {
            List<Matrix> moved = new ArrayList<>(in);
            moved.set(j, m);
            return upstream.hadamard(OpCall.forward(c, op, moved)).sum();
        };
        long seed = (a.id() + "/" + n.name() + "/" + j).hashCode();
        return judge(theta, f, got, seed, kinks);
    }

    /**
     * Judges {@code got}, a submission's gradient of node or leaf {@code target} at {@code params}: finite
     * differences of the objective with the submission's own forward pass. Lines that straddle a ReLU kink (the
     * submission's own evaluation says so) are left undecided.
     *
     * @param got the submission's gradient, or null when there is none to judge (the estimates are still made)
     */
    static Optional<Judged> gradient(Assignment a, Components c, Map<String, Matrix> params, String target,
            Matrix got) {
        Network net = new Network(a, c);
        Network.Forward fw = net.forward(params);
        Matrix theta = fw.values().get(target);
        if (!fw.ok() || theta == null || Kinks.hasKink(a, fw.values())) {
            return Optional.empty();
        }
        Network moved = params.equals(a.parameters()) ? net : new Network(a.with(params, a.checkpoints()), c);
        ToDoubleFunction<Matrix> f = m -> Tracer.objectiveWith(moved, target, m);
        try {
            return Optional.of(judge(theta, f, got, Tracer.probeSeed(a, target), Optional.empty()));
        } catch (StudentFault e) {
            return Optional.empty();
        }
    }

    /** The range of right gradients a ReLU sends to its input: exact where the input is not at a kink. */
    static Known reluRange(Matrix z, Matrix upstream, Source source) {
        double d = Kinks.threshold(z);
        Matrix value = upstream.zip(z, (g, v) -> v > d ? g : 0.0);
        Matrix low = Matrix.build(z.rows(), z.cols(), (i, k) -> Math.abs(z.get(i, k)) <= d
                ? Math.min(0, upstream.get(i, k)) : value.get(i, k));
        Matrix high = Matrix.build(z.rows(), z.cols(), (i, k) -> Math.abs(z.get(i, k)) <= d
                ? Math.max(0, upstream.get(i, k)) : value.get(i, k));
        return new Known(value, low, high, source);
    }

    /**
     * Probes {@code f} around {@code theta} and judges {@code got} line by line. Where {@code kinks} marks an entry
     * as a kink, its range decides instead, and a random direction through a kink decides nothing.
     */
    private static Judged judge(Matrix theta, ToDoubleFunction<Matrix> f, Matrix got, long seed,
            Optional<Known> kinks) {
        int rows = theta.rows();
        int cols = theta.cols();
        double nan = Double.NaN;
        double[][] value = filled(rows, cols, nan);
        double[][] low = filled(rows, cols, Double.NEGATIVE_INFINITY);
        double[][] high = filled(rows, cols, Double.POSITIVE_INFINITY);
        boolean anyKink = false;
        if (kinks.isPresent()) {
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < cols; k++) {
                    if (kinks.get().kinked(i, k)) {
                        anyKink = true;
                        value[i][k] = kinks.get().value().get(i, k);
                        low[i][k] = kinks.get().low().get(i, k);
                        high[i][k] = kinks.get().high().get(i, k);
                    }
                }
            }
        }
        double center;
        Probes probes;
        try {
            center = f.applyAsDouble(theta);
            FiniteDifferences.Plan plan = FiniteDifferences.plan(rows, cols, seed);
            probes = FiniteDifferences.probe(theta, f, center, plan, Optional.ofNullable(got));
        } catch (StudentFault e) {
            Known none = new Known(Matrix.of(value), Matrix.of(low), Matrix.of(high), Source.FINITE_DIFFERENCES);
            return new Judged(Verdict.UNDECIDED, none);
        }
        boolean wrong = false;
        boolean undecided = false;
        for (Probes.Line line : probes.lines()) {
            boolean entry = !line.isDirection();
            if (entry && kinks.isPresent() && kinks.get().kinked(line.row(), line.col()) || !entry && anyKink) {
                undecided |= !entry;
                continue;
            }
            double analytic = got == null ? Double.NaN : entry ? got.get(line.row(), line.col())
                    : got.hadamard(FiniteDifferences.direction(line.seed(), rows, cols)).sum();
            Judgement j = FiniteDifferences.judge(got == null ? 0 : analytic, line, center);
            if (entry && Double.isFinite(j.best().value()) && (got == null || j.agreement() != Agreement.UNDECIDABLE)) {
                value[line.row()][line.col()] = j.best().value();
                low[line.row()][line.col()] = j.best().value();
                high[line.row()][line.col()] = j.best().value();
            }
            wrong |= got != null && j.agreement() == Agreement.DISAGREE;
            undecided |= got == null || j.agreement() == Agreement.UNDECIDABLE;
        }
        Known known = new Known(Matrix.of(value), Matrix.of(low), Matrix.of(high), Source.FINITE_DIFFERENCES);
        if (got != null && !wrong && known.judge(got) == Verdict.WRONG) {
            wrong = true; // an entry at a kink outside its range
        }
        boolean partial = probes.lines().stream().filter(l -> !l.isDirection()).count() < (long) rows * cols;
        Verdict v = wrong ? Verdict.WRONG : undecided || partial && anyKink ? Verdict.UNDECIDED : Verdict.RIGHT;
        return new Judged(v, known);
    }

    private static double[][] filled(int rows, int cols, double v) {
        double[][] out = new double[rows][cols];
        for (double[] row : out) {
            java.util.Arrays.fill(row, v);
        }
        return out;
    }
}
