package backprop.grader.bench;

import backprop.api.Matrix;
import backprop.grader.graph.Network;
import backprop.grader.check.Authority;
import backprop.grader.check.Checker;
import backprop.grader.check.Grader;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Trace;
import backprop.grader.run.Probes;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.sandbox.Codec;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * What the batch path does that is not the work, each lever measured side by side in one run: finite-difference
 * passes that run the whole network against passes that run only what depends on the moved value; the child's job
 * made per submission; parallel jobs against cores.
 */
final class Levers {
    private static final int WARM_ROUNDS = 3;
    private static final int TIMED_ROUNDS = 5;

    private Levers() {}

    static void run(PrintWriter out, Path work, Path generated, List<Path> assignmentPaths,
            List<Assignment> assignments, Components ref, Path refPath) throws IOException {
        finiteDifferences(out, assignments, ref);
        directions(out, assignments, ref);
        job(out, assignments);
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "%nParallel jobs against %d cores (the generated class; ms per submission, wall)%n",
                cores);
        // two rounds, the second in reverse order, so that a change in the machine's load weighs on every count
        double[][] ms = new double[cores + 2][2];
        for (int round = 0; round < 2; round++) {
            for (int k = 1; k <= cores + 1; k++) {
                int jobs = round == 0 ? k : cores + 2 - k;
                ProfileBench.Profiled p = ProfileBench.grade(generated, work.resolve("jobs" + jobs + "-" + round),
                        assignmentPaths, jobs, ref, refPath);
                ms[jobs][round] = p.wall() * 1000 / p.graded();
            }
        }
        for (int jobs = 1; jobs <= cores + 1; jobs++) {
            out.printf(Locale.ROOT, "  --jobs %-51d %14.1f  (%.1f, %.1f)%n", jobs, (ms[jobs][0] + ms[jobs][1]) / 2,
                    ms[jobs][0], ms[jobs][1]);
        }
        out.flush();
    }

    /** One assignment's probes the child makes, from the reference, both ways. */
    private record Probed(Network net, Network.Forward fw, String target, FiniteDifferences.Plan plan,
            Optional<Matrix> analytic) {}

    /**
     * The probes a child makes on every assignment (the reference's code, warm, here), each pass running the whole
     * network as before, against running only what depends on the moved value; the same numbers either way.
     */
    private static void finiteDifferences(PrintWriter out, List<Assignment> assignments, Components ref) {
        List<Probed> all = new ArrayList<>();
        List<Probed> graded = new ArrayList<>();
        for (Assignment a : assignments) {
            TracePlan plan = TracePlan.of(a, true);
            if (a.graph().isEmpty() || plan.probed().isEmpty()) {
                continue;
            }
            Network net = new Network(a, ref, new HashSet<>(plan.probed()));
            Network.Forward fw = net.forward(a.parameters());
            Map<String, Matrix> grads = net.backward(fw);
            for (String t : plan.probed()) {
                Matrix theta = fw.values().get(t);
                long seed = Tracer.probeSeed(a, t);
                all.add(new Probed(net, fw, t, FiniteDifferences.plan(theta.rows(), theta.cols(), seed),
                        Optional.ofNullable(grads.get(t))));
                graded.add(new Probed(net, fw, t, FiniteDifferences.plan(theta.rows(), theta.cols(), seed,
                        plan.sampled().contains(t)), Optional.ofNullable(grads.get(t))));
            }
        }
        List<Probes> whole = new ArrayList<>();
        List<Probes> changed = new ArrayList<>();
        double[] ms = alternating(() -> probeAll(all, true, whole), () -> probeAll(all, false, changed));
        double wholeMs = ms[0];
        double changedMs = ms[1];
        long passes = whole.stream().flatMap(p -> p.lines().stream()).mapToLong(l -> 2L * l.levels()).sum();
        out.printf(Locale.ROOT, "%nFinite-difference probes of every public assignment (the reference, warm, in this "
                + "JVM; %d tensors, %d forward passes)%n", all.size(), passes);
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "each pass runs the whole network (before), ms", wholeMs);
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "each pass runs what depends on the moved value (now), ms",
                changedMs);
        out.printf(Locale.ROOT, "  %-58s %14.2f×%n", "speed-up", wholeMs / changedMs);
        out.printf(Locale.ROOT, "  %-58s %14s%n", "the same probes, bit for bit", whole.equals(changed) ? "yes" : "NO");
        List<Probes> directionsOnly = new ArrayList<>();
        double[] plans = alternating(() -> probeAll(all, false, changed), () -> probeAll(graded, false,
                directionsOnly));
        long gradedPasses = directionsOnly.stream().flatMap(p -> p.lines().stream()).mapToLong(l -> 2L * l.levels())
                .sum();
        long changedPasses = changed.stream().flatMap(p -> p.lines().stream()).mapToLong(l -> 2L * l.levels()).sum();
        out.printf(Locale.ROOT, "  where values judge every entry, a large tensor's probes (%d passes before, %d "
                + "now)%n", changedPasses, gradedPasses);
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "    sampled entries and random directions (before), ms", plans[0]);
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "    random directions only (now), ms", plans[1]);
        out.printf(Locale.ROOT, "  %-58s %14.2f×%n", "    speed-up", plans[0] / plans[1]);
        out.flush();
    }

    private static void probeAll(List<Probed> all, boolean whole, List<Probes> into) {
        into.clear();
        for (Probed p : all) {
            Matrix theta = p.fw().values().get(p.target());
            ToDoubleFunction<Matrix> f = whole ? m -> Tracer.objectiveWith(p.net(), p.target(), m)
                    : m -> Tracer.objectiveFrom(p.net(), p.fw(), p.target(), m);
            into.add(FiniteDifferences.probe(theta, f, p.fw().objective(p.net().assignment()), p.plan(),
                    p.analytic()));
        }
    }

    /**
     * Judging a trace on every assignment (the reference's, warm, here) with the random directions kept, beside
     * drawing those directions once, which judging each submission did before they were kept.
     */
    private static void directions(PrintWriter out, List<Assignment> assignments, Components ref) {
        Grader grader = new Grader(assignments, Optional.of(ref));
        List<Trace> traces = new ArrayList<>();
        List<Authority> authorities = new ArrayList<>();
        List<Direction> directions = new ArrayList<>();
        for (Assignment a : assignments) {
            Trace t = Tracer.trace(a, ref);
            traces.add(t);
            authorities.add(grader.authority(a, ref));
            t.probes().forEach((target, p) -> p.get().ifPresent(pr -> pr.lines().stream()
                    .filter(Probes.Line::isDirection).forEach(l -> directions.add(new Direction(l.seed(),
                            t.forward().get(target).rows(), t.forward().get(target).cols())))));
        }
        double judged = rounds(() -> {
            for (int i = 0; i < assignments.size(); i++) {
                Checker.check(assignments.get(i), traces.get(i), authorities.get(i));
            }
        });
        double drawn = rounds(() -> directions.forEach(d -> FiniteDifferences.drawDirection(d.seed(), d.rows(),
                d.cols())));
        out.printf(Locale.ROOT, "%nJudging one submission's traces (the reference's, warm, in this JVM; %d random "
                + "directions)%n", directions.size());
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "judging every assignment, the directions kept (now), ms", judged);
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "drawing those directions once (before: each submission), ms",
                drawn);
        out.flush();
    }

    /** A random direction of a probed tensor. */
    private record Direction(long seed, int rows, int cols) {}

    /** What making and sending the child's job costs per submission (it is made afresh for each). */
    private static void job(PrintWriter out, List<Assignment> assignments) throws IOException {
        long[] bytes = new long[1];
        double ms = rounds(() -> {
            Codec.Job job = Codec.Job.of(Sandbox.nonce(), "student", Limits.DEFAULT.threads(), assignments);
            OutputStream counter = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            bytes[0] = 0;
            try {
                Codec.writeJob(counter, job);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        out.printf(Locale.ROOT, "%nThe child's job, made and encoded for each submission (warm)%n");
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", "ms per submission (" + bytes[0] / 1024 + " KiB)", ms);
        out.flush();
    }

    /** Medians of two ways timed in turn, round after round, so that the machine's load weighs on both alike. */
    private static double[] alternating(Runnable a, Runnable b) {
        double[][] ms = new double[2][TIMED_ROUNDS];
        for (int i = 0; i < WARM_ROUNDS + TIMED_ROUNDS; i++) {
            for (int k = 0; k < 2; k++) {
                long t0 = System.nanoTime();
                (k == 0 ? a : b).run();
                if (i >= WARM_ROUNDS) {
                    ms[k][i - WARM_ROUNDS] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return new double[] {Floors.median(ms[0]), Floors.median(ms[1])};
    }

    private static double rounds(Runnable r) {
        double[] ms = new double[TIMED_ROUNDS];
        for (int i = 0; i < WARM_ROUNDS + TIMED_ROUNDS; i++) {
            long t0 = System.nanoTime();
            r.run();
            if (i >= WARM_ROUNDS) {
                ms[i - WARM_ROUNDS] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return Floors.median(ms);
    }
}
