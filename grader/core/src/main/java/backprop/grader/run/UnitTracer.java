package backprop.grader.run;

import backprop.api.Matrix;
import backprop.api.Optimizer;
import backprop.grader.graph.Op;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.submission.Components;
import backprop.grader.submission.OpCall;
import backprop.grader.submission.StudentFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs one op alone on random inputs chosen by the grader: away from kinks, with a random upstream gradient
 * (never all ones, which hides a missing transpose or a swapped operand) and with a zero one.
 */
public final class UnitTracer {
    /** Activations' inputs stay at least this far from 0, so that ReLU is differentiable at every entry. */
    static final double KINK_MARGIN = 0.1;
    /** Learning rate of the optimizer's unit check. */
    public static final double LEARNING_RATE = 0.1;
    /** Momentum of the optimizer's unit check. */
    public static final double MOMENTUM = 0.9;

    private UnitTracer() {}

    /** The inputs and upstream gradient for one unit check: the same for every submission of an assignment. */
    public record Inputs(List<Matrix> values, Matrix upstream) {}

    /** Draws the inputs for {@code u}, seeded by the assignment id and the op so that reruns agree. */
    public static Inputs inputs(Assignment a, UnitCheckSpec u) {
        Random rng = new Random(seed(a, u));
        if (u.op().equals(AssignmentReader.REVERSE_PASS)) {
            return new Inputs(List.of(), Matrix.zeros(1, 1));
        }
        int n = u.rows();
        int d = u.cols();
        if (u.op().equals(AssignmentReader.SGD)) {
            return new Inputs(List.of(uniform(rng, n, d, -1, 1), uniform(rng, n, d, -1, 1),
                    uniform(rng, n, d, -1, 1)), Matrix.zeros(n, d));
        }
        Op op = Op.byName(u.op()).orElseThrow();
        int out = u.outputs();
        List<Matrix> in = switch (op) {
            case AFFINE -> List.of(awayFromZero(rng, n, d), uniform(rng, out, d, -1, 1), uniform(rng, 1, out, -1, 1));
            case LINEAR -> List.of(awayFromZero(rng, n, d), uniform(rng, out, d, -1, 1));
            case MULTIPLY, ADD -> List.of(awayFromZero(rng, n, d), awayFromZero(rng, n, d));
            case SQUARED_ERROR, MEAN_SQUARED_ERROR -> List.of(uniform(rng, n, d, -2, 2), uniform(rng, n, d, -2, 2));
            case SOFTMAX_CROSS_ENTROPY -> List.of(uniform(rng, n, d, -2, 2), oneHot(rng, n, d));
            case CROSS_ENTROPY -> List.of(uniform(rng, n, d, 0.1, 0.9), oneHot(rng, n, d));
            case BINARY_CROSS_ENTROPY -> List.of(uniform(rng, n, d, 0.1, 0.9),
                    Matrix.build(n, d, (i, j) -> rng.nextBoolean() ? 1 : 0));
            default -> List.of(awayFromZero(rng, n, d));
        };
        int[] shape = op.outputShape(in.stream().map(m -> new int[] {m.rows(), m.cols()}).toList());
        return new Inputs(in, uniform(rng, shape[0], shape[1], -1, 1));
    }

    /** Runs the op of {@code u} from {@code c} on the unit check's inputs. */
    public static Trace.UnitTrace trace(Assignment a, UnitCheckSpec u, Components c) {
        Inputs in = inputs(a, u);
        if (u.op().equals(AssignmentReader.REVERSE_PASS)) {
            Outcome<List<Matrix>> out = Outcome.capture(() -> reversePass(c, mockSeed(a)));
            return new Trace.UnitTrace(out, Outcome.of(List.of()), Outcome.of(List.of()), Outcome.of(List.of()));
        }
        if (u.op().equals(AssignmentReader.SGD)) {
            Outcome<List<Matrix>> out = Outcome.capture(() -> sgd(c, in.values()));
            return new Trace.UnitTrace(out, Outcome.of(List.of()), Outcome.of(List.of()), Outcome.of(List.of()));
        }
        Op op = Op.byName(u.op()).orElseThrow();
        Outcome<List<Matrix>> out = Outcome.capture(() -> List.of(OpCall.forward(c, op, in.values())));
        if (!out.ok()) {
            String skipped = "needs forward, which failed: " + out.fault();
            return new Trace.UnitTrace(out, backward(c, op, in.values(), null, in.upstream()), Outcome.failed(skipped),
                    Outcome.failed(skipped));
        }
        Matrix y = out.value().get(0);
        Matrix zero = Matrix.zerosLike(in.upstream());
        Outcome<List<Matrix>> back = backward(c, op, in.values(), y, in.upstream());
        return new Trace.UnitTrace(out, back, backward(c, op, in.values(), y, zero),
                Outcome.capture(() -> probes(c, op, in, back.get())));
    }

