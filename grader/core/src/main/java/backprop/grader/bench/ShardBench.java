package backprop.grader.bench;

import backprop.grader.batch.Merge;
import backprop.grader.batch.SyntheticShards;
import backprop.grader.cli.Main;
import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Grading a class in one process against N shard processes side by side plus their merge, and what the merge alone
 * costs as the class grows. Every grading run is a JVM of its own, as on a cluster. The merge's time and peak heap
 * are measured on classes of thousands generated from the real shards' results: per student, both should stay
 * flat, since it streams the class and never holds it.
 */
public final class ShardBench {
    /** The heap the merge is run with a second time, to show it needs no more as the class grows. */
    static final int CAPPED_HEAP_MIB = 48;

    private ShardBench() {}

    /**
     * Prints both tables.
     *
     * @param classSize submissions generated and graded for real
     * @param shards how many shard processes
     * @param mergeSizes class sizes the merge alone is measured on
     */
    public static void run(PrintWriter out, Path root, List<Path> assignments, Path refPath, int classSize, int shards,
            List<Integer> mergeSizes) throws IOException, InterruptedException, Merge.Refused {
        Path work = Files.createTempDirectory("grader-bench-shards");
        try {
            tables(out, root, work, assignments, refPath, classSize, shards, mergeSizes);
        } finally {
            FileTrees.delete(work);
        }
    }

    private static void tables(PrintWriter out, Path root, Path work, List<Path> assignments, Path refPath,
            int classSize, int shards, List<Integer> mergeSizes) throws IOException, InterruptedException,
            Merge.Refused {
        int cores = Runtime.getRuntime().availableProcessors();
        int jobsEach = Math.max(1, cores / shards);
        Path subs = BatchBench.generateClass(root, work.resolve("class"), classSize);
        out.printf(Locale.ROOT, "%nSharded grading: %d generated submissions, all assignments; one process "
                + "(--jobs %d) against %d shard processes side by side (--jobs %d each) and their merge%n", classSize,
                cores, shards, jobsEach);
        out.flush();
        double one = seconds(List.of(grade(root, assignments, refPath, subs, work.resolve("one"), cores, null)));
        List<List<String>> shardCommands = new ArrayList<>();
        List<String> merge = new ArrayList<>(List.of("merge"));
        List<Path> shardDirs = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            shardDirs.add(work.resolve("shard-" + i));
            merge.add(shardDirs.get(i).toString());
            shardCommands.add(grade(root, assignments, refPath, subs, shardDirs.get(i), jobsEach, i + "/" + shards));
        }
        double sharded = seconds(shardCommands);
        merge.addAll(List.of("--out", work.resolve("merged").toString()));
        double merged = seconds(List.of(java(root, merge)));
        boolean same = Arrays.equals(Files.readAllBytes(work.resolve("one/scores.csv")),
                Files.readAllBytes(work.resolve("merged/scores.csv")))
                && Arrays.equals(Files.readAllBytes(work.resolve("one/details.csv")),
                        Files.readAllBytes(work.resolve("merged/details.csv")));
        out.printf(Locale.ROOT, "  %-52s %8.1f s   %6.3f s/submission%n", "one process", one, one / classSize);
        out.printf(Locale.ROOT, "  %-52s %8.1f s   %6.3f s/submission%n", shards + " shard processes (the slowest)",
                sharded, sharded / classSize);
        out.printf(Locale.ROOT, "  %-52s %8.1f s   %5.1f %% of the sharded total%n", "merge (a JVM of its own)", merged,
                100 * merged / (sharded + merged));
        out.printf(Locale.ROOT, "  %-52s %8s%n", "merged CSVs byte for byte those of one process", same ? "yes" : "NO");

        out.printf(Locale.ROOT, "%nThe merge alone, on generated classes (the real shards' results copied under new "
                + "ids), in this JVM: time and peak heap should stay flat per student%n");
        double[] peak = new double[2];
        for (int size : mergeSizes) {
            List<Path> dirs = SyntheticShards.write(shardDirs, size, work.resolve("synthetic-" + size));
            Path target = work.resolve("merged-" + size);
            BatchBench.resetPeaks();
            long t0 = System.nanoTime();
            Merge.run(new Merge.Options(dirs, target, false), new PrintWriter(new StringWriter()));
            double s = (System.nanoTime() - t0) / 1e9;
            BatchBench.peaks(peak);
            // the same merge in a JVM of its own whose heap is capped far below the class's results
            List<String> capped = new ArrayList<>(java(root, List.of()));
            capped.add(1, "-Xmx" + CAPPED_HEAP_MIB + "m");
            capped.add("merge");
            dirs.forEach(d -> capped.add(d.toString()));
            capped.addAll(List.of("--out", work.resolve("capped-" + size).toString()));
            double c = seconds(List.of(capped));
            out.printf(Locale.ROOT, "  %6d students %7.1f s %7.2f ms/student %8.1f MiB peak heap (garbage included) "
                    + "%6.1f MiB details.csv; with -Xmx%dm in a JVM of its own: %6.1f s%n", size, s, 1000 * s / size,
                    peak[0], Files.size(target.resolve("details.csv")) / (1024.0 * 1024.0), CAPPED_HEAP_MIB, c);
            out.flush();
            FileTrees.delete(work.resolve("synthetic-" + size));
            FileTrees.delete(work.resolve("capped-" + size));
            FileTrees.delete(target);
        }
        out.flush();
    }

    private static List<String> grade(Path root, List<Path> assignments, Path refPath, Path subs, Path outDir,
            int jobs, String shard) {
        List<String> args = new ArrayList<>(List.of("grade", "--submissions", subs.toString(), "--out",
                outDir.toString(), "--reference", refPath.toString(), "--jobs", Integer.toString(jobs),
                "--assignments", String.join(",", assignments.stream().map(Path::toString).toList())));
        if (shard != null) {
            args.addAll(List.of("--shard", shard));
        }
        return java(root, args);
    }

    /** The grader's command line in a JVM of its own, as the launcher starts it. */
    private static List<String> java(Path root, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisableAttachMechanism", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dgrader.home=" + root, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the commands side by side; the seconds until the last ends. */
    private static double seconds(List<List<String>> commands) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<Process> running = new ArrayList<>();
        for (List<String> c : commands) {
            running.add(new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }
        for (Process p : running) {
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("a benchmark run failed: " + String.join(" ", p.info().commandLine()
                        .orElse("(gone)")));
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
