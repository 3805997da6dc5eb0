package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@code grader grade} run in a JVM of its own (the test's classpath, {@link Main}), to be signalled, killed or
 * limited as a real one is; and the same command in this JVM, for the run that follows.
 */
final class GraderProcess {
    final Process process;
    final Path log;

    private GraderProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** A class of {@code n} copies of the reference, named {@code prefix0}, {@code prefix1}, … */
    static void correct(Path subs, String prefix, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            HostileBatch.copyReference(subs.resolve(prefix + i + "/homework"));
        }
    }

    /** A copy of the reference whose first class loaded sleeps {@code millis} first: full marks, but slowly. */
    static void slow(Path into, long millis) throws IOException {
        Path homework = into.resolve("homework");
        HostileBatch.copyReference(homework);
        Path relu = homework.resolve("Relu.java");
        String src = Files.readString(relu);
        Matcher m = Pattern.compile("class Relu\\b[^{]*\\{").matcher(src);
        assertThat(m.find()).as("the reference's Relu.java declares class Relu").isTrue();
        Files.writeString(relu, src.substring(0, m.end()) + "\n    static {\n        try {\n            Thread.sleep("
                + millis + ");\n        } catch (InterruptedException e) {\n            Thread.currentThread()"
                + ".interrupt();\n        }\n    }\n" + src.substring(m.end()));
    }

    /**
     * The arguments of a {@code grade} run of {@code subs} into {@code out} on two small assignments, without the
     * per-call limit: these runs are about runs stopped, killed or locked, and a {@link #slow} submission must be
     * slow (whole-run timeout), not a hang that costs one method.
     */
    static List<String> gradeArgs(Path subs, Path out, int jobs) {
        String assignments = String.join(",", Stream.of("seed-000", "ops")
                .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml").toString()).toList());
        return List.of("grade", "--submissions", subs.toString(), "--out", out.toString(), "--assignments",
                assignments, "--reference", TestFiles.referenceSources().toString(), "--jobs", Integer.toString(jobs),
                "--timeout", "60", "--call-timeout", "0", "--heap", "64m");
    }

    /** Starts the grader with {@code args}, behind {@code prefix} (a command such as prlimit), logging to {@code log}. */
    static GraderProcess start(List<String> prefix, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisableAttachMechanism", "-Dgrader.home=" + TestFiles.root(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new GraderProcess(p, log);
    }

    /** Waits for the process to end; returns its exit code. */
    int waitFor(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the grader did not end within " + seconds + " s:\n" + log());
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * Waits until {@code condition} holds, the process being alive, or fails saying what the grader printed.
     */
    void await(String what, java.util.concurrent.Callable<Boolean> condition, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("waited for " + what + " (grader " + (process.isAlive() ? "alive" : "ended "
                        + process.exitValue()) + "):\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /**
     * A run of the grader in this JVM.
     *
     * @param code its exit code
     * @param out what it printed on stdout
     * @param err what it printed on stderr
     */
    record Run(int code, String out, String err) {}

    static Run inProcess(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString());
    }

    /** The names in a folder, or none when it is missing. */
    static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
