package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.check.Authority;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.run.Trace;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.spec.Location;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns the public checks of the public assignments into JUnit dynamic tests for a student's {@code mvn test}:
 * one test per check, named {@code seed-003a › dL/dW2} in the console, the Surefire XML and an IDE (its source is
 * the checkpoint's line in the assignment file), failing with a message a student can act on, aborted (skipped)
 * with the reason when a prerequisite failed, and a last one named after the points.
 *
 * <p>Grading runs once, before the tests are listed: against the assignment files' expected values and, for the
 * checks whose values only the reference knows (each op alone, {@code expected: reference}), against the values
 * the reference computed when the repository was made ({@link ExpectedValues}); so every visible check the grade
 * counts runs here, with the same points. {@code -Dcheck=PATTERNS} runs some of them ({@link Selection}). The
 * points line and a Markdown summary of every check go to {@code target/grading/} for the build's last step
 * ({@link Points}) and for CI.
 *
 * <p>In self-test mode ({@code -Dbackprop.selftest=stubs}, set by this repository's own build, where the template
 * holds stubs) each test instead asserts that its check fails cleanly: an error or a skip whose message names a
 * method that is "not implemented yet".
 */
public final class PublicChecks {
    /** System property naming the folder of public assignments. */
    public static final String ASSIGNMENTS = "backprop.assignments";
    /** System property naming the expected values file (default: {@value ExpectedValues#FILE} in that folder). */
    public static final String EXPECTED = "backprop.expected";
    /** System property that switches on self-test mode; its value says what the template holds. */
    public static final String SELFTEST = "backprop.selftest";
    /** System property naming where the Markdown summary goes (default {@code target/grading/summary.md}). */
    public static final String SUMMARY = "backprop.summary";
    /** System property with the build's id, which the build's last step compares ({@link Points}). */
    public static final String BUILD = "backprop.build";

    private PublicChecks() {}

    /**
     * One run of the public checks.
     *
     * @param assignments the folder of public assignments
     * @param expected the expected values file
     * @param yours the classes to grade
     * @param selftest empty to grade for real, else what the template holds
     * @param selection the checks asked for
     * @param summary where the Markdown summary goes; the result for the build's last step goes beside it
     * @param build the build's id, or empty
     */
    record Run(Path assignments, Path expected, Components yours, String selftest, Selection selection, Path summary,
            String build) {}

    /** The tests for the classes on the caller's class path, as the system properties say. */
    public static Stream<DynamicNode> tests() {
        Path summary = Path.of(System.getProperty(SUMMARY, "target/grading/summary.md"));
        String build = System.getProperty(BUILD, "");
        Run run;
        try {
            Path dir = Path.of(System.getProperty(ASSIGNMENTS, "assignments"));
            String expected = System.getProperty(EXPECTED, "");
            Components yours = new Components("your code", Thread.currentThread().getContextClassLoader());
            run = new Run(dir, expected.isBlank() ? dir.resolve(ExpectedValues.FILE) : Path.of(expected), yours,
                    System.getProperty(SELFTEST, ""), Selection.of(System.getProperty(Selection.PROPERTY, "")),
                    summary, build);
        } catch (RuntimeException e) { // a bad -Dbackprop.callTimeout, say
            Points.write(summary, build, Points.Result.broken(e.getMessage()));
            throw e;
        }
        return tests(run);
    }

    /** The tests of one run; also writes its summary and result. */
    static Stream<DynamicNode> tests(Run run) {
        Timings timings = new Timings();
        Graded g;
        try {
            g = grade(run, timings);
        } catch (RuntimeException e) {
            Points.write(run.summary(), run.build(), Points.Result.broken(e.getMessage()));
            throw e;
        }
        String line = StudentReport.summaryLine(g.results(), run.selection(), run.selftest());
        timings.time("writing the summary", () -> {
            StudentReport.writeSummary(run.summary(), StudentReport.markdown(g.assignments(), g.results(),
                    run.selection(), run.selftest()));
            Points.write(run.summary(), run.build(), Points.Result.of(line, g.results()));
            return null;
        });
        timings.writeIfAsked();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Assignment a : g.assignments()) {
            List<DynamicTest> tests = g.results().stream().filter(r -> r.assignment().equals(a.id()))
                    .map(r -> DynamicTest.dynamicTest(StudentReport.testName(r), source(location(a, r.check()), a),
                            () -> verdict(r, run.selftest()))).toList();
            if (!tests.isEmpty()) {
                nodes.add(DynamicContainer.dynamicContainer(a.id() + " — " + a.title(), source(null, a),
                        tests.stream()));
            }
        }
        // named by the points line; its source is the summary it checks was written (a source keeps the name alone)
        nodes.add(DynamicTest.dynamicTest(line, run.summary().toAbsolutePath().toUri(),
                () -> Points.requireWritten(run.summary(), line)));
        return nodes.stream();
    }

    /**
     * What a run graded.
     *
     * @param assignments the assignments with at least one selected check, in order
     * @param results the selected visible checks
     */
    record Graded(List<Assignment> assignments, List<CheckResult> results) {}

    /**
     * Grades the selected visible checks of the public assignments.
     *
     * @throws IllegalStateException when the assignments or the expected values cannot be read, or the selection
     *     matches no check (the message lists the assignments)
     */
    static Graded grade(Run run) {
        return grade(run, new Timings());
    }

    private static Graded grade(Run run, Timings timings) {
        // The values file does not need the assignments to be parsed: read it beside them.
        FutureTask<Map<String, ValuesFile.Stored>> stored = new FutureTask<>(() -> ExpectedValues.stored(
                run.expected()));
        Thread reader = new Thread(stored, "expected values");
        reader.setDaemon(true);
        reader.start();
        List<Assignment> all = timings.time("reading the assignments", () -> load(run.assignments()));
        ExpectedValues expected = timings.time("reading the expected values (the rest)", () -> {
            try {
                return ExpectedValues.fit(run.expected(), joined(stored), all);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        List<Assignment> graded = new ArrayList<>();
        List<CheckResult> results = new ArrayList<>();
        for (Assignment a : all) {
            if (!run.selection().mayGrade(a)) {
                continue;
            }
            List<CheckResult> rs = timings.time(a.id(), () -> grade(a, run.yours(), expected)).stream()
                    .filter(r -> r.visibility() == Visibility.VISIBLE)
                    .filter(r -> run.selection().selects(r.assignment(), r.check())).toList();
            if (!rs.isEmpty()) {
                graded.add(a);
                results.addAll(rs);
            }
        }
        List<String> unmatched = run.selection().unmatched(results.stream()
                .map(r -> new String[] {r.assignment(), r.check()}).toList());
        if (!unmatched.isEmpty()) {
            throw new IllegalStateException(StudentReport.nothingMatches(unmatched, all));
        }
        return new Graded(graded, results);
    }

    /** What the values file's reader returned, or the {@link IOException} it threw. */
    private static Map<String, ValuesFile.Stored> joined(FutureTask<Map<String, ValuesFile.Stored>> stored)
            throws IOException {
        try {
            return stored.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("reading the expected values failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the expected values", e);
        }
    }

    /** Grades one assignment as the grader does, with the exported values standing in for the reference. */
    private static List<CheckResult> grade(Assignment a, Components yours, ExpectedValues expected) {
        Optional<Trace> standIn = expected.trace(a);
        // finite differences judge alone, at sampled entries too, the gradients whose values were not exported
        Map<String, Matrix> values = standIn.flatMap(t -> t.gradients().get()).orElse(Map.of());
        return Checker.check(a, Tracer.trace(a, yours, TracePlan.of(a, values::containsKey)),
                standIn.map(s -> Authority.local(a, yours, s)).orElseGet(() -> Authority.local(a, yours)));
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

    /** Where a check of {@code a} is written: its checkpoint, or its op's unit check, or null. */
    private static Location location(Assignment a, String check) {
        for (Checkpoint cp : a.checkpoints()) {
            if (cp.id().equals(check)) {
                return cp.location();
            }
        }
        String op = check.contains(" › ") ? check.substring(0, check.indexOf(" › ")) : check;
        return a.unitChecks().stream().filter(u -> u.op().equals(op)).map(u -> u.location()).findFirst()
                .orElse(null);
    }

    /**
     * A test's source: the line of the assignment file it comes from. Surefire names a test with a file source by
     * its display name alone (with a method source it would prefix the factory's name), and an IDE opens the line.
     */
    private static URI source(Location l, Assignment a) {
        Path file = (l != null ? l.file() : a.file()).toAbsolutePath();
        int line = l != null ? l.line() : 1;
        return URI.create(file.toUri() + "?line=" + Math.max(1, line));
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
}
