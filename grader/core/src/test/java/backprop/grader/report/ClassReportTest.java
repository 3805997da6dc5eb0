package backprop.grader.report;

import static backprop.grader.report.FormatFixtures.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.report.StudentResult.AssignmentPoints;
import backprop.grader.report.StudentResult.CheckRow;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class report's two files: written atomically, the same bytes from the same results, streamed (the results
 * are read once, whatever the class size), every hostile string escaped, and the summary's Markdown against a
 * golden file.
 */
class ClassReportTest {
    static final List<ScoreCards.Column> COLUMNS = FormatFixtures.assignments().stream()
            .map(a -> new ScoreCards.Column(a.id(), a.id().equals("seed-000") ? 4 : 4.25)).toList();

    /** The fixed class of the golden file: the format fixtures' checks, a full mark, a compile error. */
    static List<StudentResult> fixedClass() {
        List<CheckRow> rows = FormatFixtures.results().stream().map(CheckRow::of).toList();
        List<CheckRow> right = rows.stream().map(r -> new CheckRow(r.assignment(), r.check(), r.kind(), r.max(),
                r.max(), "passed", null, null, null, null, "matches the reference", null, r.hidden(), null, null))
                .toList();
        return List.of(
                result("ada", "Lovelace, Ada", "graded", List.of(4.0, 4.25), right, List.of()),
                result("grace", "Hopper, <Grace> | *", "graded", List.of(1.0, 1.75), rows, List.of()),
                result("mallory", "", "compile-error", List.of(0.0, 0.0), List.of(), List.of("Relu.java:13: ';' "
                        + "expected")));
    }

    static StudentResult result(String id, String name, String status, List<Double> points, List<CheckRow> rows,
            List<String> compiler) {
        double total = points.stream().mapToDouble(Double::doubleValue).sum();
        return new StudentResult("k", id, name, id, status, status.equals("graded") ? "some reason" : "does not "
                + "compile: Relu.java:13: ';' expected", total, 8.25, List.of(new AssignmentPoints("seed-000",
                points.get(0), 4), new AssignmentPoints("seed-003a", points.get(1), 4.25)), rows, compiler, "bwrap",
                1, "t");
    }

    static String page(Iterable<StudentResult> results) throws Exception {
        Path dir = Files.createTempDirectory("class-report");
        try {
            ClassReport.write(dir, COLUMNS, results);
            return Files.readString(dir.resolve(ClassReport.PAGE));
        } finally {
            backprop.grader.files.FileTrees.delete(dir);
        }
    }

