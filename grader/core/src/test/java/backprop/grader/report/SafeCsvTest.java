package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Cells a spreadsheet would run as formulas are neutralised; numbers stay numbers; the quoting stays right. */
class SafeCsvTest {
    /** Text a spreadsheet would read as a formula (or the start of one): each must be written with a quote in front. */
    static final List<String> FORMULAS = List.of(
            "=HYPERLINK(\"http://x\",\"y\")",
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-1+2",
            "@SUM(A1)",
            "\t=1+1",
            "\r=1+1",
            "\n=1+1",
            "\0=1+1",
            " =1+1",
            "   @SUM(A1)",
            "\u00A0=1+1",
            "\u3000+1",
            "\uFF1D1+1",
            "\uFF0B1",
            "\uFF0D1",
            "\uFF20SUM(A1)",
            "-",
            "=1+1\r\n=2+2",
            "'=1+1",
            "'quoted already");
    /** Text no spreadsheet runs: written as it is. */
    static final List<String> PLAIN = List.of(
            "alice",
            "Lee, Ann",
            "a \"quoted\" word, and a comma",
            "élève 学生 🎓 مرحبا",
            "1+1=2",
            "line one\nline two =3",
            "x-1",
            "    Points Possible",
            "");

    static List<String> hostile() {
        List<String> all = new ArrayList<>(FORMULAS);
        all.addAll(PLAIN);
        return all;
    }

    static List<CSVRecord> parse(String csv) throws IOException {
        try (CSVParser p = CSVParser.parse(new StringReader(csv), CSVFormat.RFC4180)) {
            return p.getRecords();
        }
    }

    /** Whether a spreadsheet would leave the cell as text: it does not start, after white space, with a trigger. */
    static boolean inert(String cell) {
        if (cell.startsWith("'")) {
            return true;
        }
        String triggers = "=+-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20";
        int i = 0;
        while (i < cell.length() && !triggers.contains(cell.substring(i, i + 1))
                && (Character.isWhitespace(cell.charAt(i)) || Character.isSpaceChar(cell.charAt(i)))) {
            i++;
        }
        return i == cell.length() || !triggers.contains(cell.substring(i, i + 1));
    }

    /** Whether a number cell reads as a number, or is empty, or is one of the words for a non-finite value. */
    static boolean parsesAsNumber(String cell) {
        if (cell.isEmpty() || List.of("NaN", "Infinity", "'-Infinity").contains(cell)) {
            return true;
        }
        try {
            Double.parseDouble(cell);
            return !cell.endsWith("d") && !cell.endsWith("f") && !cell.startsWith("+");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void formulasGetAQuoteInFrontAndEverythingElseIsWrittenAsItIs() throws IOException {
        StringWriter w = new StringWriter();
        SafeCsv csv = SafeCsv.open(w, List.of(SafeCsv.Column.text("id"), SafeCsv.Column.number("points")));
        for (String h : hostile()) {
            csv.row(h, -0.5);
        }
        csv.flush();
        List<CSVRecord> rows = parse(w.toString());
        assertThat(rows).hasSize(hostile().size() + 1);
        for (int i = 0; i < hostile().size(); i++) {
            String original = hostile().get(i);
            CSVRecord row = rows.get(i + 1);
            assertThat(row.size()).as("one cell per column for %s", Arrays.toString(original.toCharArray()))
                    .isEqualTo(2);
            String cell = row.get(0);
            assertThat(cell).isEqualTo(FORMULAS.contains(original) ? "'" + original : original);
            assertThat(inert(cell)).as(cell).isTrue();
            assertThat(SafeCsv.inert(cell)).isTrue();
            assertThat(SafeCsv.plain(cell)).isEqualTo(original);
            assertThat(row.get(1)).isEqualTo("-0.5");
        }
    }

    @Test
    void theHeaderIsTextToo() throws IOException {
        StringWriter w = new StringWriter();
        SafeCsv.open(w, List.of(SafeCsv.Column.text("=id"), SafeCsv.Column.number("-points"))).flush();
        assertThat(parse(w.toString()).get(0).values()).containsExactly("'=id", "'-points");
    }

    @Test
    void numbersStayNumbersAndWhatIsNotAFiniteNumberIsInertText() throws IOException {
        StringWriter w = new StringWriter();
        SafeCsv csv = SafeCsv.open(w, List.of(SafeCsv.Column.number("x")));
        List<Object> values = List.of(-0.5, 12.0, 0.1 + 0.2, 1e-7, -1e300, Double.MIN_VALUE, 7, -5518074003591150294L,
                "100.00", "-3", "1e+20", Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        for (Object v : values) {
            csv.row(v);
        }
        csv.row((Object) null);
        csv.flush();
        List<String> cells = parse(w.toString()).stream().skip(1).map(r -> r.get(0)).toList();
        assertThat(cells).containsExactly("-0.5", "12", "0.30000000000000004", "1.0E-7", "-1.0E300", "4.9E-324", "7",
                "-5518074003591150294", "100.00", "-3", "1e+20", "NaN", "Infinity", "'-Infinity", "");
        assertThat(cells).allMatch(SafeCsvTest::parsesAsNumber);
        assertThat(cells.get(13)).as("not a number a spreadsheet knows: text, so inert").matches(SafeCsvTest::inert);
        assertThat(Double.parseDouble(cells.get(2))).isEqualTo(0.1 + 0.2);
        assertThat(Double.parseDouble(SafeCsv.plain(cells.get(13)))).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aNumberColumnRefusesText() throws IOException {
        SafeCsv csv = SafeCsv.open(new StringWriter(), List.of(SafeCsv.Column.number("points")));
        for (String bad : List.of("=1+1", "-1+2", "12 points", "1,5", "NaN", "0x10", "+1")) {
            assertThatThrownBy(() -> csv.row(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'points' holds numbers");
        }
        assertThatThrownBy(() -> csv.row(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 cells where the file has 1 columns");
    }

    /** Every CSV the grader writes goes through SafeCsv: no other class prints CSV, so a new writer cannot forget. */
    @Test
    void noOtherClassOfTheGraderPrintsCsv() throws IOException {
        Path main = TestFiles.root().resolve("grader/core/src/main/java");
        List<Path> printers;
        try (Stream<Path> s = Files.walk(main)) {
            printers = s.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("CSVPrinter");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> main.relativize(p)).toList();
        }
        assertThat(printers).containsExactly(Path.of("backprop/grader/report/SafeCsv.java"));
    }
}
