package backprop.grader.report;

import static backprop.grader.report.SafeCsvTest.inert;
import static backprop.grader.report.SafeCsvTest.parsesAsNumber;
import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.check.Worst;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * Hostile ids, names and messages (a submission folder named {@code =HYPERLINK(...)}, a roster name {@code @SUM(A1)},
 * a compiler message starting with {@code -}) through every file the grader writes: in each CSV every text cell
 * is inert and reads back as it was, and every number cell is a number; JSON and XML carry them unchanged.
 */
class FormulaInjectionTest {
    static final String ASSIGNMENT = "=A1+1";

    static StudentResult student(String id) {
        return new StudentResult("k", id, id, id + ".zip", "graded", id, 1.5, 3,
                List.of(new StudentResult.AssignmentPoints(ASSIGNMENT, 1.5, 3)),
                List.of(new StudentResult.CheckRow(ASSIGNMENT, id, "gradient", 1.5, 3, "failed", -0.5, 0.5, 1.0, 2.0,
                        id, -42L),
                        new StudentResult.CheckRow(ASSIGNMENT, "h", "forward", 0, 0, "failed", Double.NaN,
                                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null, "-" + id, null)),
                List.of(id, "-" + id), "bwrap", 0.5, "t");
    }

    static List<CSVRecord> read(Path f) throws Exception {
        try (Reader r = Files.newBufferedReader(f); CSVParser p = CSVFormat.RFC4180.parse(r)) {
            return p.getRecords();
        }
    }

    /** Every cell of every row: number columns parse, text columns are inert. */
    static void assertSafe(List<CSVRecord> rows, Set<String> numberColumns) {
        List<String> header = rows.get(0).toList();
        header.forEach(h -> assertThat(inert(h)).as("header %s", h).isTrue());
        for (CSVRecord row : rows.subList(1, rows.size())) {
            assertThat(row.size()).as(row.toString()).isEqualTo(header.size());
            for (int i = 0; i < row.size(); i++) {
                String name = SafeCsv.plain(header.get(i));
                if (numberColumns.contains(name)) {
                    assertThat(parsesAsNumber(row.get(i))).as("%s = %s", name, row.get(i)).isTrue();
                } else {
                    assertThat(inert(row.get(i))).as("%s = %s", name, row.get(i)).isTrue();
                }
            }
        }
    }

    @Test
    void scoresAndDetailsNeutraliseEveryTextCell(@TempDir Path dir) throws Exception {
        List<StudentResult> results = SafeCsvTest.hostile().stream().map(FormulaInjectionTest::student).toList();
        Path scores = dir.resolve("scores.csv");
        Path details = dir.resolve("details.csv");
        ScoreCards.writeScores(scores, List.of(new ScoreCards.Column(ASSIGNMENT, 3)), results);
        ScoreCards.writeDetails(details, results);

        List<CSVRecord> s = read(scores);
        assertThat(s.get(0).get(2)).isEqualTo("'" + ASSIGNMENT);
        assertSafe(s, Set.of(ASSIGNMENT, "total", "maximum", "percent"));
        List<String> ids = new ArrayList<>();
        s.subList(2, s.size()).forEach(r -> ids.add(SafeCsv.plain(r.get(0))));
        assertThat(ids).containsExactlyElementsOf(SafeCsvTest.hostile());
        s.subList(2, s.size()).forEach(r -> assertThat(SafeCsv.plain(r.get(7))).isEqualTo(SafeCsv.plain(r.get(0))));

        List<CSVRecord> d = read(details);
        assertSafe(d, Set.of("points", "max", "expected", "actual", "abs_error", "rel_error", "variant"));
        List<CSVRecord> firstChecks = d.stream().filter(r -> r.get(3).equals("gradient")).toList();
        assertThat(firstChecks).extracting(r -> SafeCsv.plain(r.get(11))).containsExactlyElementsOf(SafeCsvTest.hostile());
        assertThat(firstChecks).allSatisfy(r -> {
            assertThat(r.get(7)).isEqualTo("-0.5");
            assertThat(r.get(12)).isEqualTo("-42");
        });
        assertThat(d).filteredOn(r -> r.get(3).equals("forward")).allSatisfy(r -> assertThat(r.get(8))
                .isEqualTo("'-Infinity"));
    }

