package backprop.grader.check;

import backprop.api.Activation;
import backprop.api.Matrix;
import backprop.grader.graph.Network;
import backprop.grader.graph.Op;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Probes;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.submission.Components;
import backprop.grader.submission.StudentFault;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a ReLU makes the derivative undefined, decided from the grader's own evaluation of the graph (the
 * reference's components, never anything a submission reports): the range of valid gradients at a point, and
 * the lines along which finite differences straddle a kink.
 *
 * <p>A ReLU input within {@link #KINK} (relative) of 0 is a kink. There every {@code ReLU'(0)} in {@code [0, 1]}
 * gives a valid subgradient; the grader evaluates the gradient with {@code ReLU'(0)} = 0, ½ and 1 (its own ReLU
 * swapped in for the component's) and accepts, entry by entry, anything in the span of those.
 */
final class Kinks {
    /** How close to 0, relative to the largest input of the same ReLU, an input counts as a kink. */
    static final double KINK = 1e-9;
    private static final double[] CONVENTIONS = {0, 0.5, 1};
    private static final double[] NONE = {};

    private Kinks() {}

    /**
     * The valid values of one gradient, entry by entry.
     *
     * @param low the smallest valid value of each entry
     * @param high the largest valid value of each entry ({@code low} where there is no kink)
     */
    record Range(Matrix low, Matrix high) {
        boolean kinked(int i, int j) {
            return low.get(i, j) != high.get(i, j);
        }

        boolean anyKink() {
            return !low.equals(high);
        }
    }

    /**
     * The range of every node's gradient at {@code params}, evaluated with {@code trusted}; empty when those
     * components cannot evaluate the graph there.
     */
    static Optional<Map<String, Range>> ranges(Assignment a, Components trusted, Map<String, Matrix> params) {
        try {
            Network net = new Network(a, trusted);
            Network.Forward fw = net.forward(params);
            if (!fw.ok()) {
                return Optional.empty();
            }
            Map<String, Matrix> g = net.backward(fw);
            Map<String, Matrix> low = new LinkedHashMap<>(g);
            Map<String, Matrix> high = new LinkedHashMap<>(g);
            if (hasKink(a, fw.values())) {
                // The span of the grader's own conventions alone: in a local run the trusted components are the
                // student's, whose own ReLU'(0) must not widen the range it is judged against.
                low.clear();
                high.clear();
                for (double c : CONVENTIONS) {
                    Network alt = new Network(a, trusted.withOp(Op.RELU, new ConventionRelu(c)));
                    Network.Forward f = alt.forward(params);
                    if (!f.ok()) {
                        return Optional.empty();
                    }
                    alt.backward(f).forEach((k, v) -> {
                        low.merge(k, v, (l, x) -> l.sameShape(x) ? l.zip(x, Math::min) : l);
                        high.merge(k, v, (h, x) -> h.sameShape(x) ? h.zip(x, Math::max) : h);
                    });
                }
            }
            Map<String, Range> out = new LinkedHashMap<>();
            low.forEach((k, v) -> out.put(k, new Range(v, high.get(k))));
            return Optional.of(out);
        } catch (StudentFault e) {
            return Optional.empty();
        }
    }

    /** Returns true when some ReLU input of a forward pass is at a kink. */
    static boolean hasKink(Assignment a, Map<String, Matrix> values) {
        for (NodeSpec n : a.graph()) {
            if (n.op().equals(Op.RELU.yamlName())) {
                Matrix z = values.get(n.inputs().get(0));
                double d = threshold(z);
                for (int i = 0; i < z.rows(); i++) {
                    for (int j = 0; j < z.cols(); j++) {
                        if (Math.abs(z.get(i, j)) <= d) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** How close to 0 an input of this ReLU counts as a kink: {@link #KINK} relative to its largest input. */
    static double threshold(Matrix z) {
        double max = 0;
        for (int i = 0; i < z.rows(); i++) {
            for (int j = 0; j < z.cols(); j++) {
                max = Math.max(max, Math.abs(z.get(i, j)));
            }
        }
        return KINK * Math.max(1, max);
    }

    /**
     * For each of {@code lines} (probes of {@code target}), whether some ReLU of the grader's evaluation changes
     * sides between the two ends of the line's first step: finite differences cannot judge there. The step is the
     * grader's own, whatever the probes say theirs was. Only lines of the grader's own plan are evaluated (a
     * child cannot make the grader run forward passes of its choosing); any other straddles nothing.
     */
    static boolean[] straddled(Assignment a, Components trusted, String target, List<Probes.Line> lines) {
        boolean[] out = new boolean[lines.size()];
        if (a.graph().stream().noneMatch(x -> x.op().equals(Op.RELU.yamlName()))) {
            return out;
        }
        Network net = new Network(a, trusted);
        Network.Forward fw = net.forward(a.parameters());
        Matrix theta = fw.values().get(target);
        if (!fw.ok() || theta == null) {
            return new boolean[0];
        }
        double eps = FiniteDifferences.directionStep(theta);
        FiniteDifferences.Plan plan = FiniteDifferences.plan(theta.rows(), theta.cols(), Tracer.probeSeed(a, target));
        for (int k = 0; k < lines.size(); k++) {
            Probes.Line l = lines.get(k);
            if (!plan.has(l)) {
                continue;
            }
            if (l.isDirection()) {
                out[k] = straddles(a, net, fw, target, theta, new Probes.Line(-1, -1, l.seed(), NONE, NONE, NONE),
                        eps);
            } else {
                out[k] = straddles(a, net, fw, target, theta, new Probes.Line(l.row(), l.col(), 0, NONE, NONE, NONE),
                        FiniteDifferences.entryStep(theta, l.row(), l.col()));
            }
        }
        return out;
    }

    private static boolean straddles(Assignment a, Network net, Network.Forward fw, String target, Matrix theta,
            Probes.Line line, double h) {
        Map<String, boolean[]> plus = pattern(a, values(net, fw, target, FiniteDifferences.moved(theta, line, h)));
        Map<String, boolean[]> minus = pattern(a, values(net, fw, target, FiniteDifferences.moved(theta, line, -h)));
        if (plus == null || minus == null || !plus.keySet().equals(minus.keySet())) {
            return true;
        }
        return plus.entrySet().stream().anyMatch(e -> !Arrays.equals(e.getValue(), minus.get(e.getKey())));
    }

    private static Map<String, Matrix> values(Network net, Network.Forward fw, String target, Matrix theta) {
        Network.Forward f = net.forwardChanged(fw, target, theta);
        return f.ok() ? f.values() : null;
    }

    /** Which inputs of every ReLU are positive. */
    private static Map<String, boolean[]> pattern(Assignment a, Map<String, Matrix> values) {
        if (values == null) {
            return null;
        }
        Map<String, boolean[]> out = new HashMap<>();
        for (NodeSpec n : a.graph()) {
            if (n.op().equals(Op.RELU.yamlName())) {
                Matrix z = values.get(n.inputs().get(0));
                boolean[] p = new boolean[z.size()];
                for (int i = 0; i < z.rows(); i++) {
                    for (int j = 0; j < z.cols(); j++) {
                        p[i * z.cols() + j] = z.get(i, j) > 0;
                    }
                }
                out.put(n.name(), p);
            }
        }
        return out;
    }

    /** The grader's own ReLU, with {@code ReLU'} at a kink set to {@code c}. */
    private record ConventionRelu(double c) implements Activation {
        @Override
        public Matrix forward(Matrix z) {
            return z.map(v -> Math.max(0.0, v));
        }

        @Override
        public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
            double d = threshold(z);
            return dLdh.zip(z, (g, v) -> v > d ? g : v < -d ? 0.0 : c * g);
        }
    }
}
