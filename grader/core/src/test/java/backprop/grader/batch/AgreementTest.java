package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Grader;
import backprop.grader.report.StudentResult;
import backprop.grader.sandbox.Limits;
import backprop.grader.submission.Submission;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grading a submission in a batch, in its own sandboxed JVM, gives check for check what {@code grader check}
 * gives in process: the same statuses, points, messages, diagnoses and per-student variants.
 */
class AgreementTest {
    @Test
    void aBatchGradesExactlyAsTheGraderDoesInProcess(@TempDir Path tmp) throws Exception {
        Path bob = TestFiles.sampleClass().resolve("bob");
        Path subs = Files.createDirectories(tmp.resolve("class"));
        copy(bob, subs.resolve("s042"));
        BatchGrader.Summary s = BatchGrader.run(new BatchGrader.Options(subs, tmp.resolve("out"),
                List.of(TestFiles.root().resolve("assignments")), Optional.empty(), 1,
                Limits.DEFAULT.withWall(Duration.ofSeconds(30)), Duration.ofSeconds(60), false,
                HostileBatch.choice()), TestFiles.reference(), TestFiles.referenceSources(), "test",
                new PrintWriter(new StringWriter(), true));
        StudentResult batch = new ResultStore(tmp.resolve("out").resolve(BatchGrader.RESULTS)).load("s042")
                .orElseThrow();
        assertThat(s.byStatus()).containsEntry("graded", 1);

        Grader grader = new Grader(TestFiles.assignments(), Optional.of(TestFiles.reference()));
        List<CheckResult> local = grader.grade(Submission.compile("s042", List.of(bob), tmp.resolve("classes")),
                Optional.of("s042"));
        List<StudentResult.CheckRow> expected = local.stream().map(StudentResult.CheckRow::of).toList();
        assertThat(batch.checks()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(batch.checks().get(i)).as(expected.get(i).assignment() + " " + expected.get(i).check())
                    .isEqualTo(expected.get(i));
        }
        assertThat(batch.total()).isEqualTo(local.stream().mapToDouble(CheckResult::earned).sum());
        assertThat(batch.checks()).anyMatch(c -> c.variant() != null);
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
