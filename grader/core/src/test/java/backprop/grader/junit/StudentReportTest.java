package backprop.grader.junit;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.submission.Components;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What a student reads in {@code mvn test}: names, failure messages, skips and the closing line. */
class StudentReportTest {

    private static List<DynamicTest> flatten(Stream<? extends DynamicNode> nodes) {
        List<DynamicTest> out = new ArrayList<>();
        nodes.forEach(n -> {
            if (n instanceof DynamicContainer c) {
                out.addAll(flatten(c.getChildren()));
            } else {
                out.add((DynamicTest) n);
            }
        });
        return out;
    }

    private static Throwable run(DynamicTest t) {
        try {
            t.getExecutable().execute();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    @TempDir
    static Path dir;

    /** A run of the public checks as a student's {@code mvn test} makes it, on {@code c}. */
    static PublicChecks.Run run(Components c, String selftest, Selection selection) {
        return new PublicChecks.Run(TestFiles.publicAssignments(), TestFiles.expectedValues(), c, selftest, selection,
                dir.resolve("grading-" + c.label() + "-" + selftest + "-" + selection.text().hashCode() + "/summary.md"),
                "test");
    }

    private static List<DynamicTest> testsFor(Components c) {
        return flatten(PublicChecks.tests(run(c, "", Selection.all())));
    }

    @Test
    void aWrongGradientFailsWithWhereByHowMuchFiniteDifferencesAndTheLikelyCause() {
        DynamicTest t = testsFor(TestFiles.fixture("loss-gradient-sign-flipped")).stream()
                .filter(x -> x.getDisplayName().equals("seed-000 › dJ/dW2")).findFirst().orElseThrow();
        Throwable e = run(t);
        assertThat(e).isInstanceOf(AssertionFailedError.class);
        assertThat(e.getMessage()).contains("seed-000 › dJ/dW2 — failed (0/2 points)")
                .contains("worst entry:  dJ/dW2[0][0]").contains("expected:     -1").contains("yours:        1")
                .contains("abs error 2, rel error 2").contains("finite differences of your forward pass give -1")
                .contains("likely cause: ").contains("opposite sign");
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void aCheckWhosePrerequisiteFailedIsAbortedWithTheReason() {
        DynamicTest t = testsFor(TestFiles.stubs()).stream()
                .filter(x -> x.getDisplayName().equals("seed-000 › dJ/dW1")).findFirst().orElseThrow();
        assertThat(run(t)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs the forward pass, which failed at 'a1': not implemented yet: "
                        + "Affine.forward");
    }

    @Test
    void hiddenChecksAreNeitherRunNorCounted() {
        List<DynamicTest> tests = testsFor(TestFiles.reference());
        assertThat(tests).noneMatch(t -> t.getDisplayName().equals("seed-001 › dL/dW1"));
        assertThat(tests).allSatisfy(t -> assertThat(run(t)).isNull());
        String last = tests.get(tests.size() - 1).getDisplayName();
        assertThat(last).matches("public checks: (\\d+(?:\\.\\d+)?)/\\1 points \\((\\d+) of \\2 checks passed\\) — "
                + "hidden checks are graded separately");
    }

    @Test
    void theSummaryLineAddsUpPoints() {
        CheckResult half = new CheckResult("a", "c", "gradient", Status.PASSED, 37.5, 37.5, Visibility.VISIBLE,
                Optional.empty(), "", Optional.empty());
        CheckResult none = new CheckResult("a", "d", "gradient", Status.FAILED, 0, 12.5, Visibility.VISIBLE,
                Optional.empty(), "", Optional.empty());
        assertThat(StudentReport.summaryLine(List.of(half, none)))
                .isEqualTo("public checks: 37.5/50 points (1 of 2 checks passed) — hidden checks are graded separately");
    }

    @Test
    void selfTestModePassesOnTheStubsAndFailsOnAnythingElse() {
        List<DynamicTest> onStubs = flatten(PublicChecks.tests(run(TestFiles.stubs(), "stubs", Selection.all())));
        assertThat(onStubs).allSatisfy(t -> assertThat(run(t)).isNull());
        List<DynamicTest> onReference = flatten(PublicChecks.tests(run(TestFiles.reference(), "stubs",
                Selection.all())));
        assertThat(onReference.subList(0, onReference.size() - 1)).allSatisfy(t ->
                assertThat(run(t)).isInstanceOf(AssertionFailedError.class));
    }
}
