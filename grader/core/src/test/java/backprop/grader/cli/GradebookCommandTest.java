package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grader gradebook}: what a TA types, and what stops it with exit 2 before anything is written. */
class GradebookCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @TempDir
    Path dir;
    private Path scores;
    private Path roster;
    private Path gradebook;

    @BeforeEach
    void files() throws Exception {
        scores = Files.writeString(dir.resolve("scores.csv"), """
                student,name,seed-000,seed-001,total,maximum,percent,status,reason
                (points possible),,12,13,25,25,100.00,,
                ada,,12,13,25,25,100.00,graded,all 20 checks passed
                bob,,0,0,0,25,0.00,compile-error,does not compile: Relu.java:13: ';' expected
                """);
        roster = Files.writeString(dir.resolve("roster.csv"), """
                id,name,canvas_id,section
                ada,"Lovelace, Ada",1001,A
                bob,"Babbage, Charles",1002,A
                alan,"Turing, Alan",1003,B
                """);
        gradebook = dir.resolve("gradebook.csv");
    }

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void theTotalGoesToTheNamedCanvasAssignmentAndAStudentWithoutAScoreIsNamed() throws Exception {
        int code = run("gradebook", "--scores", scores.toString(), "--roster", roster.toString(), "--out",
                gradebook.toString(), "--canvas-assignment", "Backprop HW (12345)");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readAllLines(gradebook)).containsExactly(
                "Student,ID,SIS User ID,SIS Login ID,Section,Backprop HW (12345)",
                "\"    Points Possible\",,,,,25",
                "\"Lovelace, Ada\",1001,,,A,25",
                "\"Babbage, Charles\",1002,,,A,0",
                "\"Turing, Alan\",1003,,,B,");
        assertThat(err.toString()).contains("warning: no score for 'alan' (Turing, Alan), roster line 4");
        assertThat(out.toString()).contains("wrote " + gradebook);
    }

    @Test
    void perAssignmentColumnsMapToCanvasIdsFromTheCommandLine() throws Exception {
        int code = run("gradebook", "--scores", scores.toString(), "--roster", roster.toString(), "--out",
                gradebook.toString(), "--per-assignment", "--canvas-id", "seed-001=4711");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readAllLines(gradebook).get(0))
                .isEqualTo("Student,ID,SIS User ID,SIS Login ID,Section,seed-000,seed-001 (4711)");
    }

    @Test
    void withoutScoresToReadItStopsAndWritesNothing() {
        int code = run("gradebook", "--scores", dir.resolve("none.csv").toString(), "--roster", roster.toString(),
                "--out", gradebook.toString(), "--canvas-assignment", "HW (1)");
        assertThat(code).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("no scores to read: " + dir.resolve("none.csv") + " does not exist");
        assertThat(gradebook).doesNotExist();
    }

    @Test
    void scoresOfAnotherClassAreRefusedRatherThanWrittenAsAnEmptyGradebook() throws Exception {
        Path sample = Files.writeString(dir.resolve("sample.csv"), """
                student,name,seed-000,total,maximum,percent,status,reason
                (points possible),,12,12,12,100.00,,
                alice,,12,12,12,100.00,graded,
                """);
        int code = run("gradebook", "--scores", sample.toString(), "--roster", roster.toString(), "--out",
                gradebook.toString(), "--canvas-assignment", "HW (1)");
        assertThat(code).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("none of the 3 students of " + roster + " has a score (the scores are "
                + "of alice)");
        assertThat(gradebook).doesNotExist();
    }

    @Test
    void theLayoutMustBeNamedAndItsOptionsAgree() {
        for (List<String> args : List.of(List.<String>of(), List.of("--per-assignment", "--canvas-assignment", "HW (1)"),
                List.of("--canvas-assignment", "HW (1)", "--canvas-id", "seed-000=1"), List.of("--canvas-assignment",
                        "12345"), List.of("--per-assignment", "--canvas-id", "seed-000=12a"), List.of("--per-assignment",
                        "--canvas-id", "seed-009=1"))) {
            String[] all = new String[6 + args.size()];
            List.of("gradebook", "--scores", scores.toString(), "--roster", roster.toString(), "--out=" + gradebook)
                    .toArray(all);
            for (int i = 0; i < args.size(); i++) {
                all[6 + i] = args.get(i);
            }
            assertThat(run(all)).as(String.join(" ", args)).isEqualTo(Main.GRADER_ERROR);
            assertThat(gradebook).as(String.join(" ", args)).doesNotExist();
        }
        assertThat(err.toString()).contains("name the Canvas assignment the points go to")
                .contains("exclude each other").contains("--canvas-id maps the columns of --per-assignment")
                .contains("is an id alone").contains("digits only").contains("'seed-009'");
    }

    @Test
    void aBrokenRosterIsNamedByFileAndLine() throws Exception {
        Files.writeString(roster, "id,name\nada,Ada\nada,Ada again\n");
        assertThat(run("gradebook", "--scores", scores.toString(), "--roster", roster.toString(), "--out",
                gradebook.toString(), "--canvas-assignment", "HW (1)")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains(roster + ":3: the id 'ada' is on line 2 too");
    }
}
