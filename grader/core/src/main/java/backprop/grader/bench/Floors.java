package backprop.grader.bench;

import backprop.grader.batch.BatchGrader;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.sandbox.ChildResult;
import backprop.grader.sandbox.ChildRun;
import backprop.grader.sandbox.Codec;
import backprop.grader.sandbox.HarnessJar;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Floors that the grader's work could reach, side by side in one run with what it does: a JVM start on the child's
 * own runtime, a sandboxed child that only says hello, a warm compile of the same files, and the student code's own
 * work on the same assignments, warm and in this process; then grading per submission against them and against a
 * fresh {@code mvn test} per student repository.
 */
final class Floors {
    private static final int STARTS = 7;
    private static final int WARM_ROUNDS = 5;
    private static final int TIMED_ROUNDS = 7;

    private Floors() {}

    static void run(PrintWriter out, Path root, Path work, Path generated, List<Path> assignmentPaths,
            List<Assignment> assignments, Components ref, Path refPath, int sample)
            throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "%nFloors, medians (ms), measured in this run%n");
        List<String> version = childVersion(work);
        double jvm = medianMs(STARTS, () -> BatchBench.time(work, version));
        double hello = sandboxedHello(work);
        double[] compile = CompileBench.warm(root);
        double[] code = studentCode(assignments, ref);
        double floor = jvm + compile[0] + code[0];
        double checked = jvm + compile[0] + code[1];
        row(out, "java -Xshare:auto -version, the child's runtime and JVM options", jvm);
        row(out, "a sandboxed child that reads a job and says hello", hello);
        row(out, "javac of the reference's files, warm, in this JVM", compile[0]);
        row(out, "the same in a warm compile process", compile[1]);
        row(out, "student code alone: forward, reverse pass, steps, ops (warm)", code[0]);
        row(out, "the same with the child's finite-difference probes (warm)", code[1]);
        row(out, "sum of the floors (-version + warm javac + student code)", floor);
        row(out, "the same with the finite-difference probes the checks need", checked);

        int cores = Runtime.getRuntime().availableProcessors();
        int n = count(generated);
        double one = ProfileBench.grade(generated, work.resolve("floor-out1"), assignmentPaths, 1, ref, refPath).wall()
                * 1000 / n;
        int jobs = BatchGrader.defaultJobs();
        double all = ProfileBench.grade(generated, work.resolve("floor-outn"), assignmentPaths, jobs, ref, refPath)
                .wall() * 1000 / n;
        double maven = BatchBench.mavenLoop(root, Files.createDirectories(work.resolve("maven")), generated, sample)
                * 1000;
        out.printf(Locale.ROOT, "%nGrading against the floors and against mvn test (%d generated submissions)%n", n);
        row(out, "grade, --jobs 1, ms per submission", one);
        row(out, "grade, --jobs " + jobs + " (the default here), ms per submission", all);
        row(out, "fresh ./mvnw -q test per repository (mean of " + sample + "), ms", maven);
        ratio(out, "mvn test / grade --jobs " + jobs + " (goal ≥ 30×, aim 50×)", maven / all);
        ratio(out, "grade --jobs 1 / the sum of the floors (goal ≤ 2×)", one / floor);
        ratio(out, "grade --jobs 1 / the floors with the probes the checks need", one / checked);
        ratio(out, "grade --jobs " + jobs + " / the floors shared by " + cores + " cores", all / (floor / cores));
        out.flush();
    }

    private static void row(PrintWriter out, String label, double ms) {
        out.printf(Locale.ROOT, "  %-58s %14.1f%n", label, ms);
    }

    private static void ratio(PrintWriter out, String label, double r) {
        out.printf(Locale.ROOT, "  %-58s %13.1f×%n", label, r);
    }

    private static int count(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return (int) s.count();
        }
    }

    private interface Timed {
        double seconds() throws IOException, InterruptedException;
    }

    private static double medianMs(int n, Timed t) throws IOException, InterruptedException {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            ms[i] = t.seconds() * 1000;
        }
        return median(ms);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * {@code java -Xshare:auto -version} as the child's JVM starts: its runtime and every JVM option the sandbox
     * gives it (taken from the command of an unsandboxed child, whose paths are this host's), so that the floor
     * follows any change to them.
     */
    private static List<String> childVersion(Path work) throws IOException {
        Path root = Files.createDirectories(work.resolve("version"));
        Path harness = HarnessJar.write(root.resolve("harness/harness.jar"));
        Sandbox plain = Sandbox.detect(Sandbox.Choice.NONE, harness, root, Limits.DEFAULT, m -> { });
        Path classes = Files.createDirectories(root.resolve("classes"));
        Path scratch = Files.createDirectories(root.resolve("scratch"));
        List<String> argv = plain.command(classes, scratch, 0, Limits.DEFAULT, false).argv();
        int java = argv.indexOf(plain.java().toString());
        int cp = argv.indexOf("-cp");
        if (java < 0 || cp < java) {
            throw new IOException("no java command in " + argv);
        }
        List<String> out = new ArrayList<>(argv.subList(java, cp));
        if (out.stream().noneMatch(o -> o.startsWith("-Xshare"))) {
            out.add("-Xshare:auto");
        }
        out.add("-version");
        return out;
    }

    /** A child under the sandbox the grader would use, asked only to read an empty job and say hello. */
    private static double sandboxedHello(Path work) throws IOException, InterruptedException {
        Path root = Files.createDirectories(work.resolve("hello"));
        Path harness = HarnessJar.write(root.resolve("harness/harness.jar"));
        Sandbox sandbox = Sandbox.detect(Sandbox.Choice.ANY, harness, root, Limits.DEFAULT, m -> { });
        return medianMs(STARTS, () -> {
            Path dir = Files.createTempDirectory(root, "child-");
            Path classes = Files.createDirectories(dir.resolve("classes"));
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            sandbox.prepare(root, dir, classes, scratch, 0);
            long t0 = System.nanoTime();
            ChildResult r = ChildRun.run(sandbox, classes, scratch, 0, Limits.DEFAULT,
                    new Codec.Job(Sandbox.nonce(), "floor", Limits.DEFAULT.threads(), List.of(), List.of()), true);
            double s = (System.nanoTime() - t0) / 1e9;
            return r.hello() ? s : Double.NaN;
        });
    }

    /**
     * The reference's own work on every assignment, warm, in this JVM, in ms per submission: {@code [0]} forward,
     * reverse pass, optimizer steps and ops alone (no finite differences of the networks); {@code [1]} what a child
     * computes, the finite-difference probes included.
     */
    static double[] studentCode(List<Assignment> assignments, Components ref) {
        List<TracePlan> bare = assignments.stream()
                .map(a -> new TracePlan(List.of(), List.of(), TracePlan.of(a).steps())).toList();
        List<TracePlan> full = assignments.stream().map(a -> TracePlan.of(a, true)).toList();
        return new double[] {rounds(assignments, ref, bare), rounds(assignments, ref, full)};
    }

    private static double rounds(List<Assignment> assignments, Components ref, List<TracePlan> plans) {
        double[] ms = new double[TIMED_ROUNDS];
        for (int r = 0; r < WARM_ROUNDS + TIMED_ROUNDS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < assignments.size(); i++) {
                Tracer.trace(assignments.get(i), ref, plans.get(i));
            }
            if (r >= WARM_ROUNDS) {
                ms[r - WARM_ROUNDS] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return median(ms);
    }
}
