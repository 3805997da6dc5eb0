package backprop.grader.bench;

import backprop.grader.graph.Network;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.submission.CallGuard;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the per-call time limit costs ({@link CallGuard}): forward passes of the 784-128-10 network and of a small
 * one, made the three ways a call can be made, and a whole trace of the 784-128-10 assignment. The ways: bare (no
 * limit, on the caller: what the grader did before), timed on a watched worker (what the grader does: one handoff
 * per assignment, a clock read per call), and handed to a worker one call at a time (the design not taken).
 */
public final class CallBench {
    private static final int ROUNDS = 7;
    private static final int WARM_UP = 3;

    private CallBench() {}

    /** Prints the table; {@code reference} is the reference's classes or sources. */
    public static void run(PrintWriter out, Path reference, Path assignments) throws Exception {
        Assignment scale = AssignmentReader.read(assignments.resolve("public/scale-784-128-10.yaml"));
        Assignment small = GradcheckScaling.network(16, 8);
        out.println("Per-call time limit: seconds per forward pass (median of " + ROUNDS + " rounds), reference "
                + "solution");
        out.printf(Locale.ROOT, "%-22s %7s %6s | %12s %12s %12s | %14s %14s%n", "network", "passes", "calls",
                "bare", "timed", "handed over", "timed − bare", "handed − bare");
        for (Object[] row : new Object[][] {{"784-128-10 (batch 16)", scale, 100}, {"16-8-10 (batch 16)", small, 5000}}) {
            Assignment a = (Assignment) row[1];
            int passes = (Integer) row[2];
            Components bare = Submission.open("reference", reference).withCallLimit(Duration.ZERO);
            Components limited = Submission.open("reference", reference).withCallLimit(CallGuard.DEFAULT);
            double[] m = medians(List.of(() -> passes(a, bare, passes),
                    () -> CallGuard.supervise(() -> passes(a, limited, passes)), () -> passes(a, limited, passes)));
            double b = m[0];
            double t = m[1];
            double h = m[2];
            long calls = (long) passes * a.graph().size();
            out.printf(Locale.ROOT, "%-22s %7d %6d | %12s %12s %12s | %11.2f µs %11.2f µs%n", row[0], passes, calls,
                    seconds(b / passes), seconds(t / passes), seconds(h / passes), (t - b) / calls * 1e6,
                    (h - b) / calls * 1e6);
        }
        Components ref = Submission.open("reference", reference);
        double whole = medians(List.of(() -> Tracer.trace(scale, ref)))[0];
        out.printf(Locale.ROOT, "a whole trace of scale-784-128-10 (forward, reverse pass, finite differences): %.3f s"
                + "%n", whole);
        out.flush();
    }

    /** Runs {@code passes} forward passes; returns the last loss so that none is optimised away. */
    private static double passes(Assignment a, Components c, int passes) {
        Network net = new Network(a, c);
        double loss = 0;
        for (int i = 0; i < passes; i++) {
            Network.Forward f = net.forward(a.parameters());
            if (!f.ok()) {
                throw new IllegalStateException(f.fault().orElseThrow().getMessage());
            }
            loss += f.objective(a);
        }
        return loss;
    }

    /**
     * Seconds of the median of {@link #ROUNDS} runs of each piece of work, after {@link #WARM_UP} rounds to compile
     * the code; the pieces take turns within a round, so that a busy machine slows them alike.
     */
    private static double[] medians(List<Supplier<?>> work) {
        double[][] t = new double[work.size()][ROUNDS];
        for (int round = -WARM_UP; round < ROUNDS; round++) {
            for (int k = 0; k < work.size(); k++) {
                long t0 = System.nanoTime();
                work.get(k).get();
                if (round >= 0) {
                    t[k][round] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        double[] out = new double[work.size()];
        for (int k = 0; k < work.size(); k++) {
            Arrays.sort(t[k]);
            out[k] = t[k][ROUNDS / 2];
        }
        return out;
    }

    private static String seconds(double s) {
        return s >= 1e-3 ? String.format(Locale.ROOT, "%.3f ms", s * 1e3) : String.format(Locale.ROOT, "%.1f µs",
                s * 1e6);
    }
}
