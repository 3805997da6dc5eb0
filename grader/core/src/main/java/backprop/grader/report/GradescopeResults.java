package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.junit.StudentReport;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Gradescope autograder {@code results.json}, as Gradescope's "Autograder Specifications" describe it
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/): the whole file is built in memory from the
 * check results and written once, so nothing a student's code prints can end up in it or corrupt it.
 *
 * <p>Top level: {@code score} (the points earned, hidden checks included), {@code execution_time} (whole seconds),
 * {@code output} (what was graded and the visible points), {@code output_format}, {@code visibility},
 * {@code stdout_visibility} and {@code tests}, one test per check: {@code name} ({@code seed-003a › dL/dW2}),
 * {@code number} ({@code "3.12"}: the assignment's position, then the check's within it, both from 1),
 * {@code score}, {@code max_score}, {@code status} ({@code passed} when the check earns its points, else
 * {@code failed}), {@code output} (the student's failure text, with the likely cause and the hint), {@code
 * output_format}, {@code tags} (assignment id and kind) and {@code visibility}.
 *
 * <p>Every text is sent with {@code output_format} {@code "text"}: nothing in it is rendered as HTML or Markdown,
 * so an exception message from student code shows as written.
 */
public final class GradescopeResults {

    /** The visibility values the specification allows, for tests, the whole result and standard output. */
    public enum Visibility {
        /** Never shown to students. */
        HIDDEN("hidden"),
        /** Shown after the assignment's due date (the late due date when late submission is allowed). */
        AFTER_DUE_DATE("after_due_date"),
        /** Shown when the instructor publishes grades from the "Review Grades" page. */
        AFTER_PUBLISHED("after_published"),
        /** Always shown (Gradescope's default). */
        VISIBLE("visible");

        private final String word;

        Visibility(String word) {
            this.word = word;
        }

        /** The value written to the file. */
        public String word() {
            return word;
        }
    }

    /**
     * What students see, and when.
     *
     * @param visibility the top-level {@code visibility}: the default for every test
     * @param stdoutVisibility who sees what the autograder printed; {@code HIDDEN} keeps it for instructors,
     *     since a student's code may print anything
     * @param hiddenChecks the visibility of a check the assignment marks hidden; {@code AFTER_PUBLISHED} shows it
     *     once grades are published, {@code HIDDEN} never
     */
    public record Options(Visibility visibility, Visibility stdoutVisibility, Visibility hiddenChecks) {
        /** Validates. */
        public Options {
            Objects.requireNonNull(visibility, "visibility");
            Objects.requireNonNull(stdoutVisibility, "stdoutVisibility");
            Objects.requireNonNull(hiddenChecks, "hiddenChecks");
        }

        /** Visible checks always, hidden checks once grades are published, standard output to instructors only. */
        public static Options defaults() {
            return new Options(Visibility.VISIBLE, Visibility.HIDDEN, Visibility.AFTER_PUBLISHED);
        }
    }

    private static final String FORMAT = "text";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private GradescopeResults() {}

    /**
     * The results of a graded submission.
     *
     * @param assignments the assignments, in the order their tests are numbered
     * @param results every check's result; results of an assignment not in {@code assignments} are numbered after
     *     the others, in the order they come
     * @param executionTime how long grading took
     * @param options what students see, and when
     */
    public static ObjectNode graded(List<Assignment> assignments, List<CheckResult> results, Duration executionTime,
            Options options) {
        ObjectNode root = top(sum(results, true), executionTime, summary(assignments, results, options), options);
        ArrayNode tests = root.putArray("tests");
        addTests(tests, assignments, results, options);
        return root;
    }

    /**
     * The results of a submission whose grading did not run to the end: it did not compile, timed out, ran out of
     * memory, …. One visible failed test, numbered {@code 0.1}, says what happened; the checks that did finish
     * (none when it did not compile) follow and keep their points.
     *
     * @param status one word for what happened, for example {@code compile-error} or {@code timeout}
     * @param reason what it means for the student, one or more lines (a compiler's first errors, the time limit)
     * @param assignments the assignments, in the order their tests are numbered
     * @param finished the results of the checks that finished before grading stopped; often empty
     * @param executionTime how long grading took
     * @param options what students see, and when
     */
    public static ObjectNode unfinished(String status, String reason, List<Assignment> assignments,
            List<CheckResult> finished, Duration executionTime, Options options) {
        String headline = "Grading stopped: " + status + ".";
        List<String> lines = new ArrayList<>();
        lines.add(headline);
        lines.add(reason);
        lines.add(finished.isEmpty() ? "No check ran, so the score is 0."
                : finished.size() + " checks finished before grading stopped and keep their points.");
        ObjectNode root = top(sum(finished, true), executionTime, String.join("\n", lines), options);
        ArrayNode tests = root.putArray("tests");
        ObjectNode test = tests.addObject();
        test.put("name", "submission › " + status);
        test.put("number", "0.1");
        test.put("score", 0.0);
        test.put("max_score", 0.0);
        test.put("status", "failed");
        test.put("output", headline + "\n" + reason);
        test.put("output_format", FORMAT);
        test.putArray("tags").add("submission").add(status);
        test.put("visibility", Visibility.VISIBLE.word());
        addTests(tests, assignments, finished, options);
        return root;
    }

