package backprop.grader.bench;

import backprop.grader.files.FileTrees;
import backprop.grader.sandbox.ChildArchive;
import backprop.grader.sandbox.ChildClock;
import backprop.grader.sandbox.Codec;
import backprop.grader.sandbox.HarnessJar;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.submission.Submission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a child's time goes ({@code grader bench --only child}): the reference traced in a child of the strongest
 * sandbox here, on the runtime's own class-data archive against the archive of the harness, and with other JVM
 * options, all in turns within each round so that a busy machine slows them alike; beside them the floor, {@code
 * java -Xshare:auto -version} run the same way with the same archive; and each assignment's time in the child.
 */
public final class ChildStartBench {
    private static final int SLOT = 0;

    private ChildStartBench() {}

    /** A way to start children: a name and the sandbox that starts them so. */
    private record Variant(String name, Sandbox sandbox) {}

    /** Prints the table; {@code rounds} children of each variant. */
    public static void run(PrintWriter out, Path root, Path assignments, int rounds) throws Exception {
        List<Assignment> as = AssignmentSet.load(List.of(assignments)).assignments();
        Path work = Files.createTempDirectory("grader-child-bench-");
        try {
            Path sub = Files.createDirectories(work.resolve("reference"));
            Path classes = sub.resolve("classes");
            Submission.compile("reference", List.of(root.resolve("grader/reference/src/main/java")), classes);
            Path scratch = Files.createDirectories(sub.resolve("scratch"));
            Limits limits = Limits.DEFAULT;
            List<String> notes = new ArrayList<>();
            long t0 = System.nanoTime();
            Sandbox sb = Sandbox.detect(Sandbox.Choice.ANY, HarnessJar.write(work.resolve("harness/harness.jar")),
                    work, limits, notes::add);
            double detect = (System.nanoTime() - t0) / 1e9;
            sb.prepare(work, sub, classes, scratch, SLOT);
            out.println("Child start (" + rounds + " rounds, medians; the reference traced on all " + as.size()
                    + " assignments)");
            out.println("sandbox: " + sb.description());
            out.printf(Locale.ROOT, "archive: %s (finding the sandbox and the archive took %.2f s)%n",
                    sb.archive().map(Path::toString).orElse("none"), detect);
            notes.forEach(n -> out.println("  " + n));
            out.println("  -version: java -Xshare:auto -version started as a child is, with its options and archive; "
                    + "job read … ended: wall seconds from the child's start; CPU read, CPU: the CPU seconds of its "
                    + "processes when it had read its job and when it had traced all (less swayed by a busy machine)");
            out.flush();
            Codec.Job first = Codec.Job.of(Sandbox.nonce(), "reference", limits.threads(), as.subList(0, 1));
            Codec.Job all = Codec.Job.of(Sandbox.nonce(), "reference", limits.threads(), as);
            List<Variant> variants = variants(sb, work, new ChildArchive.Training(classes, all));
            Map<String, List<ChildClock.Timing>> timings = new LinkedHashMap<>();
            Map<String, List<ChildClock.Timing>> small = new LinkedHashMap<>();
            Map<String, double[]> floors = new LinkedHashMap<>();
            variants.forEach(v -> {
                timings.put(v.name(), new ArrayList<>());
                floors.put(v.name(), new double[rounds]);

            });
            variants.subList(0, Math.min(2, variants.size())).forEach(v -> small.put(v.name(), new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                for (Variant v : variants) {
                    timings.get(v.name()).add(ChildClock.run(v.sandbox(), classes, scratch, SLOT, limits, all));
                    floors.get(v.name())[r] = version(v.sandbox(), classes, scratch, limits);
                    if (small.containsKey(v.name())) {
                        small.get(v.name()).add(ChildClock.run(v.sandbox(), classes, scratch, SLOT, limits, first));
                    }
                }
            }
            print(out, timings, floors);
            out.println("  a child that traces only " + as.get(0).id() + " (a job of " + bytes(first) + " bytes "
                    + "against " + bytes(all) + " for all):");
            print(out, small, floors);
            perAssignment(out, as, timings.get(variants.get(variants.size() > 1 ? 1 : 0).name()));
            out.flush();
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * Children as they started before the archive, as they start now, on an archive trained on a real job, and
     * with other JIT and heap settings.
     */
    private static List<Variant> variants(Sandbox sb, Path work, ChildArchive.Training training) throws IOException {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("runtime's archive only (before)", sb.withoutArchive()));
        if (sb.archive().isEmpty()) {
            return v;
        }
        v.add(new Variant("harness archive (now)", sb));
        v.add(new Variant("harness archive trained on a real job", ChildArchive.trained(sb,
                Files.createDirectories(work.resolve("trained-cache")), Optional.of(training))));
        v.add(new Variant("now + C2 as well (tiered to level 4)", sb.withJvmOptions(List.of("-XX:TieredStopAtLevel=4"))));
        v.add(new Variant("now + -XX:CICompilerCount=1", sb.withJvmOptions(List.of("-XX:CICompilerCount=1"))));
        v.add(new Variant("now + -XX:CompileThresholdScaling=0.1", sb.withJvmOptions(List.of(
                "-XX:CompileThresholdScaling=0.1"))));
        v.add(new Variant("now + -XX:CompileThresholdScaling=3", sb.withJvmOptions(List.of(
                "-XX:CompileThresholdScaling=3"))));
        v.add(new Variant("now + -Xint (no JIT at all)", sb.withJvmOptions(List.of("-Xint"))));
        v.add(new Variant("now + -XX:-BackgroundCompilation", sb.withJvmOptions(List.of(
                "-XX:-BackgroundCompilation"))));
        v.add(new Variant("now + -Xms64m (fewer collections)", sb.withJvmOptions(List.of("-Xms64m"))));
        v.add(new Variant("now + -XX:+UseG1GC", sb.withJvmOptions(List.of("-XX:-UseSerialGC", "-XX:+UseG1GC"))));
        return v;
    }

    private static int bytes(Codec.Job job) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Codec.writeJob(b, job);
        return b.size();
    }

    /** Seconds of {@code java -Xshare:auto -version} started as a child is, with the child's options. */
    private static double version(Sandbox sb, Path classes, Path scratch, Limits limits) throws IOException {
        Sandbox.Command cmd = sb.command(classes, scratch, SLOT, limits, false);
        List<String> argv = new ArrayList<>(cmd.argv());
        int main = argv.indexOf(backprop.grader.sandbox.ChildMain.class.getName());
        argv.subList(main, argv.size()).clear();
        argv.add("-version");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cmd.directory().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(cmd.env());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("java -version ended with " + p.exitValue() + ": " + argv);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void print(PrintWriter out, Map<String, List<ChildClock.Timing>> timings,
            Map<String, double[]> floors) {
        out.printf(Locale.ROOT, "  %-40s %10s %10s %10s %10s %10s %10s %10s %8s%n", "children", "-version", "job read",
                "1st trace", "all traced", "ended", "CPU read", "CPU", "CPU vs 1st");
        double base = Double.NaN;
        for (Map.Entry<String, List<ChildClock.Timing>> e : timings.entrySet()) {
            List<ChildClock.Timing> t = e.getValue();
            double cpu = median(t.stream().mapToDouble(ChildClock.Timing::cpu).toArray());
            if (Double.isNaN(base)) {
                base = cpu;
            }
            out.printf(Locale.ROOT, "  %-40s %8.3f s %8.3f s %8.3f s %8.3f s %8.3f s %8.2f s %8.2f s %9.2f×%n",
                    e.getKey(),
                    median(floors.get(e.getKey())), median(t.stream().mapToDouble(ChildClock.Timing::hello).toArray()),
                    median(t.stream().mapToDouble(x -> x.traces().get(0)).toArray()),
                    median(t.stream().mapToDouble(ChildClock.Timing::done).toArray()),
                    median(t.stream().mapToDouble(ChildClock.Timing::exit).toArray()),
                    median(t.stream().mapToDouble(ChildClock.Timing::helloCpu).toArray()), cpu, cpu / base);
        }
    }

    private static void perAssignment(PrintWriter out, List<Assignment> as, List<ChildClock.Timing> t) {
        out.println("  each assignment in the child (harness archive; medians, from the frame before its trace to its "
                + "trace; wall and CPU seconds):");
        double sum = 0;
        double sumCpu = 0;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < as.size(); i++) {
            int k = i;
            double s = median(t.stream().mapToDouble(x -> x.perAssignment().get(k)).toArray());
            double c = median(t.stream().mapToDouble(x -> x.perAssignmentCpu().get(k)).toArray());
            sum += s;
            sumCpu += c;
            line.append(String.format(Locale.ROOT, "%-26s %6.3f %6.3f", as.get(i).id(), s, c));
            if (i % 3 == 2 || i == as.size() - 1) {
                out.println("    " + line.toString().stripTrailing());
                line.setLength(0);
            } else {
                line.append("   ");
            }
        }
        out.printf(Locale.ROOT, "    %-26s %6.3f %6.3f%n", "all assignments", sum, sumCpu);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
