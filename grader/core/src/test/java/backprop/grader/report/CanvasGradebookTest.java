package backprop.grader.report;

import static backprop.grader.report.FormatFixtures.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.report.CanvasGradebook.Column;
import backprop.grader.report.CanvasGradebook.Gradebook;
import backprop.grader.report.CanvasGradebook.Layout;
import backprop.grader.report.CanvasGradebook.Scores;
import backprop.grader.roster.Roster;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code app/models/gradebook_importer.rb} and {@code Assignment.title_and_id}): golden files, then parsed back
 * with Commons CSV and checked against the importer's rules.
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
    private static final Layout TOTAL = new Layout.Total("Backprop HW (12345)");

    private static Scores scores() {
        try {
            return CanvasGradebook.readScores(Path.of("scores.csv"), new StringReader(SCORES_CSV));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Roster roster() {
        try {
            return Roster.parse(Path.of("roster.csv"), ROSTER_CSV);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Gradebook total() {
        return CanvasGradebook.build(scores(), roster(), TOTAL);
    }

    private static Gradebook perAssignment() {
        return CanvasGradebook.build(scores().withCanvasIds(Map.of("seed-003a", "4711")), roster(),
                new Layout.PerAssignment());
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        try (CSVParser p = CSVParser.parse(new StringReader(csv), CSVFormat.RFC4180)) {
            return p.getRecords();
        }
    }

    @Test
    void theGradebooksMatchTheGoldenFiles() {
        assertGolden("canvas-gradebook.csv", total().csv());
        assertGolden("canvas-gradebook-per-assignment.csv", perAssignment().csv());
    }

    @Test
    void theSameBytesUnderAGermanDefaultLocale() {
        Gradebook g = FormatFixtures.underGermanLocale(CanvasGradebookTest::perAssignment);
        assertThat(g.csv()).contains(",7.5,0.25").doesNotContain("7,5");
        assertGolden("canvas-gradebook-per-assignment.csv", g.csv());
        assertGolden("canvas-gradebook.csv", FormatFixtures.underGermanLocale(CanvasGradebookTest::total).csv());
    }

    @Test
    void byDefaultOneTotalColumnForTheNamedCanvasAssignment() throws Exception {
        List<CSVRecord> rows = parse(total().csv());
        assertThat(rows).hasSize(2 + 3);
        CSVRecord header = rows.get(0);
        // GradebookImporter#header?: Student, ID, SIS User ID, SIS Login ID, then a column matching /Section/.
        assertThat(header.toList()).containsExactly("Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                "Backprop HW (12345)");
        // Assignment.title_and_id: "title (digits)" names an existing assignment by its Canvas id.
        Matcher m = Pattern.compile("\\A(.*)\\s\\((\\d+)\\)\\z").matcher(header.get(5));
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).isEqualTo("Backprop HW");
        assertThat(m.group(2)).isEqualTo("12345");
        assertThat(rows.get(1).get(0)).contains("Points Possible");
        assertThat(rows.get(1).get(5)).isEqualTo("20");
        assertThat(rows.get(2).toList()).containsExactly("Lovelace, Ada", "1001", "U1", "alovelace", "Lab A", "18");
        assertThat(rows.get(3).toList()).containsExactly("Hopper, Grace", "", "U2", "ghopper", "Lab B", "7.75");
        assertThat(rows.get(4).toList()).as("in the roster, no score: an empty cell")
                .containsExactly("Turing, Alan", "", "", "", "Lab A", "");
    }

    @Test
    void onRequestAColumnPerAssignmentMappedToCanvasIds() throws Exception {
        List<CSVRecord> rows = parse(perAssignment().csv());
        CSVRecord header = rows.get(0);
        assertThat(header.toList().subList(5, 7)).containsExactly("seed-000", "seed-003a (4711)");
        assertThat(Pattern.compile("\\((\\d+)\\)\\z").matcher(header.get(5)).find()).isFalse();
        CSVRecord possible = rows.get(1);
        assertThat(possible.toList().subList(1, 5)).containsOnly("");
        assertThat(possible.toList().subList(5, 7)).containsExactly("12", "8");
        assertThat(rows.get(2).toList().subList(5, 7)).containsExactly("10", "8");
        assertThat(rows.get(4).toList().subList(5, 7)).containsExactly("", "");
        for (CSVRecord r : rows) {
            assertThat(r.size()).isEqualTo(header.size());
        }
    }

    @Test
    void aRosterStudentWithoutAScoreAndAScoreWithoutARosterRowAreWarnings() {
        assertThat(total().warnings()).containsExactly(
                "scores for 'mallory' have no roster row: left out of the gradebook",
                "no score for 'alan' (Turing, Alan), roster line 4: an empty cell, which leaves the grade in Canvas "
                        + "as it is",
                "roster row 'alan' has no canvas_id, sis_id or login: Canvas can only match it by the name "
                        + "'Turing, Alan'");
        assertThat(total().csv()).doesNotContain("mallory").doesNotContain("Mallory");
    }

    @Test
    void scoresGradedWithoutTheRosterMatchByFolder() throws Exception {
        Roster r = Roster.parse(Path.of("r.csv"), "id,name,folder,canvas_id\ns1,\"Lovelace, Ada\",ada,1001\n");
        List<CSVRecord> rows = parse(CanvasGradebook.build(scores(), r, TOTAL).csv());
        assertThat(rows.get(2).toList()).containsExactly("Lovelace, Ada", "1001", "", "", "", "18");
    }

    @Test
    void aRosterRowCanvasCannotMatchAtAllIsNamed() throws Exception {
        Roster r = Roster.parse(Path.of("r.csv"), "id\nada\n");
        assertThat(CanvasGradebook.build(scores(), r, TOTAL).warnings()).contains("roster row 'ada' has no canvas_id, "
                + "sis_id or login: Canvas cannot match it to a student");
    }

    @Test
    void aGradebookWithNoScoredStudentIsRefused() throws Exception {
        Roster strangers = Roster.parse(Path.of("r.csv"), "id,name\nx1,X\nx2,Y\n");
        assertThatThrownBy(() -> CanvasGradebook.build(scores(), strangers, TOTAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("none of the 2 students of r.csv has a score (the scores are of ada, grace, mallory): the "
                        + "wrong scores file, or a roster whose ids are not the ones graded?");
    }

    @Test
    void theCanvasAssignmentIsANameAndAnIdAsCanvasHeadsItsColumn() {
        List<String> warnings = new ArrayList<>();
        assertThat(CanvasGradebook.canvasAssignment("  Backprop HW (12345) ", warnings))
                .isEqualTo("Backprop HW (12345)");
        assertThat(warnings).isEmpty();
        assertThat(CanvasGradebook.canvasAssignment("Backprop HW", warnings)).isEqualTo("Backprop HW");
        assertThat(warnings).singleElement().asString().contains("has no Canvas id in parentheses");
        assertThatThrownBy(() -> CanvasGradebook.canvasAssignment("12345", warnings))
                .hasMessageContaining("is an id alone").hasMessageContaining("\"Backprop HW (12345)\"");
        assertThatThrownBy(() -> CanvasGradebook.canvasAssignment("(12345)", warnings))
                .hasMessageContaining("is an id alone");
        assertThatThrownBy(() -> CanvasGradebook.canvasAssignment(" ", warnings)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> CanvasGradebook.canvasAssignment("HW\n(1)", warnings))
                .hasMessageContaining("line break");
    }

    @Test
    void badScoresAndCanvasIdsAreNamedByFileAndLine() {
        assertThatThrownBy(() -> CanvasGradebook.readScores(Path.of("s.csv"),
                new StringReader("student,name,a,total\nx,,many,1\n")))
                .hasMessage("s.csv:2: 'many' in column a is not a number of points");
        assertThatThrownBy(() -> CanvasGradebook.readScores(Path.of("s.csv"), new StringReader("id,points\nx,1\n")))
                .hasMessageStartingWith("s.csv:1: not a scores.csv written by grader grade");
        assertThatThrownBy(() -> CanvasGradebook.readScores(Path.of("s.csv"),
                new StringReader("student,name,a,total\nx,,1,1\nx,,2,2\n")))
                .hasMessage("s.csv:3: the student 'x' has a row already");
        assertThatThrownBy(() -> CanvasGradebook.readScores(Path.of("s.csv"), new StringReader("")))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> new Column("a", 1, Optional.of("12a"))).hasMessageContaining("digits only");
        assertThatThrownBy(() -> scores().withCanvasIds(Map.of("seed-999", "1")))
                .hasMessageContaining("'seed-999'").hasMessageContaining("seed-000, seed-003a");
    }

    @Test
    void writingReplacesTheFileAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("canvas.csv");
        Files.writeString(file, "old");
        CanvasGradebook.write(file, total());
        assertThat(Files.readString(file)).isEqualTo(total().csv());
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all).containsExactly(file);
        }
    }
}