    private static Outcome<List<Matrix>> backward(Components c, Op op, List<Matrix> in, Matrix y, Matrix upstream) {
        return Outcome.capture(() -> {
            Matrix out = y != null ? y : referenceFreeOutput(op, in);
            return OpCall.backward(c, op, in, out, upstream);
        });
    }

    /** When forward failed, backward is still tried with a placeholder output so both faults get reported. */
    private static Matrix referenceFreeOutput(Op op, List<Matrix> in) {
        int[] s = op.outputShape(in.stream().map(m -> new int[] {m.rows(), m.cols()}).toList());
        return Matrix.zeros(s[0], s[1]);
    }

    /** The op's own forward at perturbed inputs, one set of probes per input; every input is differentiable. */
    private static List<Probes> probes(Components c, Op op, Inputs in, java.util.Optional<List<Matrix>> analytic) {
        List<Probes> out = new ArrayList<>();
        double center = objective(c, op, in.values(), in.upstream());
        for (int k = 0; k < in.values().size(); k++) {
            int idx = k;
            Matrix theta = in.values().get(k);
            FiniteDifferences.Plan plan = FiniteDifferences.plan(theta.rows(), theta.cols(), idx);
            out.add(FiniteDifferences.probe(theta, m -> {
                List<Matrix> moved = new ArrayList<>(in.values());
                moved.set(idx, m);
                return objective(c, op, moved, in.upstream());
            }, center, plan, analytic.filter(g -> g.size() > idx).map(g -> g.get(idx))));
        }
        return out;
    }

    private static double objective(Components c, Op op, List<Matrix> in, Matrix upstream) {
        return OpCall.forward(c, op, in).hadamard(upstream).sum();
    }

    private static List<Matrix> sgd(Components c, List<Matrix> in) {
        String m = Components.OPTIMIZER + ".step";
        Optimizer.Step st = OpCall.call(c, m, () -> c.optimizer().step(in.get(0), in.get(1), in.get(2), LEARNING_RATE,
                MOMENTUM));
        if (st.parameter() == null || st.velocity() == null) {
            throw new StudentFault(m + " returned a Step holding null");
        }
        OpCall.requireShape(st.parameter(), in.get(0).rows(), in.get(0).cols(), m, "the new parameter");
        OpCall.requireShape(st.velocity(), in.get(0).rows(), in.get(0).cols(), m, "the new velocity");
        return List.of(st.parameter(), st.velocity());
    }

    /** The seed of a unit check's random inputs: the same for every submission and every run. */
    public static int seed(Assignment a, UnitCheckSpec u) {
        return (a.id() + "/" + u.op()).hashCode();
    }

    /** The seed of the mock graph of an assignment's reverse-pass check. */
    public static long mockSeed(Assignment a) {
        return (a.id() + "/" + AssignmentReader.REVERSE_PASS).hashCode();
    }

    /** Runs a submission's reverse pass on the mock graph; the gradients come back in {@link MockGraph#ORDER}. */
    private static List<Matrix> reversePass(Components c, long seed) {
        MockGraph g = new MockGraph(seed);
        String m = Components.REVERSE_PASS + ".backward";
        Map<String, Matrix> grads = OpCall.call(c, m, () -> OpCall.copy(c.reversePass().backward(g.seeds())));
        List<Matrix> out = new ArrayList<>();
        for (String name : MockGraph.ORDER) {
            Matrix v = grads.get(name);
            if (v == null) {
                throw new StudentFault(m + " returned no gradient for node '" + name + "' of a small test graph");
            }
            OpCall.requireShape(v, 1, 3, m, "the gradient of '" + name + "'");
            out.add(v);
        }
        return out;
    }

    private static Matrix uniform(Random rng, int rows, int cols, double low, double high) {
        return Matrix.build(rows, cols, (i, j) -> low + (high - low) * rng.nextDouble());
    }

    private static Matrix awayFromZero(Random rng, int rows, int cols) {
        return Matrix.build(rows, cols, (i, j) -> {
            double v = KINK_MARGIN + (2 - KINK_MARGIN) * rng.nextDouble();
            return rng.nextBoolean() ? v : -v;
        });
    }

    private static Matrix oneHot(Random rng, int rows, int cols) {
        int[] hot = new int[rows];
        for (int i = 0; i < rows; i++) {
            hot[i] = rng.nextInt(cols);
        }
        return Matrix.build(rows, cols, (i, j) -> hot[i] == j ? 1 : 0);
    }
}
