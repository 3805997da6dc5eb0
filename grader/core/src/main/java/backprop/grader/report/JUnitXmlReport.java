package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.junit.StudentReport;
import backprop.grader.spec.Assignment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Check results as JUnit XML in Maven Surefire's format (the schema {@code surefire-test-report-3.0.xsd}), the
 * test report every CI system reads: one {@code testsuite} per assignment, in a file of its own named
 * {@code TEST-<assignment id>.xml}, with one {@code testcase} per check ({@code classname} the assignment id,
 * {@code name} the check id).
 *
 * <ul>
 *   <li>passed and inconclusive (points awarded): an empty test case; an inconclusive one says why in
 *       {@code system-out};
 *   <li>failed: {@code <failure message="…" type="wrong value">} holding the student's failure text (where, by
 *       how much, finite differences, likely cause, hint);
 *   <li>error: {@code <error message="…" type="error in submitted code">} with the same text;
 *   <li>skipped: {@code <skipped message="…"/>} saying which prerequisite failed.
 * </ul>
 *
 * <p>The suite's {@code properties} give the title and the points. Its {@code time} is how long grading the
 * assignment took, measured; its checks are judged together from one run of the submission, so each test case's
 * {@code time} (required by the schema) is an equal share of it, and the cases add up to the suite.
 *
 * <p>A submission that does not compile gets one file, {@code TEST-submission.xml}, with one failing test case,
 * {@code submission › compiles}, holding the compiler's messages: CI then reports a failed test, not "no tests".
 * The text is written by hand, not by a transformer, so it is the same on every JDK.
 */
public final class JUnitXmlReport {
    private static final String SCHEMA =
            "https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd";

    private JUnitXmlReport() {}

    /**
     * One assignment's test suite: a whole XML document.
     *
     * @param assignment the assignment
     * @param results check results; those of other assignments are ignored
     * @param time how long grading the assignment took
     */
    public static String suite(Assignment assignment, List<CheckResult> results, Duration time) {
        List<CheckResult> rs = results.stream().filter(r -> r.assignment().equals(assignment.id())).toList();
        long failures = rs.stream().filter(r -> r.status() == Status.FAILED).count();
        long errors = rs.stream().filter(r -> r.status() == Status.ERROR).count();
        long skipped = rs.stream().filter(r -> r.status() == Status.SKIPPED).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=")
                .append(attr(SCHEMA)).append(" version=\"3.0\" name=").append(attr(assignment.id()))
                .append(" time=").append(attr(seconds(time))).append(" tests=\"").append(rs.size())
                .append("\" errors=\"").append(errors).append("\" skipped=\"").append(skipped)
                .append("\" failures=\"").append(failures).append("\">\n");
        x.append("  <properties>\n");
        property(x, "title", assignment.title());
        property(x, "points", ConsoleReport.points(rs.stream().mapToDouble(CheckResult::earned).sum()));
        property(x, "points.possible", ConsoleReport.points(rs.stream().mapToDouble(CheckResult::possible).sum()));
        x.append("  </properties>\n");
        Duration share = rs.isEmpty() ? Duration.ZERO : time.dividedBy(rs.size());
        for (CheckResult r : rs) {
            x.append("  <testcase name=").append(attr(r.check())).append(" classname=").append(attr(r.assignment()))
                    .append(" time=").append(attr(seconds(share)));
            switch (r.status()) {
                case PASSED -> x.append("/>\n");
                case INCONCLUSIVE -> x.append(">\n    <system-out>").append(text(StudentReport.failure(r)))
                        .append("</system-out>\n  </testcase>\n");
                case FAILED -> problem(x, "failure", "wrong value", r);
                case ERROR -> problem(x, "error", "error in submitted code", r);
                case SKIPPED -> x.append(">\n    <skipped message=").append(attr(r.message()))
                        .append("/>\n  </testcase>\n");
            }
        }
        x.append("</testsuite>\n");
        return x.toString();
    }

    /** The file name of the suite {@link #compileError} writes. */
    public static final String COMPILE_ERROR_FILE = fileName("submission");

