package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.report.Diff.Kind;
import backprop.grader.report.Diff.StudentChange;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Diff} on hand-made gradings: matching students in any order, and a folder that is not a grading. */
class DiffTest {
    private static final String SCORES_HEADER = "student,name,a,total,maximum,percent,status,reason\n"
            + "(points possible),,3,3,3,100.00,,\n";
    private static final String DETAILS_HEADER = String.join(",", ScoreCards.DETAILS_HEADER) + "\n";

    @TempDir
    Path tmp;

    /** A grading folder; each student is "id:status:total" followed by checks "check=status:points". */
    private Path grading(String name, String... students) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        StringBuilder scores = new StringBuilder(SCORES_HEADER);
        StringBuilder details = new StringBuilder(DETAILS_HEADER);
        for (String s : students) {
            String[] parts = s.split(" ");
            String[] head = parts[0].split(":");
            scores.append(head[0]).append(",,").append(head[2]).append(',').append(head[2]).append(",3,0.00,")
                    .append(head[1]).append(",why\n");
            details.append(head[0]).append(",,,submission,").append(head[2]).append(",3,").append(head[1])
                    .append(",,,,,why,\n");
            for (int i = 1; i < parts.length; i++) {
                String[] c = parts[i].split("[=:]");
                details.append(head[0]).append(",a,").append(c[0]).append(",forward,").append(c[2]).append(",1,")
                        .append(c[1]).append(",,,,,msg,\n");
            }
        }
        Files.writeString(dir.resolve("scores.csv"), scores);
        Files.writeString(dir.resolve("details.csv"), details);
        return dir;
    }

    private List<StudentChange> diff(Path before, Path after) throws IOException {
        List<StudentChange> all = new ArrayList<>();
        Diff.compare(before, after, all::add);
        return all;
    }

    @Test
    void studentsMatchInAnyOrderAndThoseInOneGradingOnlyComeLast() throws IOException {
        Path before = grading("before", "ann:graded:3 x=passed:1 y=passed:1 z=passed:1",
                "bob:graded:1 x=passed:1 y=failed:0 z=failed:0", "cy:graded:3 x=passed:1 y=passed:1 z=passed:1");
        Path after = grading("after", "dan:graded:0 x=failed:0 y=failed:0 z=failed:0",
                "cy:graded:3 x=passed:1 y=passed:1 z=passed:1", "bob:graded:2 x=passed:1 y=passed:1 z=failed:0");
        List<StudentChange> changes = diff(before, after);
        assertThat(changes).extracting(c -> c.student() + " " + c.kind()).containsExactly("cy UNCHANGED",
                "bob CHANGED", "ann REMOVED", "dan ADDED");
        StudentChange bob = changes.get(1);
        assertThat(bob.checks()).singleElement().satisfies(k -> {
            assertThat(k.check()).isEqualTo("y");
            assertThat(k.before()).contains(new Diff.Outcome("failed", 0, 1));
            assertThat(k.after()).contains(new Diff.Outcome("passed", 1, 1));
        });
        assertThat(changes.get(2).after()).isEmpty();
        assertThat(changes.get(3).before()).isEmpty();
    }

    @Test
    void aSubmissionThatRanNoCheckIsComparedByItsStatusAndTotalAlone() throws IOException {
        Path before = grading("before", "bob:graded:2 x=passed:1 y=passed:1 z=failed:0", "cy:compile-error:0",
                "dee:compile-error:0 x=skipped:0 y=skipped:0 z=skipped:0");
        Path after = grading("after", "bob:compile-error:0", "cy:graded:3 x=passed:1 y=passed:1 z=passed:1",
                "dee:compile-error:0");
        List<StudentChange> changes = diff(before, after);
        assertThat(changes).extracting(StudentChange::kind).containsExactly(Kind.CHANGED, Kind.CHANGED,
                Kind.UNCHANGED);
        assertThat(changes.get(0).checks()).as("not three checks that 'changed' to not run").isEmpty();
        assertThat(changes.get(0).after().orElseThrow().ran()).isFalse();
        assertThat(changes.get(1).before().orElseThrow().ran()).isFalse();
    }

    @Test
    void theCsvHasARowPerStudentAndAfterItTheChangedChecks() throws IOException {
        Path before = grading("before", "bob:graded:1 x=passed:1 y=failed:0", "cy:graded:1 x=passed:1");
        Path after = grading("after", "bob:graded:2 x=passed:1 y=passed:1", "cy:graded:1 x=passed:1");
        StringWriter csv = new StringWriter();
        Diff.compare(before, after, Diff.csv(csv));
        assertThat(csv.toString()).isEqualTo("""
                student,change,assignment,check,status_before,status_after,points_before,points_after,max_before,\
                max_after\r
                bob,changed,,,graded,graded,1,2,3,3\r
                bob,changed,a,y,failed,passed,0,1,1,1\r
                cy,unchanged,,,graded,graded,1,1,3,3\r
                """);
    }

    @Test
    void aFolderThatIsNotAGradingIsNamed() throws IOException {
        Path good = grading("good", "ann:graded:3 x=passed:1");
        assertThatThrownBy(() -> diff(tmp.resolve("nope"), good)).hasMessage("no such folder: " + tmp.resolve("nope"));
        Path half = Files.createDirectories(tmp.resolve("half"));
        Files.copy(good.resolve("scores.csv"), half.resolve("scores.csv"));
        assertThatThrownBy(() -> diff(good, half)).hasMessage(half + " has no details.csv (is it the output folder "
                + "of grader grade?)");
        Path other = grading("other", "ann:graded:3");
        Files.writeString(other.resolve("details.csv"), "student,points\nann,1\n");
        assertThatThrownBy(() -> diff(good, other)).hasMessage(other.resolve("details.csv") + ":1: no 'assignment' "
                + "column (not a file grader grade wrote?)");
    }

    @Test
    void scoresAndDetailsOutOfStepAreNamedByFileAndLine() throws IOException {
        Path good = grading("good", "ann:graded:3 x=passed:1", "bob:graded:1");
        Path swapped = grading("swapped", "ann:graded:3 x=passed:1", "bob:graded:1");
        String details = Files.readString(swapped.resolve("details.csv"));
        Files.writeString(swapped.resolve("details.csv"), details.replace("bob,", "zed,"));
        assertThatThrownBy(() -> diff(good, swapped)).hasMessage(swapped.resolve("details.csv") + ":4: has the rows "
                + "of 'zed' where scores.csv (line 4) has 'bob' next");
        Path extra = grading("extra", "ann:graded:3 x=passed:1");
        Files.writeString(extra.resolve("details.csv"), Files.readString(extra.resolve("details.csv"))
                + "zed,,,submission,0,3,graded,,,,,why,\n");
        assertThatThrownBy(() -> diff(good, extra)).hasMessageContaining("rows of 'zed', who has no row in scores.csv");
    }

    @Test
    void aStudentOrACheckTwiceIsAnError() throws IOException {
        Path good = grading("good", "ann:graded:3 x=passed:1");
        Path twice = grading("twice", "ann:graded:3 x=passed:1", "ann:graded:3 x=passed:1");
        assertThatThrownBy(() -> diff(good, twice)).hasMessage(twice.resolve("scores.csv") + ": the student 'ann' has "
                + "two rows");
        Path check = grading("check", "ann:graded:3 x=passed:1 x=failed:0");
        assertThatThrownBy(() -> diff(good, check)).hasMessage(check.resolve("details.csv") + ":4: 'ann' has a › x "
                + "twice");
    }

    @Test
    void aBrokenCellIsNamedNotThrownAsAStackTrace() throws IOException {
        Path good = grading("good", "ann:graded:3 x=passed:1");
        Path nan = grading("nan", "ann:graded:3 x=passed:lots");
        assertThatThrownBy(() -> diff(good, nan)).isInstanceOf(IOException.class)
                .hasMessage(nan.resolve("details.csv") + ":3: 'lots' is not a number");
        Path quote = grading("quote", "ann:graded:3 x=passed:1");
        Files.writeString(quote.resolve("details.csv"), Files.readString(quote.resolve("details.csv"))
                .replace("msg", "\"unclosed"));
        assertThatThrownBy(() -> diff(good, quote)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("not a readable grading (near " + quote.resolve("details.csv"));
    }
}
