package backprop.grader.report;

import static backprop.grader.report.FormatFixtures.assertGolden;
import static backprop.grader.report.FormatFixtures.assignments;
import static backprop.grader.report.FormatFixtures.results;
import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.check.CheckResult;
import backprop.grader.junit.StudentReport;
import backprop.grader.report.GradescopeResults.Options;
import backprop.grader.report.GradescopeResults.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code results.json} against Gradescope's "Autograder Specifications"
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/): golden files, and every field the
 * specification names, with its type and allowed values.
 */
class GradescopeResultsTest {
    /** The keys the specification's "Output format" section lists, at the top and in a test. */
    private static final Set<String> TOP_KEYS = Set.of("score", "execution_time", "output", "output_format",
            "test_output_format", "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
            "leaderboard");
    private static final Set<String> TEST_KEYS = Set.of("score", "max_score", "status", "name", "name_format",
            "number", "output", "output_format", "tags", "visibility", "extra_data");
    /** "Controlling Test Case Visibility", "Test case status" and "Output String Formatting". */
    private static final Set<String> VISIBILITIES = Set.of("hidden", "after_due_date", "after_published", "visible");
    private static final Set<String> STATUSES = Set.of("passed", "failed");
    private static final Set<String> FORMATS = Set.of("text", "html", "simple_format", "md", "ansi");

    private static final Duration TIME = Duration.ofMillis(2_400);

    private static String graded() {
        return GradescopeResults.json(GradescopeResults.graded(assignments(), results(), TIME, Options.defaults()));
    }

    @Test
    void aGradedSubmissionMatchesTheGoldenFile() {
        assertGolden("gradescope-results.json", graded());
    }

    @Test
    void aMeasuredExecutionTimeIsTheOnlyDifference() {
        long start = System.nanoTime();
        String json = GradescopeResults.json(GradescopeResults.graded(assignments(), results(),
                Duration.ofNanos(System.nanoTime() - start), Options.defaults()));
        assertThat(json).containsPattern("\n  \"execution_time\": \\d+,\n");
        assertGolden("gradescope-results.json",
                json.replaceFirst("\n  \"execution_time\": \\d+,\n", "\n  \"execution_time\": 2,\n"));
    }

    @Test
    void aSubmissionThatDidNotCompileMatchesTheGoldenFile() {
        assertGolden("gradescope-compile-error.json", GradescopeResults.json(GradescopeResults.unfinished(
                "compile-error", "homework/Relu.java:12: error: ';' expected", assignments(), List.of(), TIME,
                Options.defaults())));
    }

    @Test
    void theSameBytesUnderAGermanDefaultLocale() {
        String json = FormatFixtures.underGermanLocale(GradescopeResultsTest::graded);
        assertThat(json).contains("\"max_score\": 1.5,").doesNotContain("1,5");
        assertGolden("gradescope-results.json", json);
    }

    @Test
    void everyFieldTheSpecificationNamesIsThereWithItsType() throws IOException {
        JsonNode root = new ObjectMapper().readTree(graded());
        assertTop(root);
        assertThat(root.get("score").isNumber()).isTrue();
        assertThat(root.get("execution_time").canConvertToExactIntegral()).isTrue();
        assertThat(root.get("execution_time").asLong()).isEqualTo(2);
        JsonNode tests = root.get("tests");
        List<CheckResult> results = results();
        assertThat(tests).hasSize(results.size());
        double sum = 0;
        for (JsonNode t : tests) {
            assertTest(t);
            sum += t.get("score").asDouble();
        }
        assertThat(root.get("score").asDouble()).as("the score is the tests' sum").isEqualTo(sum).isEqualTo(1.75);
        assertThat(root.get("output").asText()).contains("seed-000 — 2-3-1 ReLU network")
                .contains("2 hidden checks count toward the score too; their results are shown when grades are "
                        + "published.");
    }

    @Test
    void eachCheckBecomesOneTestNamedNumberedAndTaggedAsTheStudentSeesIt() throws IOException {
        JsonNode tests = new ObjectMapper().readTree(graded()).get("tests");
        JsonNode failed = tests.get(1);
        assertThat(failed.get("name").asText()).isEqualTo("seed-000 › dJ/dW2");
        assertThat(failed.get("number").asText()).isEqualTo("1.2");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("score").asDouble()).isZero();
        assertThat(failed.get("max_score").asDouble()).isEqualTo(2);
        assertThat(failed.get("output").asText()).isEqualTo(StudentReport.failure(results().get(1)))
                .contains("likely cause: every entry has the right size but the opposite sign")
                .contains("hint: dJ/dW2 is (z − t)");
        assertThat(texts(failed.get("tags"))).containsExactly("seed-000", "gradient");
        assertThat(failed.get("visibility").asText()).isEqualTo("visible");

