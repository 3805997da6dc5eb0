package backprop.grader.junit;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.batch.BatchGrader;
import backprop.grader.check.CheckResult;
import backprop.grader.export.TemplateExport;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A student's {@code mvn test} (the public copies of the assignments, no reference, the exported expected values)
 * and the grade ({@code grade}: the sandboxed child, the reference in the grader) count the same visible checks,
 * with the same points and statuses, for the reference and for buggy submissions.
 */
class LocalRunAgreesWithTheGradeTest {
    static final List<String> SUBMISSIONS = List.of("reference", "stubs", "sigmoid-derivative-as-sigmoid",
            "batch-mean-missing", "optimizer-adds-gradient", "reverse-pass-assigns");

    @TempDir
    static Path dir;
    static Path exported;
    static final Map<String, List<CheckResult>> GRADED = new ConcurrentHashMap<>();

    /** Grades the class once, as {@code grade} does, and makes the student's copy of the assignments. */
    @BeforeAll
    static void gradeTheClassAndExportTheAssignments() throws IOException {
        Path subs = Files.createDirectories(dir.resolve("class"));
        for (String s : SUBMISSIONS) {
            copy(TestFiles.referenceSources().resolve("homework"), subs.resolve(s).resolve("homework"));
            if (s.equals("stubs")) {
                copy(TestFiles.root().resolve("student-template/src/main/java/homework"), subs.resolve(s).resolve(
                        "homework"));
            } else if (!s.equals("reference")) {
                copy(TestFiles.fixtureDir(s).resolve("homework"), subs.resolve(s).resolve("homework"));
            }
        }
        BatchGrader.run(new BatchGrader.Options(subs, dir.resolve("reports"), List.of(TestFiles.publicAssignments()),
                Optional.empty(), 2, Limits.DEFAULT.withWall(Duration.ofSeconds(120)), Duration.ofSeconds(60), true,
                Sandbox.Choice.AUTO), TestFiles.reference(), TestFiles.referenceSources(), "test",
                new PrintWriter(new StringWriter(), true), (r, checks) -> GRADED.put(r.student(), checks));
        exported = Files.createDirectories(dir.resolve("assignments"));
        try (Stream<Path> s = Files.list(TestFiles.publicAssignments())) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                TemplateExport.publicCopy(f, exported.resolve(f.getFileName()));
            }
        }
        ExpectedValues.compute(AssignmentSet.load(List.of(exported)).assignments(), TestFiles.reference())
                .write(exported.resolve(ExpectedValues.FILE));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Each check as {@code assignment › check → status points/possible}. */
    private static Map<String, String> table(List<CheckResult> results) {
        Map<String, String> out = new TreeMap<>();
        for (CheckResult r : results) {
            out.put(r.assignment() + " › " + r.check(), r.status().word() + " " + r.earned() + "/" + r.possible());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reference", "stubs", "sigmoid-derivative-as-sigmoid", "batch-mean-missing",
        "optimizer-adds-gradient", "reverse-pass-assigns"})
    void theStudentSeesEveryVisibleCheckTheGradeCountsWithTheSamePointsAndStatus(String who) throws Exception {
        assertThat(GRADED).containsKey(who);
        List<CheckResult> grade = GRADED.get(who).stream().filter(r -> r.visibility() == Visibility.VISIBLE)
                .filter(r -> !r.kind().equals("submission")).toList();
        Path classes = dir.resolve("classes-" + who);
        PublicChecks.Run run = new PublicChecks.Run(exported, exported.resolve(ExpectedValues.FILE),
                Submission.compile(who, List.of(dir.resolve("class").resolve(who)), classes), "", Selection.all(),
                dir.resolve("local-" + who + "/summary.md"), "");
        List<CheckResult> local = PublicChecks.grade(run).results();
        assertThat(table(local)).isEqualTo(table(grade));
        if (who.equals("reference")) {
            assertThat(local).allSatisfy(r -> assertThat(r.status().earnsPoints()).as(r.check()).isTrue());
        }
    }
}
