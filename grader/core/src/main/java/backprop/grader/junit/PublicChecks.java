package backprop.grader.junit;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Grader;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns the public checks of the public assignments into JUnit dynamic tests for a student's {@code mvn test}:
 * one test per check, named {@code seed-003a › dL/dW2}, failing with a message a student can act on, aborted
 * (skipped) with the reason when a prerequisite failed, and a last test that sums up the points.
 *
 * <p>Grading runs once, before the tests are listed, against the assignments' expected values (a student has no
 * reference solution). In self-test mode ({@code -Dbackprop.selftest=stubs}, set by this repository's own build,
 * where the template holds stubs) each test instead asserts that its check fails cleanly: an error or a skip
 * whose message names a method that is "not implemented yet".
 */
public final class PublicChecks {
    /** System property naming the folder of public assignments. */
    public static final String ASSIGNMENTS = "backprop.assignments";
    /** System property that switches on self-test mode; its value says what the template holds. */
    public static final String SELFTEST = "backprop.selftest";
    /** System property naming where the Markdown summary goes (default {@code target/grading/summary.md}). */
    public static final String SUMMARY = "backprop.summary";

    private PublicChecks() {}

    /** The tests for the classes on the caller's class path. */
    public static Stream<DynamicNode> tests() {
        Path dir = Path.of(System.getProperty(ASSIGNMENTS, "assignments"));
        Components yours = new Components("your code", Thread.currentThread().getContextClassLoader());
        return tests(dir, yours, System.getProperty(SELFTEST, ""));
    }

    /** The tests for {@code yours} on the assignments under {@code dir}; {@code selftest} empty for real. */
    public static Stream<DynamicNode> tests(Path dir, Components yours, String selftest) {
        List<Assignment> assignments = load(dir);
        Grader grader = new Grader(assignments, Optional.empty());
        List<CheckResult> all = new ArrayList<>();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Assignment a : assignments) {
            List<CheckResult> results = grader.grade(a, yours).stream()
                    .filter(r -> r.visibility() == Visibility.VISIBLE).toList();
            all.addAll(results);
            List<DynamicTest> tests = results.stream().map(r -> DynamicTest.dynamicTest(StudentReport.testName(r),
                    () -> verdict(r, selftest))).toList();
            nodes.add(DynamicContainer.dynamicContainer(a.id() + " — " + a.title(), tests));
        }
        String summary = StudentReport.summaryLine(all);
        writeSummary(StudentReport.markdown(assignments, all));
        nodes.add(DynamicTest.dynamicTest(summary, () -> System.out.println(summary)));
        return nodes.stream();
    }

    private static List<Assignment> load(Path dir) {
        try {
            AssignmentSet set = AssignmentSet.load(List.of(dir));
            if (!set.problems().isEmpty()) {
                throw new IllegalStateException("the assignment files have problems (do not edit them):\n"
                        + String.join("\n", set.problems().stream().map(Object::toString).toList()));
            }
            if (set.assignments().isEmpty()) {
                throw new IllegalStateException("no assignment files under " + dir.toAbsolutePath());
            }
            return set.assignments();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the assignments under " + dir.toAbsolutePath(), e);
        }
    }

    private static void verdict(CheckResult r, String selftest) {
        if (!selftest.isEmpty()) {
            if (r.status().earnsPoints() || !r.message().contains("not implemented yet: ")) {
                throw new AssertionFailedError("self-test (" + selftest + "): expected this check to fail "
                        + "cleanly on the stubs, got " + r.status().word() + ": " + r.message());
            }
            return;
        }
        switch (r.status()) {
            case PASSED, INCONCLUSIVE -> { }
            case SKIPPED -> throw quiet(new TestAbortedException(StudentReport.testName(r) + " — skipped: "
                    + r.message()));
            default -> throw quiet(new AssertionFailedError(StudentReport.failure(r)));
        }
    }

    /** The grader's own stack is of no use to a student: the message says everything. */
    private static <T extends Throwable> T quiet(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }

    private static void writeSummary(String markdown) {
        Path out = Path.of(System.getProperty(SUMMARY, "target/grading/summary.md"));
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write the summary to " + out + ": " + e.getMessage());
        }
    }
}
