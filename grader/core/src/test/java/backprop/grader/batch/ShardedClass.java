package backprop.grader.batch;

import backprop.grader.TestFiles;
import backprop.grader.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small class for the shard tests, and the grader started on it as separate JVM processes. The ids are chosen
 * so that the folder's order is not the order of their hashes: capitals sort first, {@code -} before {@code .}, a
 * zip among folders, a non-ASCII id; three students carry a known bug and one does not compile.
 */
final class ShardedClass {
    /** Two small assignments: enough checks to make rows, fast enough to grade a class in seconds. */
    static final String ASSIGNMENTS = String.join(",", Stream.of("seed-000", "ops")
            .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml").toString()).toList());

    private ShardedClass() {}

    /** Writes the class into {@code dir}; returns its ids in the order one run reports them. */
    static List<String> write(Path dir) throws IOException {
        for (String id : List.of("alice", "Zed", "b.1", "b-2", "nadia")) {
            HostileBatch.copyReference(dir.resolve(id + "/homework"));
        }
        HostileBatch.zipReference(dir.resolve("carol.zip"));
        bug(dir.resolve("bob"), "submissions/sigmoid-derivative-as-sigmoid");
        bug(dir.resolve("élodie"), "submissions/tanh-derivative-from-input");
        bug(dir.resolve("omar"), "submissions/affine-backward-no-transpose");
        bug(dir.resolve("dave"), "hostile/compile-error");
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().map(p -> p.getFileName().toString().replaceFirst("\\.zip$", "")).toList();
        }
    }

    private static void bug(Path student, String fixture) throws IOException {
        HostileBatch.copyReference(student.resolve("homework"));
        Path from = TestFiles.root().resolve("grader/core/src/test/resources").resolve(fixture).resolve("homework");
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, student.resolve("homework").resolve(f.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The arguments of {@code grade} for this class into {@code out}, then {@code more}. */
    static List<String> grade(Path subs, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("grade", "--submissions", subs.toString(), "--out",
                out.toString(), "--assignments", ASSIGNMENTS, "--reference", TestFiles.referenceSources().toString(),
                "--timeout", "30", "--heap", "64m"));
        args.addAll(List.of(more));
        return args;
    }

    /** Starts {@code grader ARGS} as a JVM of its own, with {@code env} added, its output into {@code log}. */
    static Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisableAttachMechanism", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dgrader.home=" + TestFiles.root(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.equals(ShardEnvironment.K8S_INDEX)
                || k.equals(ShardEnvironment.COUNT));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs {@code grader ARGS} in this JVM; returns the exit code, with what it printed in {@code printed}. */
    static int run(List<String> args, StringBuilder printed) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), args.toArray(String[]::new));
        printed.append(out);
        return code;
    }
}
