package backprop.grader.bench;

import backprop.api.Matrix;
import backprop.grader.graph.Network;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.SpecException;
import backprop.grader.submission.Components;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Forward passes and seconds that finite differences cost, entry by entry against sampled entries plus random
 * directions, on growing D-H-10 networks up to 784-128-10 (101,770 parameters), batch 16.
 */
public final class GradcheckScaling {
    /** Above this many parameters the per-coordinate check is not run but estimated from one forward's time. */
    static final int RUN_FULL_UP_TO = 12_000;
    private static final int[][] SIZES = {{16, 8}, {64, 32}, {256, 64}, {784, 128}};

    private GradcheckScaling() {}

    /** Prints the table. */
    public static void run(PrintWriter out, Components reference) throws SpecException {
        out.println("Gradient check scaling (reference solution, batch 16, softmax cross-entropy)");
        out.printf(Locale.ROOT, "%-12s %10s | %16s %20s | %16s %10s | %8s%n", "network", "parameters",
                "per-coordinate", "seconds", "sampled+dirs", "seconds", "speed-up");
        for (int[] s : SIZES) {
            Assignment a = network(s[0], s[1]);
            Network net = new Network(a, reference);
            Network.Forward fw = net.forward(a.parameters());
            double center = fw.objective(a);
            Map<String, Matrix> grads = net.backward(fw);
            int params = a.parameters().values().stream().mapToInt(Matrix::size).sum();
            long[] count = {0};
            long t0 = System.nanoTime();
            for (String p : a.parameters().keySet()) {
                Matrix theta = a.parameters().get(p);
                FiniteDifferences.probe(theta, probe(net, a, p, count), center,
                        FiniteDifferences.plan(theta.rows(), theta.cols(), p.hashCode()), Optional.of(grads.get(p)));
            }
            double sampledSeconds = (System.nanoTime() - t0) / 1e9;
            long sampledForwards = count[0];
            count[0] = 0;
            double fullSeconds;
            long fullForwards = 2L * params;
            String note = "";
            if (params <= RUN_FULL_UP_TO) {
                t0 = System.nanoTime();
                for (String p : a.parameters().keySet()) {
                    Matrix theta = a.parameters().get(p);
                    FiniteDifferences.probe(theta, probe(net, a, p, count), center,
                            FiniteDifferences.fullPlan(theta.rows(), theta.cols()), Optional.of(grads.get(p)));
                }
                fullSeconds = (System.nanoTime() - t0) / 1e9;
            } else {
                t0 = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    net.forward(a.parameters());
                }
                fullSeconds = fullForwards * (System.nanoTime() - t0) / 1e9 / 20;
                note = " (estimated)";
            }
            out.printf(Locale.ROOT, "%-12s %10d | %16d %20s | %16d %10.3f | %7.0f×%n", s[0] + "-" + s[1] + "-10",
                    params, fullForwards, String.format(Locale.ROOT, "%.2f", fullSeconds) + note, sampledForwards,
                    sampledSeconds, fullSeconds / sampledSeconds);
        }
        out.flush();
    }

    private static ToDoubleFunction<Matrix> probe(Network net, Assignment a, String p, long[] count) {
        return theta -> {
            count[0]++;
            Map<String, Matrix> params = new HashMap<>(a.parameters());
            params.put(p, theta);
            return net.forward(params).objective(a);
        };
    }

    /** A D-H-10 ReLU network with softmax cross-entropy on a batch of 16, every value drawn from fixed seeds. */
    static Assignment network(int d, int h) throws SpecException {
        String yaml = String.join("\n",
                "id: bench-" + d + "-" + h,
                "title: benchmark network",
                "inputs:",
                "  x: {random: uniform, seed: 1, low: 0, high: 1, shape: [16, " + d + "]}",
                "targets:",
                "  t: {one_hot: 2, shape: [16, 10]}",
                "parameters:",
                "  W1: {random: normal, seed: 3, std: 0.05, shape: [" + h + ", " + d + "]}",
                "  b1: {random: normal, seed: 4, std: 0.05, shape: [1, " + h + "]}",
                "  W2: {random: normal, seed: 5, std: 0.1, shape: [10, " + h + "]}",
                "  b2: {constant: 0, shape: [1, 10]}",
                "graph:",
                "  - {node: z1, op: affine, inputs: [x, W1, b1]}",
                "  - {node: h1, op: relu, inputs: [z1]}",
                "  - {node: z2, op: affine, inputs: [h1, W2, b2]}",
                "  - {node: L, op: softmax_cross_entropy, inputs: [z2, t]}",
                "loss: L",
                "");
        return AssignmentReader.read(Path.of("bench-" + d + "-" + h + ".yaml"), yaml);
    }
}
