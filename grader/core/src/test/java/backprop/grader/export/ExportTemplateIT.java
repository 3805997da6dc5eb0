package backprop.grader.export;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports a student repository, builds fresh copies of it with its own Maven wrapper — with the stubs (every public
 * check fails with a message), with the reference dropped in (full marks), and with {@code -Dcheck} and
 * {@code -Dtest} selections — reads the Surefire XML and the summary each writes, and scans the export for anything
 * a student must not see.
 */
class ExportTemplateIT {
    @TempDir
    static Path dir;
    static TemplateExport.Result export;

    @BeforeAll
    static void exportOnce() throws IOException {
        export = TemplateExport.export(TestFiles.root(), dir.resolve("export"));
    }

    private static Path freshCopy(String name) throws IOException {
        Path to = dir.resolve(name);
        try (Stream<Path> s = Files.walk(export.out())) {
            for (Path p : s.toList()) {
                Path t = to.resolve(export.out().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        to.resolve("mvnw").toFile().setExecutable(true);
        return to;
    }

    private static int mvnTest(Path repo, Path log, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "test"));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the exported build did not finish in 10 minutes; see " + log);
        }
        return p.exitValue();
    }

    private static String xml(Path repo) throws IOException {
        return Files.readString(repo.resolve("target/surefire-reports/TEST-grading.PublicChecksTest.xml"));
    }

