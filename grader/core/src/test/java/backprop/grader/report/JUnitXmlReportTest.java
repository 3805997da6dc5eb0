package backprop.grader.report;

import static backprop.grader.report.FormatFixtures.SEED_000;
import static backprop.grader.report.FormatFixtures.SEED_003A;
import static backprop.grader.report.FormatFixtures.assertGolden;
import static backprop.grader.report.FormatFixtures.assignments;
import static backprop.grader.report.FormatFixtures.results;
import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.junit.StudentReport;
import backprop.grader.spec.Checkpoint.Visibility;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * JUnit XML against Maven Surefire's schema ({@code surefire-test-report-3.0.xsd}): golden files, then parsed with
 * the JDK's DocumentBuilder and checked for every element and attribute the schema requires.
 */
class JUnitXmlReportTest {
    /** The schema's {@code SUREFIRE_TIME} pattern. */
    private static final String SUREFIRE_TIME = "(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\\.[0-9]{0,3})?";
    private static final Map<String, Duration> TIMES = Map.of("seed-000", Duration.ofMillis(412),
            "seed-003a", Duration.ofMillis(1_234_567));

    private static Map<String, String> files() {
        return JUnitXmlReport.files(assignments(), results(), TIMES);
    }

    @Test
    void oneFilePerAssignmentMatchingTheGoldenFiles() {
        Map<String, String> files = files();
        assertThat(files).containsOnlyKeys("TEST-seed-000.xml", "TEST-seed-003a.xml");
        files.forEach((name, xml) -> assertGolden("junit/" + name, xml));
    }

    @Test
    void theSameBytesUnderAGermanDefaultLocale() {
        Map<String, String> files = FormatFixtures.underGermanLocale(JUnitXmlReportTest::files);
        assertThat(files.get("TEST-seed-000.xml")).contains("time=\"0.412\"");
        files.forEach((name, xml) -> assertGolden("junit/" + name, xml));
    }