        assertThat(tests.get(3).get("number").asText()).isEqualTo("2.1");
        assertThat(tests.get(4).get("status").asText()).as("inconclusive earns its points").isEqualTo("passed");
        assertThat(tests.get(2).get("status").asText()).as("skipped earns nothing").isEqualTo("failed");
        assertThat(tests.get(6).get("visibility").asText()).as("a hidden check").isEqualTo("after_published");
        assertThat(tests.get(6).get("number").asText()).isEqualTo("2.4");
    }

    @Test
    void hiddenChecksTakeTheVisibilityTheOptionsGiveThem() throws IOException {
        for (Visibility v : Visibility.values()) {
            JsonNode root = new ObjectMapper().readTree(GradescopeResults.json(GradescopeResults.graded(
                    assignments(), results(), TIME, new Options(Visibility.AFTER_DUE_DATE, Visibility.VISIBLE, v))));
            assertThat(root.get("visibility").asText()).isEqualTo("after_due_date");
            assertThat(root.get("stdout_visibility").asText()).isEqualTo("visible");
            List<String> hidden = new ArrayList<>();
            List<String> visible = new ArrayList<>();
            for (JsonNode t : root.get("tests")) {
                (t.get("name").asText().startsWith("seed-003a › loss") || t.get("name").asText()
                        .equals("seed-003a › dL/dW2") ? hidden : visible).add(t.get("visibility").asText());
            }
            assertThat(hidden).containsOnly(v.word());
            assertThat(visible).containsOnly("visible");
        }
    }

    @Test
    void anUnfinishedSubmissionKeepsThePointsOfTheChecksThatFinished() throws IOException {
        List<CheckResult> finished = results().subList(0, 2);
        JsonNode root = new ObjectMapper().readTree(GradescopeResults.json(GradescopeResults.unfinished("timeout",
                "stopped at the time limit (an endless loop?)", assignments(), finished, TIME, Options.defaults())));
        assertTop(root);
        root.get("tests").forEach(GradescopeResultsTest::assertTest);
        assertThat(root.get("score").asDouble()).isEqualTo(1);
        JsonNode first = root.get("tests").get(0);
        assertThat(first.get("name").asText()).isEqualTo("submission › timeout");
        assertThat(first.get("status").asText()).isEqualTo("failed");
        assertThat(first.get("visibility").asText()).isEqualTo("visible");
        assertThat(first.get("output").asText()).contains("stopped at the time limit");
        assertThat(root.get("tests")).hasSize(3);
        assertThat(root.get("output").asText()).contains("Grading stopped: timeout.")
                .contains("2 checks finished before grading stopped and keep their points.");
    }

    @Test
    void aCompileErrorScoresZero() throws IOException {
        JsonNode root = new ObjectMapper().readTree(GradescopeResults.json(GradescopeResults.unfinished(
                "compile-error", "homework/Relu.java:12: error: ';' expected", assignments(), List.of(), TIME,
                Options.defaults())));
        assertTop(root);
        assertThat(root.get("score").asDouble()).isZero();
        assertThat(root.get("tests")).hasSize(1);
        assertTest(root.get("tests").get(0));
        assertThat(root.get("output").asText()).contains("No check ran, so the score is 0.");
    }

    @Test
    void writingReplacesTheFileInOneStepAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results/results.json");
        GradescopeResults.write(file, GradescopeResults.unfinished("compile-error", "no sources", assignments(),
                List.of(), TIME, Options.defaults()));
        var results = GradescopeResults.graded(assignments(), results(), TIME, Options.defaults());
        GradescopeResults.write(file, results);
        assertThat(Files.readString(file)).isEqualTo(GradescopeResults.json(results));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("results.json");
        }
    }

    private static void assertTop(JsonNode root) {
        assertThat(root.isObject()).isTrue();
        assertThat(names(root)).containsExactly("score", "execution_time", "output", "output_format", "visibility",
                "stdout_visibility", "tests");
        assertThat(TOP_KEYS).containsAll(names(root));
        assertThat(root.get("score").isNumber()).isTrue();
        assertThat(root.get("execution_time").isIntegralNumber()).isTrue();
        assertThat(root.get("output").isTextual()).isTrue();
        assertThat(FORMATS).contains(root.get("output_format").asText());
        assertThat(root.get("output_format").isTextual()).isTrue();
        assertThat(VISIBILITIES).contains(root.get("visibility").asText());
        assertThat(VISIBILITIES).contains(root.get("stdout_visibility").asText());
        assertThat(root.get("tests").isArray()).isTrue();
    }

    private static void assertTest(JsonNode t) {
        assertThat(names(t)).containsExactly("name", "number", "score", "max_score", "status", "output",
                "output_format", "tags", "visibility");
        assertThat(TEST_KEYS).containsAll(names(t));
        assertThat(t.get("name").isTextual()).isTrue();
        assertThat(t.get("number").isTextual()).isTrue();
        assertThat(t.get("number").asText()).matches("\\d+\\.\\d+");
        assertThat(t.get("score").isNumber()).isTrue();
        assertThat(t.get("max_score").isNumber()).isTrue();
        assertThat(t.get("score").asDouble()).isBetween(0.0, t.get("max_score").asDouble());
        assertThat(STATUSES).contains(t.get("status").asText());
        assertThat(t.get("output").isTextual()).isTrue();
        assertThat(FORMATS).contains(t.get("output_format").asText());
        assertThat(t.get("tags").isArray()).isTrue();
        t.get("tags").forEach(tag -> assertThat(tag.isTextual()).isTrue());
        assertThat(VISIBILITIES).contains(t.get("visibility").asText());
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