    /**
     * The suite of a submission that does not compile: one test case, {@code compiles}, failed with the first
     * error as its message and every error the compiler gave as its text.
     *
     * @param errors the compiler's messages, one line each ({@code Relu.java:13: ';' expected})
     * @param time how long compiling took
     */
    public static String compileError(List<String> errors, Duration time) {
        String first = errors.isEmpty() ? "does not compile" : "does not compile: " + errors.get(0);
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=")
                .append(attr(SCHEMA)).append(" version=\"3.0\" name=\"submission\" time=").append(attr(seconds(time)))
                .append(" tests=\"1\" errors=\"0\" skipped=\"0\" failures=\"1\">\n");
        x.append("  <testcase name=\"compiles\" classname=\"submission\" time=").append(attr(seconds(time)))
                .append(">\n    <failure message=").append(attr(first)).append(" type=\"compile error\">")
                .append(text(String.join("\n", errors.isEmpty() ? List.of(first) : errors)))
                .append("</failure>\n  </testcase>\n</testsuite>\n");
        return x.toString();
    }

    /**
     * Every assignment's suite, keyed by file name ({@code TEST-seed-000.xml}), in the order of {@code assignments};
     * assignments without results are left out.
     *
     * @param times how long each assignment took, by id; a missing one counts as 0
     */
    public static Map<String, String> files(List<Assignment> assignments, List<CheckResult> results,
            Map<String, Duration> times) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            if (results.stream().anyMatch(r -> r.assignment().equals(a.id()))) {
                files.put(fileName(a.id()), suite(a, results, times.getOrDefault(a.id(), Duration.ZERO)));
            }
        }
        return files;
    }

    /** Writes {@link #files} into {@code dir}, each atomically; returns the paths written. */
    public static List<Path> writeAll(Path dir, List<Assignment> assignments, List<CheckResult> results,
            Map<String, Duration> times) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files(assignments, results, times).entrySet()) {
            Path file = dir.resolve(f.getKey());
            AtomicFiles.write(file, f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            written.add(file);
        }
        return written;
    }

    /** {@code TEST-<id>.xml}, with any character other than a letter, digit, '.', '_' or '-' replaced by '_'. */
    public static String fileName(String assignmentId) {
        return "TEST-" + assignmentId.replaceAll("[^A-Za-z0-9._-]", "_") + ".xml";
    }

    private static void problem(StringBuilder x, String element, String type, CheckResult r) {
        x.append(">\n    <").append(element).append(" message=").append(attr(r.message())).append(" type=")
                .append(attr(type)).append('>').append(text(StudentReport.failure(r))).append("</")
                .append(element).append(">\n  </testcase>\n");
    }

    private static void property(StringBuilder x, String name, String value) {
        x.append("    <property name=").append(attr(name)).append(" value=").append(attr(value)).append("/>\n");
    }

    /**
     * Seconds with the three decimals the Surefire schema allows; a measured time under half a millisecond is
     * written as {@code 0.001}, so that a fast check never reads as one that was not timed.
     */
    private static String seconds(Duration d) {
        long nanos = d.toNanos();
        return String.format(Locale.ROOT, "%.3f", nanos > 0 && nanos < 500_000 ? 0.001 : nanos / 1e9);
    }

    /** A quoted attribute value: markup escaped, and tab, newline and carriage return kept as references. */
    private static String attr(String s) {
        StringBuilder b = new StringBuilder("\"");
        clean(s).codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\t' -> b.append("&#9;");
                case '\n' -> b.append("&#10;");
                case '\r' -> b.append("&#13;");
                default -> b.appendCodePoint(c);
            }
        });
        return b.append('"').toString();
    }

    /** Element text with markup escaped; a carriage return is kept as a reference (a parser would drop it). */
    private static String text(String s) {
        StringBuilder b = new StringBuilder();
        clean(s).codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\r' -> b.append("&#13;");
                default -> b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /**
     * Replaces what XML 1.0 cannot hold (control characters other than tab, newline and carriage return, lone
     * surrogates, U+FFFE and U+FFFF) with U+FFFD, so a student's odd exception message cannot make the file
     * unreadable.
     */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF
                    || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
