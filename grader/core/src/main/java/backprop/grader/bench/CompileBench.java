package backprop.grader.bench;

import backprop.grader.compile.CompileException;
import backprop.grader.compile.Compilers;
import backprop.grader.compile.SourceFiles;
import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What moving javac out of the grader costs: one submission's compile (the reference's sources), warm, in the
 * grader's JVM and in a compile process, side by side, and what starting a compile process costs.
 */
final class CompileBench {
    private static final int WARM_UP = 10;
    private static final int TIMED = 20;

    private CompileBench() {}

    private interface Compile {
        void into(Path classes) throws CompileException, IOException, InterruptedException;
    }

    /** Prints the table. */
    static void run(PrintWriter out, Path root) throws IOException, InterruptedException {
        Warm w = measure(root);
        out.printf(Locale.ROOT, "%nCompiling one submission (the reference's %d files), warm, median of %d%n",
                w.files(), TIMED);
        out.printf(Locale.ROOT, "  %-52s %8.1f ms%n", "javac in the grader's JVM (before)", w.here());
        out.printf(Locale.ROOT, "  %-52s %8.1f ms%n", "javac in a compile process (now)", w.process());
        out.printf(Locale.ROOT, "  %-52s %8.2f×%n", "ratio", w.process() / w.here());
        out.printf(Locale.ROOT, "  %-52s %8.1f ms (once per job, and after a kill)%n",
                "starting a compile process, javac warmed up", w.start());
        out.printf(Locale.ROOT, "  compile process: %s%n", w.how());
        out.flush();
    }

    /** Ms of one warm compile of the reference's files: {@code [0]} in this JVM, {@code [1]} in a compile process. */
    static double[] warm(Path root) throws IOException, InterruptedException {
        Warm w = measure(root);
        return new double[] {w.here(), w.process()};
    }

    /**
     * One measurement.
     *
     * @param files the files compiled
     * @param here ms of a warm compile in this JVM
     * @param process ms of a warm compile in a compile process
     * @param start ms to start a compile process, javac warmed up
     * @param how the compile process's description
     */
    private record Warm(int files, double here, double process, double start, String how) {}

    private static Warm measure(Path root) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("grader-compile-bench");
        try {
            SourceFiles sources = SourceFiles.read(root.resolve("grader/reference/src/main/java"));
            double here = median(work.resolve("here"), c -> Compilers.compileHere(sources, c));
            long t0 = System.nanoTime();
            try (Compilers compilers = Compilers.start(1, Compilers.Limits.DEFAULT, work, m -> { })) {
                double start = (System.nanoTime() - t0) / 1e6;
                double process = median(work.resolve("process"), c -> compilers.compile(sources, c));
                return new Warm(sources.files().size(), here, process, start, compilers.description());
            }
        } catch (CompileException e) {
            throw new IOException("the reference does not compile: " + e.getMessage(), e);
        } finally {
            FileTrees.delete(work);
        }
    }

    private static double median(Path dir, Compile compile) throws CompileException, IOException,
            InterruptedException {
        double[] ms = new double[TIMED];
        for (int i = 0; i < WARM_UP + TIMED; i++) {
            Path classes = dir.resolve("c" + i);
            long t0 = System.nanoTime();
            compile.into(classes);
            if (i >= WARM_UP) {
                ms[i - WARM_UP] = (System.nanoTime() - t0) / 1e6;
            }
            FileTrees.delete(classes);
        }
        Arrays.sort(ms);
        return (ms[TIMED / 2 - 1] + ms[TIMED / 2]) / 2;
    }
}
