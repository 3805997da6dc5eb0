package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import backprop.grader.batch.BatchGrader;
import backprop.grader.files.FileTrees;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The class report as a TA sees it, in Debian's headless Chromium. The sample class and a few students whose ids,
 * names (from the roster) and error messages are hostile are graded; then the page, opened from disk, must show
 * the histogram of {@code scores.csv}, the pass rates of {@code details.csv}, sort its table on a click, lead
 * each student's link to their section, show every hostile string as text and run none of it, and log no console
 * error. Screenshots are kept in {@code grader/core/target/class-report/}.
 */
class ClassPageBrowserTest {
    /**
     * A student graded under a hostile id and name, whose {@code Tanh.backward} throws with a hostile message.
     *
     * @param id the id as the page must show it (a character that does not show is written as its code point)
     */
    record Hostile(String folder, String rawId, String id, String name, String shownName, String message,
            String shownMessage) {
        Hostile(String folder, String rawId, String name, String message) {
            this(folder, rawId, rawId, name, name, message, message);
        }
    }

    static final List<Hostile> HOSTILE = List.of(
            new Hostile("h1", "<script>alert(1)</script>", "<b>bold</b>", "<script>alert(11)</script>"),
            new Hostile("h2", "\"><img src=x onerror=alert(2)>", "' onmouseover='alert(12)",
                    "\"><img src=x onerror=alert(13)>"),
            new Hostile("h3", "javascript:alert(3)", "</script><script>alert(14)</script>",
                    "</td></tr></table><h1 id=injected>injected</h1>"),
            new Hostile("h4", "&amp;lt;b&gt;", "Ada &amp; Grace", "&lt;script&gt;alert(15)&lt;/script&gt;"),
            new Hostile("h5", "abc\u202Egpj.exe", "abc[U+202E]gpj.exe", "zero\u200Bwidth\u200Dname",
                    "zero[U+200B]width[U+200D]name", "\u202Eevil\u2066 override", "[U+202E]evil[U+2066] override"),
            new Hostile("h6", "students", "x".repeat(3000), "y".repeat(180)),
            new Hostile("h7", "L".repeat(200), "<svg onload=alert(16)>", "<a href=javascript:alert(17)>link</a>"));

    static final Path ARTIFACTS = TestFiles.root().resolve("grader/core/target/class-report");

    @TempDir
    static Path tmp;
    static Path out;
    static ChromeDriver browser;
    static String log;