    @Test
    void theSummaryMatchesTheGoldenFileInEveryLocale() throws Exception {
        StringWriter w = new StringWriter();
        ClassSummary.write(w, ClassTally.of(COLUMNS, fixedClass()));
        assertGolden("class-summary.md", w.toString());
        assertGolden("class-summary.md", FormatFixtures.underGermanLocale(() -> {
            StringWriter g = new StringWriter();
            try {
                ClassSummary.write(g, ClassTally.of(COLUMNS, fixedClass()));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            return g.toString();
        }));
    }

    @Test
    void bothFilesAreWrittenWholeAndTheSameResultsGiveTheSameBytes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ClassReport.PAGE), "an older page");
        ClassReport.write(dir, COLUMNS, fixedClass());
        byte[] page = Files.readAllBytes(dir.resolve(ClassReport.PAGE));
        byte[] summary = Files.readAllBytes(dir.resolve(ClassReport.SUMMARY));
        ClassReport.write(dir, COLUMNS, fixedClass());
        assertThat(Files.readAllBytes(dir.resolve(ClassReport.PAGE))).isEqualTo(page);
        assertThat(Files.readAllBytes(dir.resolve(ClassReport.SUMMARY))).isEqualTo(summary);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(ClassReport.PAGE,
                    ClassReport.SUMMARY);
        }
        String html = new String(page, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta http-equiv=\"Content-Security-Policy\"")
                .contains(ClassPage.sha256(ClassPage.SCRIPT)).contains("<script>" + ClassPage.SCRIPT + "</script>")
                .doesNotContain("http://", "https://", "src=");
        assertThat(html).contains("id=\"s-mallory\"").contains("No check ran: every check scores 0.")
                .contains("Relu.java:13: &#39;;&#39; expected");
    }

    @Test
    void theResultsAreReadOnceWhateverTheClassSize(@TempDir Path dir) throws Exception {
        for (int size : new int[] {3, 300}) {
            AtomicInteger passes = new AtomicInteger();
            Iterable<StudentResult> results = () -> {
                passes.incrementAndGet();
                Iterator<Integer> i = IntStream.range(0, size).iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return i.hasNext();
                    }

                    @Override
                    public StudentResult next() {
                        int n = i.next();
                        return result("s" + n, "", "graded", List.of(n % 5 * 1.0, 0.0),
                                ClassTallyTest.checks(n % 3), List.of());
                    }
                };
            };
            ClassReport.write(dir, COLUMNS, results);
            assertThat(passes.get()).as("passes over %d students", size).isEqualTo(1);
            assertThat(Files.readString(dir.resolve(ClassReport.PAGE))).contains("id=\"s-s" + (size - 1) + "\"")
                    .contains("<title>Class report: " + size + " students</title>");
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s).as("no temporary file is left").hasSize(2);
            }
        }
    }

    /** An attribute named on… outside every quoted value of a tag. */
    static final java.util.regex.Pattern HANDLER = java.util.regex.Pattern.compile(
            "<[A-Za-z][^>\"]*(?:\"[^\"]*\"[^>\"]*)*?\\son[a-z]+\\s*=");

    /** A student whose id, name, reason, messages, check, assignment and compiler output are all {@code h}. */
    static StudentResult everywhere(String h) {
        CheckRow row = new CheckRow(h, h, "unit", 0, 1, "error", null, null, null, null, h, null, true, h, h);
        return new StudentResult("k", h, h, h, "graded", h, 0, 8.25, List.of(new AssignmentPoints(h, 0, 1)),
                List.of(row), List.of(h), "bwrap", 1, "t");
    }

    @Test
    void everyHostileStringIsWrittenEscapedWhereverItGoes() throws Exception {
        assertThat(HANDLER.matcher("<td><img src=\"x\" onerror=alert(1)>").find()).isTrue();
        assertThat(HANDLER.matcher("<td title=\"&quot; onerror=alert(1)\">x onload=y</td>").find()).isFalse();
        StringWriter plain = new StringWriter();
        ClassSummary.write(plain, ClassTally.of(COLUMNS, List.of(everywhere("plain"))));
        for (String h : HtmlTest.HOSTILE) {
            String html = page(List.of(everywhere(h), result("ok", "", "graded", List.of(1.0, 1.0), List.of(),
                    List.of())));
            String markup = html.replace(ClassPage.STYLE, "").replace(ClassPage.SCRIPT, "");
            if (h.contains("<") || h.contains("\"") || h.contains("'")) {
                assertThat(html).as(h).doesNotContain(h);
            }
            assertThat(markup).as(h).contains(Html.escape(h));
            assertThat(count(markup, "<script")).as(h).isEqualTo(1);
            assertThat(markup).as(h).doesNotContain("<img", "<b>", "href=\"javascript", "\u202E", "\u200B", "\u0000")
                    .as("an event handler in a tag").doesNotContainPattern(HANDLER);
            StringWriter md = new StringWriter();
            ClassSummary.write(md, ClassTally.of(COLUMNS, List.of(everywhere(h))));
            assertThat(markdown(md.toString())).as("Markdown's own markup, with %s in it", h)
                    .isEqualTo(markdown(plain.toString()));
            assertThat(md.toString()).as(h).doesNotContain("\u202E", "\u200B", "\u0000");
        }
    }

    /** The characters of {@code md} that are Markdown markup (not escaped with a backslash). */
    private static String markdown(String md) {
        return md.replaceAll("\\\\.", "").replaceAll("[^<>\\[\\]|`*_~$@#&\n]", "");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void markdownEscapesEveryCharacterThatStartsMarkup() {
        assertThat(ClassSummary.escape("<script>alert(1)</script>")).isEqualTo("\\<script\\>alert(1)\\</script\\>");
        assertThat(ClassSummary.escape("[x](javascript:alert(1)) *a* _b_ `c` $d$ a|b @team #12 &amp; ~~s~~ \\"))
                .isEqualTo("\\[x\\](javascript:alert(1)) \\*a\\* \\_b\\_ \\`c\\` \\$d\\$ a\\|b \\@team \\#12 "
                        + "\\&amp; \\~\\~s\\~\\~ \\\\");
        assertThat(ClassSummary.escape("\u202E(javascript:x)\nnext")).isEqualTo("\\[U+202E\\](javascript:x) next");
        assertThat(ClassSummary.escape("σ'(z) = σ(z)(1 − σ(z))")).isEqualTo("σ'(z) = σ(z)(1 − σ(z))");
    }
}
