package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.report.StudentResult;
import backprop.grader.sandbox.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code grade} on submissions that each have one method that never returns (or takes minutes), in the sandboxed
 * child: each is graded, loses exactly what it would lose if that method threw (its twin, graded in the same
 * batch), and the first of those checks names the method and the line where it was stuck. Fixtures: test
 * resources {@code hangs/}.
 */
class HangingClassTest {
    /** Every fixture's method is called here: each op alone, and inside networks (see HangingSubmissionTest). */
    static final List<String> ASSIGNMENTS = List.of("ops", "seed-002d", "seed-003a");

    @TempDir
    static Path tmp;
    static final Map<String, StudentResult> RESULTS = new ConcurrentHashMap<>();
    static final Map<String, List<CheckResult>> CHECKS = new ConcurrentHashMap<>();
    static String log;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(TestFiles.root().resolve("grader/core/src/test/resources/hangs"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @BeforeAll
    static void gradeTheClass() throws IOException {
        Path subs = Files.createDirectories(tmp.resolve("class"));
        for (String f : fixtures().toList()) {
            overlay(TestFiles.hangDir(f).resolve("homework"), subs.resolve(f).resolve("homework"));
            overlay(TestFiles.hangTwinDir(f).resolve("homework"), subs.resolve(f + "-twin").resolve("homework"));
        }
        StringWriter err = new StringWriter();
        Limits limits = Limits.DEFAULT.withWall(Duration.ofSeconds(60)).withCall(Duration.ofSeconds(1));
        BatchGrader.run(new BatchGrader.Options(subs, tmp.resolve("reports"),
                ASSIGNMENTS.stream().map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList(),
                Optional.empty(), 2, limits, Duration.ofSeconds(60), true, HostileClassTest.choice()),
                TestFiles.reference(), TestFiles.referenceSources(), "test", new PrintWriter(err, true), (r, c) -> {
                    RESULTS.put(r.student(), r);
                    CHECKS.put(r.student(), c);
                });
        log = err.toString();
    }

    private static void overlay(Path classes, Path into) throws IOException {
        HostileClassTest.copyReference(into);
        try (Stream<Path> s = Files.list(classes)) {
            for (Path f : s.toList()) {
                Files.copy(f, into.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aHangIsGradedAndCostsWhatAnExceptionInTheSameMethodCosts(String fixture) throws IOException {
        assertThat(RESULTS).as(log).containsKeys(fixture, fixture + "-twin");
        StudentResult hung = RESULTS.get(fixture);
        assertThat(hung.status()).as(hung.reason()).isEqualTo(SubmissionStatus.GRADED.word());
        assertThat(hung.total()).isEqualTo(RESULTS.get(fixture + "-twin").total()).isPositive();
        assertThat(CHECKS.get(fixture)).extracting(c -> c.assignment() + " › " + c.check() + ": " + c.status().word())
                .containsExactlyElementsOf(CHECKS.get(fixture + "-twin").stream().map(c -> c.assignment() + " › "
                        + c.check() + ": " + c.status().word()).toList());

        Path source;
        try (Stream<Path> s = Files.list(TestFiles.hangDir(fixture).resolve("homework"))) {
            source = s.findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(source);
        Pattern marker = Pattern.compile("// HANG: (.+?) (never returns|takes .*)");
        int line = 0;
        while (!marker.matcher(lines.get(line)).find()) {
            line++;
        }
        Matcher m = marker.matcher(lines.get(line));
        String method = m.find() ? m.group(1) : "";
        String where = source.getFileName() + ":" + (line + 1) + " (" + method + ")";
        assertThat(CHECKS.get(fixture)).extracting(CheckResult::message)
                .anySatisfy(msg -> assertThat(msg).startsWith(method + " did not return within 1 s; it was ")
                        .contains(where));
    }
}