    @BeforeAll
    static void gradeTheClassAndOpenTheBrowser() throws Exception {
        browser = Chromium.start(tmp.resolve("chromium-profile"));
        Path subs = tmp.resolve("class");
        FileTrees.copy(TestFiles.root().resolve("grader/samples/class"), subs);
        Path roster = tmp.resolve("roster.csv");
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(roster, StandardCharsets.UTF_8),
                CSVFormat.RFC4180)) {
            csv.printRecord("id", "name", "folder");
            for (Hostile h : HOSTILE) {
                Path homework = subs.resolve(h.folder()).resolve("homework");
                FileTrees.copy(TestFiles.referenceSources().resolve("homework"), homework);
                Files.writeString(homework.resolve("Tanh.java"), throwingTanh(h.message()));
                csv.printRecord(h.rawId(), h.name(), h.folder());
            }
        }
        out = tmp.resolve("reports");
        StringWriter err = new StringWriter();
        BatchGrader.run(new BatchGrader.Options(subs, out, Stream.of("seed-000", "seed-001", "ops")
                .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList(), Optional.of(roster), 2,
                Limits.DEFAULT.withWall(Duration.ofSeconds(3)), Duration.ofSeconds(60), false, Sandbox.Choice.AUTO),
                TestFiles.reference(), TestFiles.referenceSources(), "test", new PrintWriter(err, true));
        log = err.toString();
        Files.createDirectories(ARTIFACTS);
        Files.copy(out.resolve(ClassReport.PAGE), ARTIFACTS.resolve(ClassReport.PAGE),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The reference's Tanh, but backward throws {@code message}. */
    static String throwingTanh(String message) {
        StringBuilder literal = new StringBuilder("\"");
        message.codePoints().forEach(cp -> literal.append(cp == '"' || cp == '\\' ? "\\" + (char) cp
                : cp < 127 ? Character.toString(cp) : String.format("\\u%04x", cp)));
        literal.append('"');
        return "package homework;\n\nimport backprop.api.Activation;\nimport backprop.api.Matrix;\n\n"
                + "public final class Tanh implements Activation {\n"
                + "    public Matrix forward(Matrix z) {\n        return z.map(Math::tanh);\n    }\n\n"
                + "    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {\n"
                + "        throw new IllegalStateException(" + literal + ");\n    }\n}\n";
    }

    static void open() {
        browser.get(out.resolve(ClassReport.PAGE).toUri().toString());
    }

    static List<CSVRecord> csv(String name) throws Exception {
        try (Reader r = Files.newBufferedReader(out.resolve(name));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return new ArrayList<>(p.getRecords());
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T js(String script, Object... args) {
        return (T) browser.executeScript(script, args);
    }

    @Test
    void theHistogramsBarsCountTheScoresOfScoresCsv() throws Exception {
        open();
        int[] expected = new int[10];
        for (CSVRecord r : csv("scores.csv")) {
            if (!r.get("student").equals(ScoreCards.POINTS_POSSIBLE)) {
                expected[Math.min(9, (int) Math.floor(Double.parseDouble(r.get("percent")) / 10))]++;
            }
        }
        List<WebElement> bars = browser.findElements(By.cssSelector("svg.histogram rect.bar"));
        assertThat(bars).hasSize(10);
        int most = java.util.Arrays.stream(expected).max().orElse(1);
        for (int b = 0; b < 10; b++) {
            WebElement bar = bars.get(b);
            assertThat(bar.getDomAttribute("data-from")).isEqualTo(Integer.toString(10 * b));
            assertThat(bar.getDomAttribute("data-to")).isEqualTo(Integer.toString(10 * b + 10));
            assertThat(bar.getDomAttribute("data-count")).as("bucket %d", b).isEqualTo(Integer.toString(expected[b]));
            assertThat(bar.findElement(By.tagName("title")).getDomProperty("textContent"))
                    .startsWith(10 * b + "–" + (10 * b + 10) + " %: " + expected[b] + " student");
            // the bar's drawn height is its share of the tallest
            assertThat(bar.getRect().getHeight()).as("bucket %d", b)
                    .isCloseTo(bars.get(argmax(expected)).getRect().getHeight() * expected[b] / most,
                            org.assertj.core.data.Offset.offset(2));
        }
        List<Object> labels = js("return Array.from(document.querySelectorAll('svg.histogram text:not(.axis)'))"
                + ".map(t => t.textContent)");
        assertThat(labels).as("the count drawn on each bar")
                .isEqualTo(java.util.Arrays.stream(expected).mapToObj(Integer::toString).toList());
    }

    private static int argmax(int[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            best = a[i] > a[best] ? i : best;
        }
        return best;
    }

    @Test
    void thePassRatesAreThoseOfDetailsCsv() throws Exception {
        open();
        Map<String, Integer> passed = new TreeMap<>();
        int students = 0;
        for (CSVRecord r : csv("details.csv")) {
            if (r.get("kind").equals("submission")) {
                students++;
            } else if (!r.get("kind").equals("compiler")) {
                passed.merge(r.get("assignment") + " / " + r.get("check"), r.get("status").equals("passed")
                        || r.get("status").equals("inconclusive") ? 1 : 0, Integer::sum);
            }
        }
        List<List<Object>> rows = js("return Array.from(document.querySelectorAll('table.checks tbody tr'))"
                + ".map(r => [r.dataset.assignment + ' / ' + r.dataset.check, r.cells[3].innerText,"
                + " r.cells[4].innerText])");
        Map<String, Integer> shown = new TreeMap<>();
        List<Double> rates = new ArrayList<>();
        for (List<Object> row : rows) {
            String passedText = (String) row.get(1);
            assertThat(passedText).endsWith(" of " + students);
            int n = Integer.parseInt(passedText.substring(0, passedText.indexOf(' ')));
            shown.put((String) row.get(0), n);
            assertThat((String) row.get(2)).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f %%",
                    100.0 * n / students));
            rates.add((double) n);
        }
        assertThat(shown).isEqualTo(passed);
        assertThat(rates).as("least passed first").isSorted();
        assertThat(browser.findElements(By.cssSelector("table.checks tr[data-hidden='true'] .hidden-check")))
                .as("hidden checks are marked").isNotEmpty();
    }

    @Test
    void theTableSortsWhenAHeaderIsClicked() {
        open();
        WebElement points = browser.findElement(By.xpath("//table[contains(@class,'students')]//th[.='Points']"));
        points.findElement(By.tagName("button")).click();
        assertThat(points.getDomAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(column(4)).isSorted().hasSize(HOSTILE.size() + 5);
        points.findElement(By.tagName("button")).click();
        assertThat(points.getDomAttribute("aria-sort")).isEqualTo("descending");
        List<Double> down = column(4);
        assertThat(down.get(0)).isGreaterThanOrEqualTo(down.get(down.size() - 1));
        assertThat(down).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        WebElement student = browser.findElement(By.xpath("//table[contains(@class,'students')]//th[.='Student']"));
        student.findElement(By.tagName("button")).click();
        assertThat(student.getDomAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(points.getDomAttribute("aria-sort")).isNull();
    }

    private static List<Double> column(int i) {
        List<Object> keys = js("return Array.from(document.querySelectorAll('table.students tbody tr'))"
                + ".map(r => r.cells[arguments[0] - 1].dataset.sort)", i);
        return keys.stream().map(k -> Double.parseDouble((String) k)).toList();
    }

    @Test
    void eachStudentsLinkLandsOnTheirSection() {
        open();
        List<WebElement> links = browser.findElements(By.cssSelector("table.students tbody td:first-child a"));
        assertThat(links).hasSize(HOSTILE.size() + 5);
        for (WebElement a : links) {
            String shown = a.getDomProperty("textContent");
            a.click();
            Map<String, Object> target = js("const t = document.querySelector(':target'); const r = t && "
                    + "t.getBoundingClientRect(); return t && {tag: t.tagName, id: t.id, heading: "
                    + "t.querySelector('h3').textContent, top: r.top, height: window.innerHeight, hash: "
                    + "location.hash}");
            assertThat(target).as(shown).isNotNull();
            assertThat(target.get("tag")).isEqualTo("SECTION");
            assertThat((String) target.get("hash")).isEqualTo("#" + target.get("id"));
            assertThat((String) target.get("heading")).as("the section of %s", shown).startsWith(shown);
            assertThat(((Number) target.get("top")).doubleValue()).as("scrolled to %s", shown)
                    .isBetween(-1.0, ((Number) target.get("height")).doubleValue());
        }
    }

    @Test
    void hostileIdsNamesAndMessagesShowAsTextAndRunNothing() throws Exception {
        open();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        Map<String, Object> dom = js("return {scripts: document.scripts.length, images: document.images.length,"
                + " h1: document.querySelectorAll('h1').length, svg: document.querySelectorAll('svg').length,"
                + " bold: document.querySelectorAll('b').length, injected: !!document.getElementById('injected'),"
                + " handlers: document.querySelectorAll('[onerror],[onload],[onmouseover],[onclick]').length,"
                + " links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
                + ".filter(h => !h.startsWith('#')).length}");
        assertThat(dom).containsEntry("scripts", 1L).containsEntry("images", 0L).containsEntry("h1", 1L)
                .containsEntry("svg", 1L).containsEntry("bold", 0L).containsEntry("injected", false)
                .containsEntry("handlers", 0L).containsEntry("links", 0L);
        Map<String, String> names = new LinkedHashMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("table.students tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            names.put(cells.get(0).getDomProperty("textContent"), cells.get(1).getDomProperty("textContent"));
        }
        for (Hostile h : HOSTILE) {
            assertThat(names).as(log).containsEntry(h.id(), h.shownName());
            WebElement section = browser.findElement(By.id(Html.anchor("s-", h.rawId())));
            assertThat(section.findElement(By.tagName("h3")).getDomProperty("textContent")).startsWith(h.id());
            assertThat(section.findElements(By.cssSelector("td.message"))).extracting(e -> e.getDomProperty(
                    "textContent")).anyMatch(m -> m.contains("threw IllegalStateException: " + h.shownMessage()));
        }
        WebElement first = browser.findElement(By.id(Html.anchor("s-", HOSTILE.get(2).rawId())));
        browser.executeScript("arguments[0].scrollIntoView()", first);
        Files.write(ARTIFACTS.resolve("hostile-student.png"), browser.getScreenshotAs(OutputType.BYTES));
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void thePageLogsNoConsoleErrorAndIsKeptAsAScreenshot() throws Exception {
        open();
        browser.findElement(By.xpath("//table[contains(@class,'checks')]//th[.='Rate']//button")).click();
        Files.write(ARTIFACTS.resolve("index.png"), browser.getScreenshotAs(OutputType.BYTES));
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()).toList();
        assertThat(errors).isEmpty();
        assertThat(ARTIFACTS.resolve("index.png")).isNotEmptyFile();
    }
}