    /** The file's text: two-space indentation, {@code \n} line ends, UTF-8 when written, a final newline. */
    public static String json(ObjectNode results) {
        try {
            return WRITER.writeValueAsString(results) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    /**
     * Writes {@code results} to {@code file} atomically: to a temporary file in the same folder, then moved over
     * {@code file} in one step, so a reader sees the old file or the whole new one and never half of it.
     */
    public static void write(Path file, ObjectNode results) throws IOException {
        AtomicFiles.write(file, json(results).getBytes(StandardCharsets.UTF_8));
    }


    private static ObjectNode top(double score, Duration executionTime, String output, Options options) {
        ObjectNode root = NODES.objectNode();
        root.put("score", score);
        root.put("execution_time", Math.max(0, Math.round(executionTime.toMillis() / 1000.0)));
        root.put("output", output);
        root.put("output_format", FORMAT);
        root.put("visibility", options.visibility().word());
        root.put("stdout_visibility", options.stdoutVisibility().word());
        return root;
    }

    private static void addTests(ArrayNode tests, List<Assignment> assignments, List<CheckResult> results,
            Options options) {
        for (Map.Entry<String, List<CheckResult>> group : byAssignment(assignments, results).entrySet()) {
            int a = assignmentNumber(assignments, results, group.getKey());
            int c = 0;
            for (CheckResult r : group.getValue()) {
                c++;
                ObjectNode test = tests.addObject();
                test.put("name", StudentReport.testName(r));
                test.put("number", a + "." + c);
                test.put("score", round(r.earned()));
                test.put("max_score", round(r.possible()));
                test.put("status", r.status().earnsPoints() ? "passed" : "failed");
                test.put("output", StudentReport.failure(r));
                test.put("output_format", FORMAT);
                test.putArray("tags").add(r.assignment()).add(r.kind());
                test.put("visibility", (r.visibility() == Checkpoint.Visibility.HIDDEN ? options.hiddenChecks()
                        : Visibility.VISIBLE).word());
            }
        }
    }

    /** Results grouped by assignment: the listed assignments in their order, then any other in order of appearance. */
    private static Map<String, List<CheckResult>> byAssignment(List<Assignment> assignments,
            List<CheckResult> results) {
        Map<String, List<CheckResult>> groups = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            groups.put(a.id(), new ArrayList<>());
        }
        for (CheckResult r : results) {
            groups.computeIfAbsent(r.assignment(), k -> new ArrayList<>()).add(r);
        }
        groups.values().removeIf(List::isEmpty);
        return groups;
    }

    private static int assignmentNumber(List<Assignment> assignments, List<CheckResult> results, String id) {
        for (int i = 0; i < assignments.size(); i++) {
            if (assignments.get(i).id().equals(id)) {
                return i + 1;
            }
        }
        List<String> others = results.stream().map(CheckResult::assignment)
                .filter(x -> assignments.stream().noneMatch(a -> a.id().equals(x))).distinct().toList();
        return assignments.size() + others.indexOf(id) + 1;
    }

    private static String summary(List<Assignment> assignments, List<CheckResult> results, Options options) {
        List<String> lines = new ArrayList<>();
        Map<String, List<CheckResult>> groups = byAssignment(assignments, results);
        lines.add("Backprop homework: " + groups.size() + " assignments graded, " + results.size() + " checks.");
        for (Map.Entry<String, List<CheckResult>> g : groups.entrySet()) {
            String title = assignments.stream().filter(a -> a.id().equals(g.getKey())).map(Assignment::title)
                    .findFirst().map(t -> " — " + t).orElse("");
            List<CheckResult> visible = g.getValue().stream()
                    .filter(r -> r.visibility() == Checkpoint.Visibility.VISIBLE).toList();
            lines.add(String.format(Locale.ROOT, "%s%s: %s/%s points in visible checks, %d of %d passed", g.getKey(),
                    title, ConsoleReport.points(sum(visible, false)),
                    ConsoleReport.points(visible.stream().mapToDouble(CheckResult::possible).sum()),
                    visible.stream().filter(r -> r.status().earnsPoints()).count(), visible.size()));
        }
        long hidden = results.stream().filter(r -> r.visibility() == Checkpoint.Visibility.HIDDEN).count();
        if (hidden > 0) {
            lines.add(hidden + " hidden checks count toward the score too; " + switch (options.hiddenChecks()) {
                case HIDDEN -> "their results are not shown.";
                case AFTER_DUE_DATE -> "their results are shown after the due date.";
                case AFTER_PUBLISHED -> "their results are shown when grades are published.";
                case VISIBLE -> "their results are shown below.";
            });
        }
        return String.join("\n", lines);
    }

    private static double sum(List<CheckResult> results, boolean rounded) {
        double s = results.stream().mapToDouble(CheckResult::earned).sum();
        return rounded ? round(s) : s;
    }

    /** Points to a thousandth, as {@link ConsoleReport#points} shows them. */
    private static double round(double points) {
        return Math.round(points * 1000) / 1000.0;
    }
}
