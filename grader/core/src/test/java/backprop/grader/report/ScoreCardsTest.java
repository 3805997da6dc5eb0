package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV scorecards: columns, the points-possible row, quoting, numbers in Locale.ROOT, atomic replacement. */
class ScoreCardsTest {
    static final List<ScoreCards.Column> COLUMNS = List.of(new ScoreCards.Column("seed-000", 12),
            new ScoreCards.Column("ops", 2.5));

    static StudentResult ann() {
        return new StudentResult("k", "s001", "Lee, Ann", "ann.zip", "timeout",
                "stopped at the 60 s time limit during ops \"really\"", 12.125, 14.5,
                List.of(new StudentResult.AssignmentPoints("seed-000", 12, 12),
                        new StudentResult.AssignmentPoints("ops", 0.125, 2.5)),
                List.of(new StudentResult.CheckRow("seed-000", "dJ/dW1", "gradient", 0, 2, "failed", -1.0,
                        Double.NaN, Double.POSITIVE_INFINITY, 1e-7, "1 of 6 entries wrong; hint: transpose", 42L)),
                List.of(), "bwrap", 1.5, "2026-11-25T00:00:00Z");
    }

    static List<CSVRecord> read(Path f) throws Exception {
        try (Reader r = Files.newBufferedReader(f);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return new ArrayList<>(p.getRecords());
        }
    }

    @Test
    void scoresHaveAPointsPossibleRowAndARowPerStudentInLocaleRoot(@TempDir Path dir) throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Path f = dir.resolve("scores.csv");
            ScoreCards.writeScores(f, COLUMNS, List.of(ann()));
            assertThat(Files.readAllLines(f).get(0))
                    .isEqualTo("student,name,seed-000,ops,total,maximum,percent,status,reason");
            List<CSVRecord> rows = read(f);
            assertThat(rows.get(0).values()).containsExactly(ScoreCards.POINTS_POSSIBLE, "", "12", "2.5", "14.5",
                    "14.5", "100.00", "", "");
            assertThat(rows.get(1).values()).containsExactly("s001", "Lee, Ann", "12", "0.125", "12.125", "14.5",
                    "83.62", "timeout", "stopped at the 60 s time limit during ops \"really\"");
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s).singleElement().isEqualTo(f);
            }
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void detailsStartEachStudentWithTheSubmissionRowThenTheChecks(@TempDir Path dir) throws Exception {
        StudentResult broken = new StudentResult("k", "s002", "", "bob", "compile-error", "does not compile: A.java:1: x",
                0, 14.5, List.of(), List.of(), List.of("A.java:1: x", "A.java:2: y"), "bwrap", 0.1, "t");
        Path f = dir.resolve("details.csv");
        Files.writeString(f, "an older file");
        ScoreCards.writeDetails(f, List.of(ann(), broken));
        List<CSVRecord> rows = read(f);
        assertThat(rows.get(0).values()).containsExactly("s001", "", "", "submission", "12.125", "14.5", "timeout", "",
                "", "", "", "stopped at the 60 s time limit during ops \"really\"", "");
        assertThat(rows.get(1).values()).containsExactly("s001", "seed-000", "dJ/dW1", "gradient", "0", "2", "failed",
                "-1", "NaN", "Infinity", "1.0E-7", "1 of 6 entries wrong; hint: transpose", "42");
        assertThat(rows.subList(2, 5)).extracting(r -> r.get("kind")).containsExactly("submission", "compiler",
                "compiler");
        assertThat(rows.get(4).get("message")).isEqualTo("A.java:2: y");
        assertThat(Double.parseDouble(rows.get(1).get("rel_error"))).isEqualTo(1e-7);
    }
}
