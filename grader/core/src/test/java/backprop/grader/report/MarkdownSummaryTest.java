package backprop.grader.report;

import static backprop.grader.report.FormatFixtures.assertGolden;
import static backprop.grader.report.FormatFixtures.assignments;
import static backprop.grader.report.FormatFixtures.results;
import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.check.CheckResult;
import backprop.grader.junit.StudentReport;
import backprop.grader.spec.Checkpoint.Visibility;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Markdown summary of {@code check --markdown}: its public line counts public checks only. */
class MarkdownSummaryTest {
    @Test
    void theSummaryMatchesTheGoldenFile() {
        assertGolden("check-summary.md", StudentReport.markdown(assignments(), results()));
        assertGolden("check-summary.md", FormatFixtures.underGermanLocale(
                () -> StudentReport.markdown(assignments(), results())));
    }

    @Test
    void thePublicLineLeavesHiddenChecksOutAndTheyGetALineOfTheirOwn() {
        List<CheckResult> visible = results().stream().filter(r -> r.visibility() == Visibility.VISIBLE).toList();
        String md = StudentReport.markdown(assignments(), results());
        // the fixtures: public 1.5 of 6 points; hidden 0.25 of 2.25
        assertThat(StudentReport.summaryLine(results())).isEqualTo(StudentReport.summaryLine(visible))
                .startsWith("public checks: 1.5/6 points");
        assertThat(md).contains("**public checks: 1.5/6 points (2 of 5 checks passed) — hidden checks are graded "
                + "separately**").contains("**hidden checks: 0.25/2.25 points (1 of 2 checks passed)**").startsWith("## Backprop homework: public and hidden");
        assertThat(StudentReport.markdown(assignments(), visible)).doesNotContain("hidden checks:")
                .startsWith("## Backprop homework: public checks");
    }

    @Test
    void aSubmissionThatDoesNotCompileShowsTheCompilerInAFenceNoMessageCanClose() {
        String md = StudentReport.markdownNotCompiled(List.of("Relu.java:2: illegal start of expression",
                "A.java:1: ```` in a name"));
        assertThat(md).startsWith("## Backprop homework: does not compile\n")
                .contains("\n`````\nRelu.java:2: illegal start of expression\nA.java:1: ```` in a name\n`````\n");
    }
}