    @Test
    void eachTestCaseHasItsShareOfTheAssignmentsMeasuredTime() throws Exception {
        Element suite = parse(JUnitXmlReport.suite(SEED_000, results(), Duration.ofMillis(412))).getDocumentElement();
        NodeList cases = suite.getElementsByTagName("testcase");
        double sum = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            String time = ((Element) cases.item(i)).getAttribute("time");
            assertThat(time).isEqualTo("0.137").matches(SUREFIRE_TIME);
            sum += Double.parseDouble(time);
        }
        assertThat(sum).isCloseTo(0.412, org.assertj.core.data.Offset.offset(0.001 * cases.getLength()));
    }

    @Test
    void aShareUnderHalfAMillisecondIsWrittenAsTheSmallestTimeTheSchemaAllowsNeverAsZero() throws Exception {
        Element fast = parse(JUnitXmlReport.suite(SEED_000, results(), Duration.ofNanos(600_000)))
                .getDocumentElement();
        assertThat(fast.getAttribute("time")).isEqualTo("0.001");
        NodeList cases = fast.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            assertThat(((Element) cases.item(i)).getAttribute("time")).isEqualTo("0.001").matches(SUREFIRE_TIME);
        }
        Element untimed = parse(JUnitXmlReport.suite(SEED_000, results(), Duration.ZERO)).getDocumentElement();
        assertThat(untimed.getAttribute("time")).isEqualTo("0.000");
    }

    @Test
    void aSubmissionThatDoesNotCompileIsOneFailedTestCaseCarryingTheCompilersMessages() throws Exception {
        List<String> errors = List.of("Relu.java:13: ';' expected", "Sum.java:4: cannot find symbol <T> & \"x\"");
        String xml = JUnitXmlReport.compileError(errors, Duration.ofMillis(1234));
        assertGolden("junit/" + JUnitXmlReport.COMPILE_ERROR_FILE, xml);
        assertThat(JUnitXmlReport.COMPILE_ERROR_FILE).isEqualTo("TEST-submission.xml");
        Element suite = parse(xml).getDocumentElement();
        assertThat(List.of(suite.getAttribute("name"), suite.getAttribute("tests"), suite.getAttribute("failures"),
                suite.getAttribute("errors"), suite.getAttribute("skipped"), suite.getAttribute("time")))
                .containsExactly("submission", "1", "1", "0", "0", "1.234");
        Element c = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(c.getAttribute("classname") + " › " + c.getAttribute("name")).isEqualTo("submission › compiles");
        assertThat(c.getAttribute("time")).matches(SUREFIRE_TIME);
        Element failure = (Element) c.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("does not compile: Relu.java:13: ';' expected");
        assertThat(failure.getAttribute("type")).isEqualTo("compile error");
        assertThat(failure.getTextContent()).isEqualTo(String.join("\n", errors));
    }

    @Test
    void theSuiteHasTheAttributesTheSchemaRequiresWithTheRightCounts() throws Exception {
        Element suite = parse(JUnitXmlReport.suite(SEED_003A, results(), Duration.ofSeconds(2))).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("seed-003a");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("2.000").matches(SUREFIRE_TIME);
        assertThat(property(suite, "title")).isEqualTo("Tanh hidden layer, softmax cross-entropy");
        assertThat(property(suite, "points")).isEqualTo("0.75");
        assertThat(property(suite, "points.possible")).isEqualTo("4.25");

        Element seed000 = parse(JUnitXmlReport.suite(SEED_000, results(), Duration.ZERO)).getDocumentElement();
        assertThat(List.of(seed000.getAttribute("tests"), seed000.getAttribute("failures"),
                seed000.getAttribute("errors"), seed000.getAttribute("skipped"))).containsExactly("3", "1", "0", "1");
    }

    @Test
    void everyCheckIsATestCaseWithItsOutcome() throws Exception {
        List<CheckResult> rs = results();
        for (Map.Entry<String, String> f : files().entrySet()) {
            Element suite = parse(f.getValue()).getDocumentElement();
            NodeList cases = suite.getElementsByTagName("testcase");
            assertThat(cases.getLength()).isEqualTo(Integer.parseInt(suite.getAttribute("tests")));
            int failures = 0;
            int errors = 0;
            int skipped = 0;
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                assertThat(c.hasAttribute("name")).isTrue();
                assertThat(c.hasAttribute("time")).as("required by the schema").isTrue();
                assertThat(c.getAttribute("time")).matches(SUREFIRE_TIME);
                String assignment = c.getAttribute("classname");
                assertThat(assignment).isEqualTo(suite.getAttribute("name"));
                CheckResult r = rs.stream().filter(x -> x.assignment().equals(assignment)
                        && x.check().equals(c.getAttribute("name"))).findFirst().orElseThrow();
                List<Element> children = children(c);
                switch (r.status()) {
                    case PASSED -> assertThat(children).isEmpty();
                    case INCONCLUSIVE -> {
                        assertThat(children).extracting(Element::getTagName).containsExactly("system-out");
                        assertThat(children.get(0).getTextContent()).isEqualTo(StudentReport.failure(r));
                    }
                    case FAILED, ERROR -> {
                        String tag = r.status() == Status.FAILED ? "failure" : "error";
                        assertThat(children).extracting(Element::getTagName).containsExactly(tag);
                        Element e = children.get(0);
                        assertThat(e.getAttribute("message")).isEqualTo(r.message());
                        assertThat(e.getAttribute("type")).as("required by the schema").isNotEmpty();
                        assertThat(e.getTextContent()).isEqualTo(StudentReport.failure(r));
                        if (r.status() == Status.FAILED) {
                            failures++;
                        } else {
                            errors++;
                        }
                    }
                    case SKIPPED -> {
                        assertThat(children).extracting(Element::getTagName).containsExactly("skipped");
                        assertThat(children.get(0).getAttribute("message")).isEqualTo(r.message());
                        skipped++;
                    }
                }
            }
            assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(failures));
            assertThat(suite.getAttribute("errors")).isEqualTo(String.valueOf(errors));
            assertThat(suite.getAttribute("skipped")).isEqualTo(String.valueOf(skipped));
        }
    }

    @Test
    void markupLineBreaksAndCharactersXmlCannotHoldSurviveAParser() throws Exception {
        String message = "threw <IllegalState> & \"quoted\"\r\nsecond line\ttab \u0001 \uD800 end";
        CheckResult odd = new CheckResult("seed-000", "odd <&> check", "unit", Status.ERROR, 0, 1,
                Visibility.VISIBLE, Optional.empty(), message, Optional.empty());
        Element suite = parse(JUnitXmlReport.suite(SEED_000, List.of(odd), Duration.ZERO)).getDocumentElement();
        Element c = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(c.getAttribute("name")).isEqualTo("odd <&> check");
        Element error = (Element) c.getElementsByTagName("error").item(0);
        String kept = "threw <IllegalState> & \"quoted\"\r\nsecond line\ttab \uFFFD \uFFFD end";
        assertThat(error.getAttribute("message")).isEqualTo(kept);
        assertThat(error.getTextContent()).contains("\"quoted\"\r\n").contains("\uFFFD end");
    }

    @Test
    void filesAreWrittenAtomicallyUnderSurefireNames(@TempDir Path dir) throws Exception {
        List<Path> written = JUnitXmlReport.writeAll(dir, assignments(), results(), TIMES);
        assertThat(written).containsExactly(dir.resolve("TEST-seed-000.xml"), dir.resolve("TEST-seed-003a.xml"));
        for (Path p : written) {
            assertThat(Files.readString(p)).isEqualTo(files().get(p.getFileName().toString()));
        }
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all).hasSize(2);
        }
        assertThat(JUnitXmlReport.fileName("ops/unit 1")).isEqualTo("TEST-ops_unit_1.xml");
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String property(Element suite, String name) {
        NodeList ps = suite.getElementsByTagName("property");
        for (int i = 0; i < ps.getLength(); i++) {
            Element p = (Element) ps.item(i);
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        throw new AssertionError("no property " + name);
    }

    private static List<Element> children(Element e) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                out.add(child);
            }
        }
        return out;
    }
}
