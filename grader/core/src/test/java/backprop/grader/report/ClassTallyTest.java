package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import backprop.grader.report.StudentResult.AssignmentPoints;
import backprop.grader.report.StudentResult.CheckRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The class's figures: the histogram as scores.csv buckets it, quantiles, pass rates and faults. */
class ClassTallyTest {
    static final List<ScoreCards.Column> COLUMNS = List.of(new ScoreCards.Column("seed-000", 3),
            new ScoreCards.Column("ops", 1));

    static CheckRow check(String assignment, String check, String status, boolean hidden, String component,
            String diagnosis) {
        boolean right = status.equals("passed") || status.equals("inconclusive");
        return new CheckRow(assignment, check, check.contains(" › ") ? "unit" : "gradient", right ? 1 : 0, 1, status,
                null, null, null, null,
                status + " " + check, null, hidden, component, diagnosis);
    }

    static StudentResult student(String id, String status, double total, double max, List<CheckRow> checks) {
        return new StudentResult("k", id, "", id, status, status + " reason", total, max,
                List.of(new AssignmentPoints("seed-000", Math.min(total, 3), 3),
                        new AssignmentPoints("ops", Math.max(0, total - 3), 1)), checks, List.of(), "bwrap", 1, "t");
    }

    /** Four checks, of which {@code wrong} fail (by a sign flip in Sigmoid.backward). */
    static List<CheckRow> checks(int wrong) {
        List<CheckRow> out = new ArrayList<>();
        String[] ids = {"a1", "dL/dz", "dL/dW", "relu › backward"};
        for (int i = 0; i < ids.length; i++) {
            boolean bad = i >= ids.length - wrong;
            out.add(check(i < 3 ? "seed-000" : "ops", ids[i], bad ? "failed" : "passed", i == 2,
                    bad ? "Sigmoid.backward" : null, bad ? "a sign is flipped somewhere; verdict: yours alone" : null));
        }
        return out;
    }

    @Test
    void theHistogramBucketsEachScoreAsScoresCsvWritesItsPercent() {
        assertThat(ClassTally.bucket(0, 272)).isZero();
        assertThat(ClassTally.bucket(272, 272)).isEqualTo(9);
        assertThat(ClassTally.bucket(27.2, 272)).isEqualTo(1);
        assertThat(ClassTally.bucket(0, 0)).isZero();
        Random random = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            double max = 1 + random.nextInt(400);
            double total = Math.round(random.nextDouble() * max * 8) / 8.0;
            double percent = Double.parseDouble(ScoreCards.percent(total, max));
            assertThat(ClassTally.bucket(total, max)).as("%s of %s (%s %%)", total, max, percent)
                    .isEqualTo(Math.min(9, (int) Math.floor(percent / 10)));
        }
    }

    @Test
    void quantilesInterpolateBetweenRanksAsNumPyDoes() {
        ClassTally t = ClassTally.of(COLUMNS, IntStream.of(4, 1, 3, 2).mapToObj(p -> student("s" + p, "graded", p,
                4, List.of())).toList());
        assertThat(t.quantile(0)).isEqualTo(1);
        assertThat(t.quantile(0.25)).isCloseTo(1.75, within(1e-12));
        assertThat(t.quantile(0.5)).isCloseTo(2.5, within(1e-12));
        assertThat(t.quantile(0.75)).isCloseTo(3.25, within(1e-12));
        assertThat(t.quantile(1)).isEqualTo(4);
        assertThat(t.mean()).isEqualTo(2.5);
        ClassTally ties = ClassTally.of(COLUMNS, IntStream.of(2, 2, 2, 0, 4).mapToObj(p -> student("t" + p,
                "graded", p, 4, List.of())).toList());
        assertThat(ties.quantile(0.5)).isEqualTo(2);
        assertThat(ties.quantile(0.25)).isEqualTo(2);
        ClassTally none = ClassTally.of(COLUMNS, List.of());
        assertThat(none.quantile(0.5)).isZero();
        assertThat(none.mean()).isZero();
        assertThat(none.checksByRate()).isEmpty();
    }

    @Test
    void aCheckIsPassedByTheShareOfTheWholeClassIncludingSubmissionsThatNeverRan() {
        List<StudentResult> cls = List.of(student("ann", "graded", 4, 4, checks(0)),
                student("bob", "graded", 2, 4, checks(2)), student("cy", "compile-error", 0, 4, List.of()),
                student("di", "graded", 3, 4, List.of(check("seed-000", "a1", "inconclusive", false, null, null),
                        check("seed-000", "dL/dz", "skipped", false, null, null),
                        check("seed-000", "dL/dW", "error", true, null, null),
                        check("ops", "relu › backward", "passed", false, null, null))));
        ClassTally t = ClassTally.of(COLUMNS, cls);
        assertThat(t.students).isEqualTo(4);
        assertThat(t.statuses).containsEntry("graded", 3).containsEntry("compile-error", 1);
        assertThat(t.checksByRate()).extracting(c -> c.check + " " + c.passed).containsExactly("dL/dW 1",
                "dL/dz 2", "relu › backward 2", "a1 3");
        assertThat(t.checksByRate().get(0).hidden).isTrue();
        assertThat(t.checksByRate().get(0).rate(t.students)).isEqualTo(0.25);
        assertThat(t.assignments.get("seed-000").full).isEqualTo(2);
        assertThat(t.histogram).containsExactly(1, 0, 0, 0, 0, 1, 0, 1, 0, 1);
    }

    @Test
    void aFaultCountsEachStudentOnceAndNamesTheFirstOfThem() {
        List<StudentResult> cls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cls.add(student(String.format("s%02d", i), "graded", 2, 4, checks(i % 2 == 0 ? 2 : 1)));
        }
        cls.add(student("odd", "graded", 3, 4, List.of(check("ops", "relu › backward", "error", false, null, null))));
        ClassTally t = ClassTally.of(COLUMNS, cls);
        assertThat(t.faults()).hasSize(2);
        ClassTally.Fault top = t.faults().get(0);
        assertThat(top.component).isEqualTo("Sigmoid.backward");
        assertThat(top.cause).isEqualTo("a sign is flipped somewhere");
        assertThat(top.count).isEqualTo(50);
        assertThat(top.who).hasSize(ClassTally.WHO).startsWith("s00", "s01");
        assertThat(t.faults().get(1).component).isEqualTo("Relu.backward");
    }

    @Test
    void distinctFaultsBeyondTheLimitAreCountedNotKept() {
        List<StudentResult> cls = new ArrayList<>();
        for (int i = 0; i < ClassTally.MAX_FAULTS + 30; i++) {
            cls.add(student("s" + i, "graded", 0, 4, List.of(check("ops", "x", "failed", false, "M" + i + ".m",
                    "cause " + i))));
        }
        ClassTally t = ClassTally.of(COLUMNS, cls);
        assertThat(t.faults()).hasSize(ClassTally.MAX_FAULTS);
        assertThat(t.otherFaults).isEqualTo(30);
    }
}
