package backprop.grader.junit;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A student's {@code mvn test} on a submission with one method that never returns (or takes minutes): it loses
 * exactly the checks it would lose if that method threw, and the first of them names the method and the line where
 * it was stuck. Fixtures: test resources {@code hangs/}.
 */
class HangingSubmissionTest {
    static final Duration LIMIT = Duration.ofMillis(300);

    @TempDir
    static Path dir;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(TestFiles.root().resolve("grader/core/src/test/resources/hangs"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** The method that hangs and the line that calls what hangs, from the fixture's {@code // HANG:} comment. */
    record Marked(String method, String file, int line) {}

    static Marked marked(String fixture) throws IOException {
        try (Stream<Path> s = Files.list(TestFiles.hangDir(fixture).resolve("homework"))) {
            Path f = s.findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = Pattern.compile("// HANG: (.+?) (never returns|takes .*)").matcher(lines.get(i));
                if (m.find()) {
                    return new Marked(m.group(1), f.getFileName().toString(), i + 1);
                }
            }
        }
        throw new IllegalStateException("no // HANG: line in " + fixture);
    }

    static List<CheckResult> grade(Components c) {
        // every fixture's method is called here: each op alone (ops), and inside networks with a reverse pass, a
        // softmax cross-entropy (seed-002d), tanh layers and an optimizer step (seed-003a)
        PublicChecks.Run run = new PublicChecks.Run(TestFiles.publicAssignments(), TestFiles.expectedValues(), c, "",
                Selection.of("ops, seed-002d, seed-003a"), dir.resolve(c.label() + "/summary.md"),
                "");
        return PublicChecks.grade(run).results();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aHangCostsWhatAnExceptionInTheSameMethodCostsAndSaysWhereItWasStuck(String fixture) throws IOException {
        Marked m = marked(fixture);
        List<CheckResult> hung = grade(TestFiles.hang(fixture, LIMIT));
        List<CheckResult> twin = grade(TestFiles.hangTwin(fixture));
        assertThat(hung).extracting(r -> r.assignment() + " › " + r.check() + ": " + r.status().word() + " "
                + r.earned()).containsExactlyElementsOf(twin.stream().map(r -> r.assignment() + " › " + r.check()
                        + ": " + r.status().word() + " " + r.earned()).toList());
        assertThat(hung).anyMatch(r -> r.status().earnsPoints()).anyMatch(r -> !r.status().earnsPoints());

        String stuck = m.method() + " did not return within 0.3 s; it was ";
        String where = m.file() + ":" + m.line() + " (" + m.method() + ")";
        List<String> messages = hung.stream().map(CheckResult::message).toList();
        assertThat(messages).filteredOn(x -> x.contains(stuck)).isNotEmpty()
                .allSatisfy(x -> assertThat(x).contains(where));
        // the hang is reported once; every later call fails at once and says why
        assertThat(messages).filteredOn(x -> x.contains(m.method()) && !x.contains(stuck))
                .allSatisfy(x -> assertThat(x).contains("skipped: " + m.method() + " hung earlier (it was at "));
    }
}
