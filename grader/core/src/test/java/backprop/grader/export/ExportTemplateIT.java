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
 * Exports a student repository, builds fresh copies of it with its own Maven wrapper — once with the stubs
 * (every public check fails with a message) and once with the reference dropped in (full marks) — and scans it
 * for anything a student must not see.
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

    private static int mvnTest(Path repo, Path log) throws Exception {
        Process p = new ProcessBuilder("./mvnw", "-B", "test").directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the exported build did not finish in 10 minutes; see " + log);
        }
        return p.exitValue();
    }

    @Test
    void theStubsBuildAndEveryPublicCheckFailsWithAMessage() throws Exception {
        Path repo = freshCopy("stubs");
        Path log = dir.resolve("stubs.log");
        assertThat(mvnTest(repo, log)).as(Files.readString(log)).isEqualTo(1);
        String xml = Files.readString(repo.resolve("target/surefire-reports/TEST-grading.PublicChecksTest.xml"));
        Matcher m = Pattern.compile("<failure message=\"([^\"]*)\"").matcher(xml);
        List<String> failures = new ArrayList<>();
        while (m.find()) {
            failures.add(m.group(1));
        }
        assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f).contains("not implemented yet: "));
        assertThat(Files.readString(repo.resolve("target/grading/summary.md"))).contains("public checks: 0/");
    }

    @Test
    void theReferenceDroppedInEarnsEveryPublicPoint() throws Exception {
        Path repo = freshCopy("with-solution");
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path p : s.toList()) {
                Files.copy(p, repo.resolve("src/main/java/homework").resolve(p.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path log = dir.resolve("reference.log");
        assertThat(mvnTest(repo, log)).as(Files.readString(log)).isZero();
        String summary = Files.readString(repo.resolve("target/grading/summary.md"));
        Matcher m = Pattern.compile("public checks: ([0-9.]+)/([0-9.]+) points").matcher(summary);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        assertThat(Files.readString(log)).contains("Tests run:").contains("Failures: 0, Errors: 0, Skipped: 0");
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
