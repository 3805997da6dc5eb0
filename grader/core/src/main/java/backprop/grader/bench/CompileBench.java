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
        Path work = Files.createTempDirectory("grader-compile-bench");
        try {
            SourceFiles sources = SourceFiles.read(root.resolve("grader/reference/src/main/java"));
            double here = median(work.resolve("here"), c -> Compilers.compileHere(sources, c));
            long t0 = System.nanoTime();
            double process;
            String how;
            try (Compilers compilers = Compilers.start(1, Compilers.Limits.DEFAULT, work, m -> { })) {
                double start = (System.nanoTime() - t0) / 1e6;
                process = median(work.resolve("process"), c -> compilers.compile(sources, c));
                how = compilers.description();
                out.printf(Locale.ROOT, "%nCompiling one submission (the reference's %d files), warm, median of %d%n",
                        sources.files().size(), TIMED);
                out.printf(Locale.ROOT, "  %-52s %8.1f ms%n", "javac in the grader's JVM (before)", here);
                out.printf(Locale.ROOT, "  %-52s %8.1f ms%n", "javac in a compile process (now)", process);
                out.printf(Locale.ROOT, "  %-52s %8.2f×%n", "ratio", process / here);
                out.printf(Locale.ROOT, "  %-52s %8.1f ms (once per job, and after a kill)%n",
                        "starting a compile process, javac warmed up", start);
                out.printf(Locale.ROOT, "  compile process: %s%n", how);
            }
        } catch (CompileException e) {
            throw new IOException("the reference does not compile: " + e.getMessage(), e);
        } finally {
            FileTrees.delete(work);
        }
        out.flush();
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
