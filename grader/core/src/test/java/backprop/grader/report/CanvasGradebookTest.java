package backprop.grader.report;

import static backprop.grader.report.FormatFixtures.assertGolden;
import static backprop.grader.report.FormatFixtures.assignments;
import static backprop.grader.report.FormatFixtures.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.report.CanvasGradebook.Column;
import backprop.grader.report.CanvasGradebook.Gradebook;
import backprop.grader.report.CanvasGradebook.Scores;
import backprop.grader.report.CanvasGradebook.Student;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Canvas gradebook CSV against what Canvas's gradebook importer reads (instructure/canvas-lms,
 * {@code app/models/gradebook_importer.rb}): a golden file, then parsed back with Commons CSV and checked against
 * the importer's rules.
 */
class CanvasGradebookTest {
    /** A batch run's {@code scores.csv}, as {@code ScoreCards.writeScores} lays it out. */
    static final String SCORES_CSV = """
            student,name,seed-000,seed-003a,total,maximum,percent,status,reason\r
            (points possible),,12,8,20,20,100,,\r
            ada,Ada,10,8,18,20,90,graded,\r
            grace,Grace,7.5,0.25,7.75,20,38.8,graded,\r
            mallory,Mallory,3,3,6,20,30,graded,\r
            """;
    /** A roster: ids as in the scores, names as Canvas shows them, ids Canvas matches by. */
    static final String ROSTER_CSV = """
            \uFEFFid,name,canvas_id,sis_id,login,section
            ada,"Lovelace, Ada",1001,U1,alovelace,Lab A
            grace,"Hopper, Grace",,U2,ghopper,Lab B
            alan,"Turing, Alan",,,,Lab A
            """;

    private static Scores scores() {
        return CanvasGradebook.readScores(SCORES_CSV).withCanvasIds(Map.of("seed-003a", "4711"));
    }

    private static Gradebook gradebook() {
        return CanvasGradebook.build(scores(), CanvasGradebook.readRoster(ROSTER_CSV));
    }

    @Test
    void theGradebookMatchesTheGoldenFile() {
        assertGolden("canvas-gradebook.csv", gradebook().csv());
    }

    @Test
    void theSameBytesUnderAGermanDefaultLocale() {
        Gradebook g = FormatFixtures.underGermanLocale(CanvasGradebookTest::gradebook);
        assertThat(g.csv()).contains(",7.5,0.25").doesNotContain("7,5");
        assertGolden("canvas-gradebook.csv", g.csv());
    }

    @Test
    void itParsesBackAsCanvasReadsIt() throws Exception {
        List<CSVRecord> rows;
        try (CSVParser p = CSVParser.parse(new StringReader(gradebook().csv()), CSVFormat.RFC4180)) {
            rows = p.getRecords();
        }
        assertThat(rows).hasSize(2 + 3);
        CSVRecord header = rows.get(0);
        // GradebookImporter#header?: Student, ID, SIS User ID, SIS Login ID, then a column matching /Section/.
        assertThat(header.toList().subList(0, 5)).containsExactly("Student", "ID", "SIS User ID", "SIS Login ID",
                "Section");
        assertThat(header.toList().subList(5, 7)).containsExactly("seed-000", "seed-003a (4711)");
        // Assignment.title_and_id: "title (digits)" names an existing assignment by its Canvas id.
        Matcher m = Pattern.compile("\\A(.*)\\s\\((\\d+)\\)\\z").matcher(header.get(6));
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).isEqualTo("seed-003a");
        assertThat(m.group(2)).isEqualTo("4711");
        assertThat(Pattern.compile("\\((\\d+)\\)\\z").matcher(header.get(5)).find()).isFalse();

        CSVRecord possible = rows.get(1);
        assertThat(possible.get(0)).contains("Points Possible");
        assertThat(possible.toList().subList(1, 5)).containsOnly("");
        assertThat(Double.parseDouble(possible.get(5))).isEqualTo(12);
        assertThat(Double.parseDouble(possible.get(6))).isEqualTo(8);

        assertThat(rows.get(2).toList()).containsExactly("Lovelace, Ada", "1001", "U1", "alovelace", "Lab A", "10",
                "8");
        assertThat(rows.get(3).toList()).containsExactly("Hopper, Grace", "", "U2", "ghopper", "Lab B", "7.5",
                "0.25");
        assertThat(rows.get(4).toList()).as("in the roster, no score: empty cells")
                .containsExactly("Turing, Alan", "", "", "", "Lab A", "", "");
        for (CSVRecord r : rows) {
            assertThat(r.size()).isEqualTo(header.size());
        }
    }

    @Test
    void scoresWithoutARosterRowOrAColumnAreWarnings() {
        assertThat(gradebook().warnings()).containsExactly(
                "scores for 'mallory' (seed-000, seed-003a) have no roster row: left out of the gradebook",
                "roster row 'alan' has no canvas_id, sis_id or login: Canvas can only match it by the name "
                        + "'Turing, Alan'");
        assertThat(gradebook().csv()).doesNotContain("mallory").doesNotContain("Mallory");

        Scores extra = new Scores(List.of(new Column("seed-000", 4)),
                Map.of("ada", Map.of("seed-000", 4.0, "seed-009", 1.0)));
        assertThat(CanvasGradebook.build(extra, CanvasGradebook.readRoster(ROSTER_CSV)).warnings()).contains(
                "assignment 'seed-009' has scores (ada) but no column: left out of the gradebook");
    }

    @Test
    void scoresComeStraightFromCheckResultsToo() {
        Scores s = Scores.fromResults(assignments(), Map.of("ada", results()));
        assertThat(s.columns()).extracting(Column::assignment).containsExactly("seed-000", "seed-003a");
        assertThat(s.points().get("ada")).containsEntry("seed-000", 1.0).containsEntry("seed-003a", 0.75);
    }

    @Test
    void aRosterNeedsAnIdAndANameAndNoIdTwice() {
        assertThat(CanvasGradebook.readRoster("ID,Name\nx,\"Doe, Jo\"\n"))
                .containsExactly(new Student("x", "Doe, Jo", "", "", "", ""));
        assertThatThrownBy(() -> CanvasGradebook.readRoster("login,name\nx,y\n"))
                .hasMessageContaining("no 'id' column");
        assertThatThrownBy(() -> CanvasGradebook.readRoster("id,name\nx,y\nx,z\n"))
                .hasMessageContaining("repeats id 'x'");
        assertThatThrownBy(() -> new Column("a", 1, Optional.of("12a"))).hasMessageContaining("digits only");
        assertThatThrownBy(() -> CanvasGradebook.readScores("student,a\nx,many\n"))
                .hasMessageContaining("'many' is not a number");
    }

    @Test
    void writingReplacesTheFileAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("canvas.csv");
        Files.writeString(file, "old");
        CanvasGradebook.write(file, gradebook());
        assertThat(Files.readString(file)).isEqualTo(gradebook().csv());
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all).containsExactly(file);
        }
    }
}