    /** The names of the test cases in a Surefire XML report, as CI shows them. */
    private static List<String> testNames(String xml) {
        Matcher m = Pattern.compile("<testcase name=\"([^\"]*)\" classname=\"grading.PublicChecksTest\"").matcher(xml);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1).replace("&gt;", ">").replace("&amp;", "&"));
        }
        return names;
    }

    /** The points line comes after everything Surefire printed, its list of failures included. */
    private static void assertThePointsComeLast(String log, String points) {
        List<String> lines = log.lines().toList();
        int line = -1;
        int surefire = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(points)) {
                line = i;
            }
            if (lines.get(i).contains("Tests run:") || lines.get(i).contains("There are test failures")) {
                surefire = i;
            }
        }
        assertThat(line).as(log).isGreaterThan(surefire).isPositive();
        assertThat(lines.subList(line + 1, lines.size())).as(log)
                .allSatisfy(l -> assertThat(l).doesNotContain("Tests run:").doesNotContain("<<< FAILURE"));
    }

    @Test
    void theStubsBuildAndEveryPublicCheckFailsWithAMessage() throws Exception {
        Path repo = freshCopy("stubs");
        Path log = dir.resolve("stubs.log");
        assertThat(mvnTest(repo, log)).as(Files.readString(log)).isEqualTo(1);
        String xml = xml(repo);
        Matcher m = Pattern.compile("<failure message=\"([^\"]*)\"").matcher(xml);
        List<String> failures = new ArrayList<>();
        while (m.find()) {
            failures.add(m.group(1));
        }
        assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f).contains("not implemented yet: "));
        assertThat(testNames(xml)).contains("seed-003a › dL/dW2", "ops › relu › forward", "scale-784-128-10 › dL/dW1")
                .noneMatch(n -> n.contains("publicChecks()") || n.contains("["));
        String summary = Files.readString(repo.resolve("target/grading/summary.md"));
        assertThat(summary).contains("public checks: 0/").contains("| `ops › relu › forward` | error | 0 / ");
        assertThePointsComeLast(Files.readString(log), "public checks: 0/");
        assertThat(Files.readString(log)).contains("Failed to execute goal org.codehaus.mojo:exec-maven-plugin")
                .contains("public checks: 0/");
    }

    private static Path withSolution(String name) throws IOException {
        Path repo = freshCopy(name);
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path p : s.toList()) {
                Files.copy(p, repo.resolve("src/main/java/homework").resolve(p.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return repo;
    }

    @Test
    void theReferenceDroppedInEarnsEveryPublicPoint() throws Exception {
        Path repo = withSolution("with-solution");
        Path log = dir.resolve("reference.log");
        assertThat(mvnTest(repo, log)).as(Files.readString(log)).isZero();
        String summary = Files.readString(repo.resolve("target/grading/summary.md"));
        Matcher m = Pattern.compile("public checks: ([0-9.]+)/([0-9.]+) points").matcher(summary);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        assertThat(Files.readString(log)).contains("Tests run:").contains("Failures: 0, Errors: 0, Skipped: 0");
        assertThePointsComeLast(Files.readString(log), m.group());
        // every check is listed with its status, passed ones too; the last test is the points line
        List<String> names = testNames(xml(repo));
        assertThat(names).contains("ops › relu › forward", "scale-784-128-10 › dL/dW1");
        for (String n : names.subList(0, names.size() - 1)) {
            assertThat(summary).contains("| `" + n + "` | passed |");
        }
        assertThat(names.get(names.size() - 1)).startsWith(m.group());
    }

    @Test
    void oneAssignmentOrOneCheckRunsAloneAndATestPatternThatNamesChecksSaysWhatToUse() throws Exception {
        Path repo = withSolution("selections");
        Path log = dir.resolve("check.log");
        assertThat(mvnTest(repo, log, "-Dcheck=seed-003a > dL/dW2,seed-001")).as(Files.readString(log)).isZero();
        List<String> names = testNames(xml(repo));
        assertThat(names.subList(0, names.size() - 1)).contains("seed-003a › dL/dW2", "seed-001 › dL/dv")
                .allMatch(n -> n.equals("seed-003a › dL/dW2") || n.startsWith("seed-001 › "));
        assertThat(Files.readString(log)).contains("public checks matching -Dcheck=seed-003a > dL/dW2,seed-001: ");

        Path wrong = dir.resolve("test.log");
        assertThat(mvnTest(repo, wrong, "-Dtest=seed-001*,PublicChecksTest#dL*")).as(Files.readString(wrong))
                .isEqualTo(1);
        assertThat(Files.readString(wrong)).contains("-Dtest=seed-001*,PublicChecksTest#dL* ran no test")
                .contains("-Dcheck='seed-001*'");

        Path none = dir.resolve("none.log");
        assertThat(mvnTest(repo, none, "-Dcheck=seed-01*")).as(Files.readString(none)).isEqualTo(1);
        assertThat(Files.readString(none)).contains("'seed-01*' matches no public check. The assignments:")
                .contains("seed-003a");
    }

    @Test
    void nothingOfTheReferenceAndNoHiddenCheckIsInTheExport() throws Exception {
        List<String> referenceSources = new ArrayList<>();
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path p : s.toList()) {
                referenceSources.add(Files.readString(p));
            }
        }
        try (Stream<Path> s = Files.walk(export.out())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = export.out().relativize(p).toString();
                assertThat(rel).doesNotContain("reference").doesNotContain("hidden");
                if (rel.endsWith(".java") || rel.endsWith(".yaml") || rel.endsWith(".md")) {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    assertThat(referenceSources).as(rel).doesNotContain(text);
                    assertThat(text).as(rel).doesNotContain("visibility: hidden");
                }
                if (rel.endsWith(".jar")) {
                    try (JarFile jar = new JarFile(p.toFile())) {
                        assertThat(jar.stream().map(e -> e.getName())).as(rel)
                                .noneMatch(n -> n.startsWith("homework/") || n.contains("reference"));
                    }
                }
            }
        }
        assertThat(export.hiddenRemoved()).isPositive();
        try (Stream<Path> s = Files.list(TestFiles.publicAssignments())) {
            assertThat(export.assignments()).hasSize((int) s.filter(p -> p.toString().endsWith(".yaml")).count());
        }
    }

    @Test
    void aStudentsRunIsShortLivedAndResolvesOnlyWhatTheChecksLoad() throws Exception {
        // Maven's own JVM and the checks' JVM both run a few seconds: the quick compiler alone, a serial collector
        assertThat(export.out().resolve(".mvn/jvm.config")).content().contains("-XX:TieredStopAtLevel=1")
                .contains("-XX:+UseSerialGC");
        assertThat(Files.readString(export.out().resolve("pom.xml"))).contains("<argLine>-XX:TieredStopAtLevel=1");
        String engine = Files.readString(export.out().resolve("lib/dev/backprop/grader-core/" + export.version()
                + "/grader-core-" + export.version() + ".pom"));
        assertThat(engine).contains("<artifactId>jackson-dataformat-yaml</artifactId>")
                .doesNotContain("<artifactId>commons-csv</artifactId>").doesNotContain("<artifactId>picocli</artifactId>");
        assertThat(engine.substring(engine.indexOf("<exclusions>"))).contains("jackson-databind");
    }

    @Test
    void theWorkflowParsesAndRunsTheChecksWritesTheSummaryAndUploadsTheReports() throws Exception {
        JsonNode wf = new ObjectMapper(new YAMLFactory()).readTree(export.out()
                .resolve(".github/workflows/grade.yml").toFile());
        assertThat(wf.path("on").has("push")).isTrue();
        JsonNode steps = wf.path("jobs").path("grade").path("steps");
        List<String> names = new ArrayList<>();
        steps.forEach(st -> names.add(st.path("name").asText()));
        assertThat(names).contains("Run the public checks", "Write the points to the job summary",
                "Upload the JUnit XML reports");
        String all = steps.toString();
        assertThat(all).contains("./mvnw -B test").contains("GITHUB_STEP_SUMMARY").contains("target/grading/summary.md")
                .contains("actions/upload-artifact").contains("target/surefire-reports");
    }
}
