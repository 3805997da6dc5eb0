package backprop.grader.bench;

import backprop.grader.batch.BatchGrader;
import backprop.grader.batch.Phases;
import backprop.grader.batch.SampleClass;
import backprop.grader.files.FileTrees;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where one submission's time goes: the sample class and a generated class graded one submission at a time, with
 * the grader's own clock read around each phase where it happens ({@link Phases}), the child seen from outside by
 * the arrival of its frames. Then the floors and the ratios ({@link Floors}) and the levers ({@link Levers}).
 */
public final class ProfileBench {
    private static final String JUDGED = "judged: ";

    private ProfileBench() {}

    /**
     * A class graded once, with its phases.
     *
     * @param graded submissions graded
     * @param wall seconds of the whole run
     * @param totals the phases' totals
     */
    record Profiled(int graded, double wall, Map<String, Phases.Total> totals) {
        /** Milliseconds per graded submission spent in {@code phase}. */
        double perSubmission(String phase) {
            Phases.Total t = totals.get(phase);
            return t == null || graded == 0 ? 0 : t.nanos() / 1e6 / graded;
        }
    }

    /** Grades {@code subs} into {@code out} with {@code jobs} jobs, timing every phase. */
    static Profiled grade(Path subs, Path out, List<Path> assignments, int jobs, Components ref, Path refPath)
            throws IOException {
        Phases phases = Phases.recording();
        long t0 = System.nanoTime();
        BatchGrader.Summary s = BatchGrader.run(new BatchGrader.Options(subs, out, assignments, Optional.empty(), jobs,
                Limits.DEFAULT, Duration.ofSeconds(60), true, Sandbox.Choice.ANY), ref, refPath, "bench",
                new PrintWriter(new StringWriter()), phases);
        return new Profiled(s.gradedNow(), (System.nanoTime() - t0) / 1e9, phases.totals());
    }

    /** Prints the profile, the floors and the levers. */
    public static void run(PrintWriter out, Path root, List<Path> assignmentPaths, Components ref, Path refPath, int n,
            int sample) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("grader-profile-bench");
        try {
            List<Assignment> assignments = AssignmentSet.load(assignmentPaths).assignments();
            Path generated = BatchBench.generateClass(root, work.resolve("class"), n);
            Profiled sampleClass = grade(SampleClass.of(root), work.resolve("out-sample"), assignmentPaths, 1, ref,
                    refPath);
            Profiled generatedClass = grade(generated, work.resolve("out-generated"), assignmentPaths, 1, ref,
                    refPath);
            print(out, assignments, sampleClass, generatedClass);
            out.flush();
            Floors.run(out, root, work, generated, assignmentPaths, assignments, ref, refPath, sample);
            Levers.run(out, work, generated, assignmentPaths, assignments, ref, refPath);
        } finally {
            FileTrees.delete(work);
        }
        out.flush();
    }

    private static void print(PrintWriter out, List<Assignment> assignments, Profiled s, Profiled g) {
        out.printf(Locale.ROOT, "%nProfile: where one submission's time goes (--jobs 1; ms per graded submission, "
                + "the grader's clock around each phase)%n");
        out.printf(Locale.ROOT, "  %-58s %14s %14s%n", "phase", "sample (" + s.graded() + ")",
                "generated (" + g.graded() + ")");
        Set<String> phases = new LinkedHashSet<>(g.totals().keySet());
        phases.addAll(s.totals().keySet());
        Set<String> assignmentPhases = new LinkedHashSet<>();
        for (Assignment a : assignments) {
            assignmentPhases.add(Phases.CHILD + a.id());
            assignmentPhases.add(JUDGED + a.id());
        }
        double[] childSum = new double[2];
        double[] judgedSum = new double[2];
        double[] sum = new double[2];
        for (String p : phases) {
            if (p.startsWith(Phases.RUN)) {
                continue;
            }
            sum[0] += s.perSubmission(p);
            sum[1] += g.perSubmission(p);
            if (assignmentPhases.contains(p)) {
                double[] into = p.startsWith(JUDGED) ? judgedSum : childSum;
                into[0] += s.perSubmission(p);
                into[1] += g.perSubmission(p);
                continue;
            }
            row(out, p, s.perSubmission(p), g.perSubmission(p));
        }
        row(out, "child: every assignment (below)", childSum[0], childSum[1]);
        row(out, "grader judging every assignment (below)", judgedSum[0], judgedSum[1]);
        row(out, "sum of the phases", sum[0], sum[1]);
        row(out, "wall time of the run / graded submissions", s.wall() * 1000 / s.graded(), g.wall() * 1000
                / g.graded());
        printRun(out, phases, s, g);
        printAssignments(out, assignments, s, g);
    }

    private static void printRun(PrintWriter out, Set<String> phases, Profiled s, Profiled g) {
        out.printf(Locale.ROOT, "  once per run (ms):%n");
        for (String p : phases) {
            if (p.startsWith(Phases.RUN)) {
                row(out, "  " + p.substring(Phases.RUN.length()), s.totals().getOrDefault(p, new Phases.Total(0, 0))
                        .nanos() / 1e6, g.totals().getOrDefault(p, new Phases.Total(0, 0)).nanos() / 1e6);
            }
        }
    }

    private static void printAssignments(PrintWriter out, List<Assignment> assignments, Profiled s, Profiled g) {
        out.printf(Locale.ROOT, "  per assignment (ms per graded submission): %-14s %14s | %14s %14s%n",
                "child (sample)", "judging", "child (gen.)", "judging");
        for (Assignment a : assignments) {
            out.printf(Locale.ROOT, "    %-54s %8.1f %14.1f | %14.1f %14.1f%n", a.id(),
                    s.perSubmission(Phases.CHILD + a.id()), s.perSubmission(JUDGED + a.id()),
                    g.perSubmission(Phases.CHILD + a.id()), g.perSubmission(JUDGED + a.id()));
        }
        out.printf(Locale.ROOT, "  (a child's assignment: from the previous frame's arrival to its trace's; the first "
                + "includes loading the submission's classes)%n");
    }

    static void row(PrintWriter out, String label, double a, double b) {
        out.printf(Locale.ROOT, "  %-58s %14.1f %14.1f%n", label, a, b);
    }
}
