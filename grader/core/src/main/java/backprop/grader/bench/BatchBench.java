package backprop.grader.bench;

import backprop.grader.batch.BatchGrader;
import backprop.grader.export.TemplateExport;
import backprop.grader.files.FileTrees;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Batch grading against what a TA does today (a fresh {@code mvn -q test} in a copy of each student's repository),
 * the grader's overhead per submission against the floor (a bare {@code java -version} plus compiling the same
 * files), and the grader's peak heap as the class grows. All measured side by side in one run.
 */
public final class BatchBench {
    private BatchBench() {}

    /** A class of {@code n} generated submissions: the reference, with a known bug laid over some of them. */
    static Path generateClass(Path root, Path dir, int n) throws IOException {
        Path reference = root.resolve("grader/reference/src/main/java/homework");
        Path fixtures = root.resolve("grader/core/src/test/resources/submissions");
        List<Path> bugs = new ArrayList<>();
        bugs.add(null);
        try (Stream<Path> s = Files.list(fixtures)) {
            s.filter(Files::isDirectory).sorted().forEach(bugs::add);
        }
        Random rng = new Random(42);
        for (int i = 0; i < n; i++) {
            Path sub = Files.createDirectories(dir.resolve(String.format(Locale.ROOT, "student%04d", i)).resolve(
                    "src/main/java/homework"));
            copyDir(reference, sub);
            Path bug = bugs.get(i % 3 == 0 ? 0 : 1 + rng.nextInt(bugs.size() - 1));
            if (bug != null) {
                copyDir(bug.resolve("homework"), sub);
            }
        }
        return dir;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Grades a folder in this process; returns seconds, with the peak heap (MiB) in {@code peak[0]} and the heap
     * still used after a full GC at the end in {@code peak[1]}.
     */
    static double grade(Path subs, Path out, List<Path> assignments, int jobs, Components ref, Path refPath,
            double[] peak) throws IOException {
        resetPeaks();
        long t0 = System.nanoTime();
        BatchGrader.run(new BatchGrader.Options(subs, out, assignments, Optional.empty(), jobs, Limits.DEFAULT,
                Duration.ofSeconds(60), true, Sandbox.Choice.ANY), ref, refPath, "bench",
                new PrintWriter(new StringWriter()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        peaks(peak);
        return seconds;
    }

    /** Starts a heap measurement: a full GC, then the pools' peaks from here on. */
    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** The peak heap since {@link #resetPeaks} (MiB) into {@code peak[0]}; after a full GC, into {@code peak[1]}. */
    static void peaks(double[] peak) {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        peak[0] = bytes / (1024.0 * 1024.0);
        System.gc();
        peak[1] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** Runs a command, returns its wall time in seconds, or NaN when it failed to start or timed out. */
    static double time(Path dir, List<String> command) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return Double.NaN;
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The usual way: an exported student repository per submission, `./mvnw -q test` in a fresh copy of it. */
    static double mavenLoop(Path root, Path work, Path subs, int sample) throws IOException, InterruptedException {
        Path template = work.resolve("template");
        TemplateExport.export(root, template);
        List<Path> students;
        try (Stream<Path> s = Files.list(subs)) {
            students = s.sorted().limit(sample).toList();
        }
        double total = 0;
        for (Path st : students) {
            Path repo = work.resolve("repo-" + st.getFileName());
            FileTrees.copy(template, repo);
            copyDir(st.resolve("src/main/java/homework"), repo.resolve("src/main/java/homework"));
            repo.resolve("mvnw").toFile().setExecutable(true);
            total += time(repo, List.of("./mvnw", "-q", "test"));
        }
        return total / students.size();
    }


    /** Prints every table. */
    public static void run(PrintWriter out, Path root, List<Path> assignments, Components ref, Path refPath, int n,
            int sample, List<Integer> memorySizes) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("grader-bench");
        try {
            tables(out, root, work, assignments, ref, refPath, n, sample, memorySizes);
        } finally {
            FileTrees.delete(work);
        }
    }

    private static void tables(PrintWriter out, Path root, Path work, List<Path> assignments, Components ref,
            Path refPath, int n, int sample, List<Integer> memorySizes) throws IOException, InterruptedException {
        double[] peak = new double[2];
        Path subs = generateClass(root, work.resolve("class"), n);
        out.printf(Locale.ROOT, "%nBatch throughput: %d generated submissions (a third correct, the rest one known bug "
                + "each), all assignments%n", n);
        double batch = grade(subs, work.resolve("out"), assignments, 2, ref, refPath, peak) / n;
        double maven = mavenLoop(root, work, subs, sample);
        out.printf(Locale.ROOT, "  %-52s %8.3f s/submission%n", "grader grade --jobs 2 (sandboxed child JVM each)", batch);
        out.printf(Locale.ROOT, "  %-52s %8.3f s/submission (mean of %d)%n", "fresh ./mvnw -q test in a copy of each "
                + "repository", maven, sample);
        out.printf(Locale.ROOT, "  %-52s %8.1f×%n", "ratio", maven / batch);

        CompileBench.run(out, root);

        out.printf(Locale.ROOT, "%nOverhead per submission against the floor (one job)%n");
        Path one = work.resolve("one");
        FileTrees.copy(subs.resolve("student0000"), one.resolve("student0000"));
        double single = grade(one, work.resolve("out1"), assignments, 1, ref, refPath, peak);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
        double version = time(work, List.of(java, "-version"));
        List<String> compile = new ArrayList<>(List.of(javac, "-proc:none", "-d", work.resolve("floor").toString(),
                "-cp", backprop.grader.submission.Submission.apiLocation().toString()));
        try (Stream<Path> s = Files.list(one.resolve("student0000/src/main/java/homework"))) {
            s.map(Path::toString).forEach(compile::add);
        }
        double javacSeconds = time(work, compile);
        out.printf(Locale.ROOT, "  %-52s %8.3f s%n", "java -version", version);
        out.printf(Locale.ROOT, "  %-52s %8.3f s%n", "javac of the same files", javacSeconds);
        out.printf(Locale.ROOT, "  %-52s %8.3f s%n", "grade one submission (compile + sandboxed child)", single);
        out.printf(Locale.ROOT, "  %-52s %8.2f× (a cold javac the grader never pays; the floors that mean "
                + "something: --only profile)%n", "ratio to the floor", single / (version + javacSeconds));

        out.printf(Locale.ROOT, "%nGrader heap as the class grows (--jobs 2): peak used (garbage included), and what is "
                + "still held after a full GC at the end%n");
        for (int size : memorySizes) {
            Path cls = generateClass(root, work.resolve("mem" + size), size);
            double s = grade(cls, work.resolve("outm" + size), assignments, 2, ref, refPath, peak);
            out.printf(Locale.ROOT, "  %5d submissions %10.1f MiB peak %8.1f MiB held after %8.1f s%n", size, peak[0],
                    peak[1], s);
        }
        out.flush();
    }
}
