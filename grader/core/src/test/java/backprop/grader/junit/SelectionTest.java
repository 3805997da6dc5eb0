package backprop.grader.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import backprop.grader.check.CheckResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -Dcheck=}: one assignment, one check, several, none by mistake. */
class SelectionTest {
    @TempDir
    static Path dir;

    private static List<CheckResult> graded(String check) {
        return PublicChecks.grade(new PublicChecks.Run(TestFiles.publicAssignments(), TestFiles.expectedValues(),
                TestFiles.reference(), "", Selection.of(check), dir.resolve("summary.md"), "")).results();
    }

    private static List<String> names(List<CheckResult> rs) {
        return rs.stream().map(StudentReport::testName).toList();
    }

    @Test
    void patternsMatchTestNamesAndAssignmentIdsIgnoringCaseAndSpaces() {
        Selection s = Selection.of("seed-003a › dL/dW2");
        assertThat(s.selects("seed-003a", "dL/dW2")).isTrue();
        assertThat(s.selects("seed-003a", "dL/dW1")).isFalse();
        assertThat(Selection.of("SEED-003A>DL/DW2").selects("seed-003a", "dL/dW2")).isTrue();
        assertThat(Selection.of("seed-003a>dL/dW?").selects("seed-003a", "dL/dW1")).isTrue();
        assertThat(Selection.of("seed-001").selects("seed-001", "z1")).isTrue();
        assertThat(Selection.of("seed-001").selects("seed-0010", "z1")).isFalse();
        assertThat(Selection.of("*dW2").selects("seed-000", "dJ/dW2")).isTrue();
        assertThat(Selection.of("ops › relu*").selects("ops", "relu › backward")).isTrue();
        assertThat(Selection.of("ops › relu*").selects("ops", "reverse_pass › gradients")).isFalse();
        assertThat(Selection.of("seed-00*, !seed-000").selects("seed-000", "a1")).isFalse();
        assertThat(Selection.of("seed-00*, !seed-000").selects("seed-001", "z1")).isTrue();
        assertThat(Selection.of("!scale*").selects("ops", "relu › backward")).isTrue();
        assertThat(Selection.of(" ").isAll()).isTrue();
    }

    @Test
    void anAssignmentNobodyAskedForIsNotGraded() {
        var all = TestFiles.assignments();
        var scale = all.stream().filter(a -> a.id().equals("scale-784-128-10")).findFirst().orElseThrow();
        var ops = all.stream().filter(a -> a.id().equals("ops")).findFirst().orElseThrow();
        assertThat(Selection.of("seed-001*").mayGrade(scale)).isFalse();
        assertThat(Selection.of("ops › relu*").mayGrade(ops)).isTrue();
        assertThat(Selection.of("ops › relu*").mayGrade(scale)).isFalse();
        assertThat(Selection.of("*dW2").mayGrade(scale)).isTrue();
        assertThat(Selection.of("!scale*").mayGrade(scale)).isFalse();
        assertThat(Selection.of("!scale*").mayGrade(ops)).isTrue();
    }

    @Test
    void oneAssignmentOrOneCheckRunsAlone() {
        assertThat(names(graded("seed-001"))).isNotEmpty().allMatch(n -> n.startsWith("seed-001 › "))
                .contains("seed-001 › dL/dv");
        assertThat(names(graded("seed-003a > dL/dW2"))).containsExactly("seed-003a › dL/dW2");
        assertThat(names(graded("seed-000 › a1, ops › relu › forward"))).containsExactly("ops › relu › forward",
                "seed-000 › a1");
    }

    @Test
    void aPatternThatMatchesNothingFailsWithTheAssignments() {
        assertThatThrownBy(() -> graded("seed-001, seed-01*")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("-Dcheck: 'seed-01*' matches no public check. The assignments:")
                .hasMessageContaining("seed-003a").hasMessageContaining("scale-784-128-10")
                .hasMessageContaining("-Dcheck=seed-001").hasMessageContaining("-Dcheck='seed-003a > dL/dW2'");
    }

    @Test
    void theLineAndTheSummarySayWhatWasSelected() {
        List<CheckResult> rs = graded("seed-001");
        assertThat(StudentReport.summaryLine(rs, Selection.of("seed-001"), ""))
                .matches("public checks matching -Dcheck=seed-001: \\d+/\\d+ points \\(\\d+ of \\d+ checks passed\\) "
                        + "— ./mvnw test runs them all");
    }
}
