package backprop.grader.junit;

import backprop.grader.check.CheckResult;
import backprop.grader.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The last step of a student's {@code mvn test}: prints the points line after everything Surefire printed, and
 * fails the build when a test failed (Surefire is told to carry on, so that this line comes last). When no test
 * ran because {@code -Dtest=} named checks rather than test classes, it fails and says to use {@code -Dcheck=}.
 *
 * <p>Run by the build as {@code Points GRADING_DIR REPORTS_DIR BUILD_ID}, in Maven's own JVM, where a
 * command line's {@code -Dtest}, {@code -DskipTests} and {@code -Dmaven.test.skip} are system properties.
 */
public final class Points {
    /** The build id's format: the pom sets {@code maven.build.timestamp.format} to it (UTC). */
    public static final String BUILD_FORMAT = "yyyyMMddHHmmssSSS";
    private static final String FILE = "result.properties";
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");

    private Points() {}

    /**
     * What the public checks reported, for this step.
     *
     * @param line the points line, or why the checks could not run
     * @param checks checks run
     * @param notPassed checks that earned nothing
     * @param broken true when the checks could not run at all
     */
    record Result(String line, int checks, long notPassed, boolean broken) {
        static Result of(String line, List<CheckResult> results) {
            return new Result(line, results.size(), results.stream().filter(r -> !r.status().earnsPoints()).count(),
                    false);
        }

        static Result broken(String why) {
            return new Result("the public checks could not run: " + why, 0, 0, true);
        }
    }

    /** Writes {@code r} beside the summary, for this step. */
    static void write(Path summary, String build, Result r) {
        Properties p = new Properties();
        p.setProperty("build", build);
        p.setProperty("line", r.line());
        p.setProperty("checks", String.valueOf(r.checks()));
        p.setProperty("not_passed", String.valueOf(r.notPassed()));
        p.setProperty("broken", String.valueOf(r.broken()));
        try {
            StringWriter w = new StringWriter();
            p.store(w, "written by the public checks for the build's last step");
            AtomicFiles.write(resultFile(summary), w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("could not write " + resultFile(summary) + ": " + e.getMessage());
        }
    }

    /** Throws unless the result holding {@code line} was written: what the test named after the points checks. */
    static void requireWritten(Path summary, String line) throws IOException {
        Properties p = read(resultFile(summary));
        if (p == null || !line.equals(p.getProperty("line")) || !Files.isRegularFile(summary)) {
            throw new IOException("the summary was not written to " + summary.toAbsolutePath());
        }
    }

    private static Path resultFile(Path summary) {
        Path dir = summary.toAbsolutePath().getParent();
        return dir.resolve(FILE);
    }

    private static Properties read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** Prints the points line; throws {@link ChecksFailed}, failing the build, when a test failed or none ran. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Points GRADING_DIR REPORTS_DIR BUILD_ID");
        }
        run(Path.of(args[0]), Path.of(args[1]), args[2], System.getProperties(), System.out);
    }

    /**
     * The step itself, given Maven's properties ({@code test}, {@code skipTests}, …).
     *
     * @throws ChecksFailed when a test failed, or {@code -Dtest=} ran no test
     */
    static void run(Path grading, Path reports, String build, Properties maven, PrintStream out) throws IOException {
        String skip = maven.getProperty("skipTests");
        if (Boolean.parseBoolean(maven.getProperty("maven.test.skip")) || skip != null && !skip.equals("false")) {
            return;
        }
        Properties result = read(grading.resolve(FILE));
        boolean ran = result != null && build.equals(result.getProperty("build"));
        boolean broken = ran && Boolean.parseBoolean(result.getProperty("broken"));
        int[] counts = surefire(reports, started(build));
        String test = maven.getProperty("test", "").trim();
        boolean mustRun = !"false".equals(maven.getProperty("surefire.failIfNoSpecifiedTests"));
        out.println();
        if (!ran && counts[0] == 0 && !test.isEmpty() && mustRun) {
            String why = "-Dtest=" + test + " ran no test: -Dtest picks test classes and methods (PublicChecksTest "
                    + "runs every check), not checks. Run checks with -D" + Selection.PROPERTY + ": -D"
                    + Selection.PROPERTY + "='seed-001*' (an assignment), -D" + Selection.PROPERTY
                    + "='seed-003a > dL/dW2' (one check); see README.md.";
            out.println(why);
            throw new ChecksFailed(why);
        }
        String line = ran ? result.getProperty("line") : "the public checks did not run in this build"
                + (test.isEmpty() ? "" : " (-Dtest=" + test + ")");
        out.println(line);
        if (ran && !broken) {
            out.println("every check, with its status: " + grading.resolve("summary.md"));
        }
        if (counts[1] > 0 || broken) {
            throw new ChecksFailed(line + (counts[1] > 0 ? " (" + counts[1] + " test" + (counts[1] == 1 ? "" : "s")
                    + " failed: see the list above)" : ""));
        }
    }

    /** When the build started, from its id; the epoch when the id cannot be read (then every report counts). */
    static Instant started(String build) {
        try {
            return LocalDateTime.parse(build, DateTimeFormatter.ofPattern(BUILD_FORMAT)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** Tests run and tests failed or in error, over the Surefire reports this build wrote. */
    static int[] surefire(Path reports, Instant started) throws IOException {
        int[] counts = new int[2];
        if (!Files.isDirectory(reports)) {
            return counts;
        }
        try (Stream<Path> s = Files.list(reports)) {
            for (Path p : s.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                // a report older than the build is from an earlier run of a class this one did not run
                if (Files.getLastModifiedTime(p).toInstant().isBefore(started.minusSeconds(1))) {
                    continue;
                }
                Matcher m = SUITE.matcher(head(p));
                if (m.find()) {
                    counts[0] += attribute(m.group(), "tests");
                    counts[1] += attribute(m.group(), "failures") + attribute(m.group(), "errors");
                }
            }
        }
        return counts;
    }

    /** The start of a report, where its {@code <testsuite>} tag is; the rest may be long. */
    private static String head(Path report) throws IOException {
        try (InputStream in = Files.newInputStream(report)) {
            return new String(in.readNBytes(1 << 14), StandardCharsets.UTF_8);
        }
    }

    private static int attribute(String tag, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"(\\d+)\"").matcher(tag);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The build fails: a test failed, or none ran. The message is the points line, or what to do. */
    public static final class ChecksFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChecksFailed(String message) {
            super(message, null, false, false);
        }

        /** What Maven's warning about the step shows: short, since the message itself is printed just above. */
        @Override
        public String toString() {
            return "(the build fails: see above)";
        }
    }
}
