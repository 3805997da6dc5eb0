package backprop.grader.bench;

import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Budget;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Location;
import backprop.grader.spec.SpecException;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The budget's estimate beside what a run costs: for each shipped file and a few with more optimizer steps, the
 * estimated operations and entries, the seconds and peak heap of the reference's run, and the nanoseconds an
 * estimated operation took. Then the files the budget refuses, with the reader's message.
 */
public final class BudgetBench {
    private BudgetBench() {}

    /** Prints the table. */
    public static void run(PrintWriter out, Path assignments, Components reference) throws IOException {
        out.println("Validation budget: estimate against the reference's run (one core; budget "
                + Budget.sci(Budget.MAX_WORK) + " operations, " + String.format(Locale.ROOT, "%,d", Budget.MAX_ENTRIES)
                + " entries)");
        out.printf(Locale.ROOT, "%-28s %12s %12s %10s %10s %10s%n", "file", "operations", "entries", "seconds",
                "ns/op", "heap MiB");
        List<Assignment> files = new ArrayList<>(AssignmentSet.load(List.of(assignments)).assignments());
        Path public0 = assignments.resolve("public");
        for (int steps : new int[] {20, 50}) {
            files.add(withSteps(public0.resolve("scale-784-128-10.yaml"), "b2", steps));
        }
        for (int steps : new int[] {10_000, 100_000}) {
            files.add(withSteps(public0.resolve("seed-004.yaml"), "b2", steps));
        }
        Tracer.trace(files.get(0), reference); // warm up the JIT
        for (Assignment a : files) {
            Budget.Estimate e = Budget.estimate(a, Checkpoint::location, new Location(a.file(), 1, 1, ""));
            resetPeaks();
            long t0 = System.nanoTime();
            Tracer.trace(a, reference);
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%-28s %12s %12s %10.3f %10.2f %10.0f%n", a.id(), Budget.sci(e.work()), Budget.sci(e.entries()),
                    seconds, seconds * 1e9 / e.work(), peakMiB());
            out.flush();
        }
        out.println("Refused before anything runs:");
        for (String[] c : new String[][] {{"scale-784-128-10.yaml", "100"}, {"scale-784-128-10.yaml", "2000"},
            {"scale-784-128-10.yaml", "1000000"}, {"seed-004.yaml", "1000000"}}) {
            try {
                withSteps(public0.resolve(c[0]), "b2", Integer.parseInt(c[1]));
                out.println("  " + c[0] + " with " + c[1] + " steps: not refused");
            } catch (IllegalStateException e) {
                out.println("  " + c[0] + " with " + c[1] + " steps: " + e.getMessage());
            }
        }
        out.flush();
    }

    /** A shipped file with one more checkpoint: {@code parameter} after {@code steps} optimizer steps. */
    private static Assignment withSteps(Path file, String parameter, int steps) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        if (!yaml.contains("\noptimizer:")) {
            yaml = yaml.replace("\nloss: L\n", "\nloss: L\noptimizer: {method: sgd, learning_rate: 0.1}\n");
        }
        String id = yaml.lines().filter(l -> l.startsWith("id: ")).findFirst().orElseThrow().substring(4);
        yaml = yaml.replace("id: " + id + "\n", "id: " + id + "-" + steps + "-steps\n")
                + "  - parameter: " + parameter + "\n    after_steps: " + steps + "\n    expected: reference\n";
        try {
            return AssignmentReader.read(file, yaml);
        } catch (SpecException e) {
            throw new IllegalStateException(e.problems().get(0).message(), e);
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static double peakMiB() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (double) (1 << 20);
    }
}