    @Test
    void theCanvasGradebookNeutralisesRosterNamesAndReadsHostileIdsBack(@TempDir Path dir) throws Exception {
        List<String> hostile = SafeCsvTest.hostile().stream().filter(h -> !h.isBlank() && h.strip().equals(h))
                .toList();
        Path scores = dir.resolve("scores.csv");
        ScoreCards.writeScores(scores, List.of(new ScoreCards.Column(ASSIGNMENT, 3)),
                hostile.stream().map(FormulaInjectionTest::student).toList());
        CanvasGradebook.Scores read = CanvasGradebook.readScores(scores);
        assertThat(read.columns()).extracting(CanvasGradebook.Column::assignment).containsExactly(ASSIGNMENT);
        assertThat(read.points().keySet()).containsExactlyElementsOf(hostile);

        List<CanvasGradebook.Student> roster = hostile.stream().map(h -> new CanvasGradebook.Student(h, h, "",
                h, h, h)).toList();
        CanvasGradebook.Gradebook g = CanvasGradebook.build(read, roster);
        List<CSVRecord> rows;
        try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(g.csv()))) {
            rows = p.getRecords();
        }
        assertSafe(rows, Set.of(ASSIGNMENT));
        assertThat(rows.get(2).get(5)).isEqualTo("1.5");
        assertThat(rows.subList(2, rows.size())).extracting(r -> SafeCsv.plain(r.get(0)))
                .containsExactlyElementsOf(hostile);
    }

    static final Assignment HOSTILE_ASSIGNMENT = FormatFixtures.assignment("=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(A1) <b>&</b>");

    static List<CheckResult> hostileChecks() {
        return List.of(new CheckResult(HOSTILE_ASSIGNMENT.id(), "-1+2 \"]]>", "gradient", Status.FAILED, 0, 2,
                Visibility.VISIBLE, Optional.of(new Worst("g", 0, 0, -0.5, 0.5, 1, 2)),
                "+1+1 <script>&amp;\r\n\t=cmd|' /C calc'!A0 \u0001", Optional.empty()));
    }

    @Test
    void junitXmlCarriesHostileIdsAsText() throws Exception {
        String xml = JUnitXmlReport.suite(HOSTILE_ASSIGNMENT, hostileChecks(), Duration.ZERO);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("name")).isEqualTo(HOSTILE_ASSIGNMENT.id());
        Element tc = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(tc.getAttribute("name")).isEqualTo("-1+2 \"]]>");
        assertThat(tc.getAttribute("classname")).isEqualTo(HOSTILE_ASSIGNMENT.id());
        Element failure = (Element) tc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("+1+1 <script>&amp;\r\n\t=cmd|' /C calc'!A0 \uFFFD");
        assertThat(JUnitXmlReport.fileName(HOSTILE_ASSIGNMENT.id())).matches("TEST-[A-Za-z0-9._-]+\\.xml");
    }

    @Test
    void gradescopeJsonCarriesHostileIdsAsText() throws Exception {
        String json = GradescopeResults.json(GradescopeResults.graded(List.of(HOSTILE_ASSIGNMENT), hostileChecks(),
                Duration.ZERO, GradescopeResults.Options.defaults()));
        JsonNode test = new ObjectMapper().readTree(json).get("tests").get(0);
        assertThat(test.get("name").asText()).contains("-1+2 \"]]>");
        assertThat(test.get("tags").get(0).asText()).isEqualTo(HOSTILE_ASSIGNMENT.id());
        assertThat(test.get("output").asText()).contains("+1+1 <script>&amp;\r\n\t=cmd|' /C calc'!A0 \u0001");
        assertThat(json).as("control characters are escaped").doesNotContain("\u0001");
    }
}
