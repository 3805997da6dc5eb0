package backprop.grader.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last step of a student's build: the points come last, and the build fails when it must. */
class PointsTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final String build = DateTimeFormatter.ofPattern(Points.BUILD_FORMAT).withZone(ZoneOffset.UTC)
            .format(Instant.now().minusSeconds(30));

    private Path grading() {
        return dir.resolve("grading");
    }

    private Path reports() {
        return dir.resolve("reports");
    }

    private void report(String name, int tests, int failures, int errors, Instant written) throws IOException {
        Path f = Files.createDirectories(reports()).resolve("TEST-" + name + ".xml");
        Files.writeString(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"" + name + "\" time=\"1\" "
                + "tests=\"" + tests + "\" errors=\"" + errors + "\" skipped=\"0\" failures=\"" + failures + "\">\n"
                + "</testsuite>\n");
        Files.setLastModifiedTime(f, FileTime.from(written));
    }

    private void checksRan(String line) {
        Points.write(grading().resolve("summary.md"), build, new Points.Result(line, 10, 0, false));
    }

    private String run(String... properties) throws IOException {
        Properties p = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        Points.run(grading(), reports(), build, p, new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void allPassedPrintsThePointsAndWhereTheSummaryIs() throws IOException {
        checksRan("public checks: 50/50 points (10 of 10 checks passed) — hidden checks are graded separately");
        report("grading.PublicChecksTest", 11, 0, 0, Instant.now());
        run();
        assertThat(lines()).containsExactly("", "public checks: 50/50 points (10 of 10 checks passed) — hidden "
                + "checks are graded separately", "every check, with its status: " + grading().resolve("summary.md"));
    }

    @Test
    void aFailedTestFailsTheBuildWithThePointsAsItsMessage() throws IOException {
        checksRan("public checks: 20/50 points (4 of 10 checks passed) — hidden checks are graded separately");
        report("grading.PublicChecksTest", 11, 5, 1, Instant.now());
        report("grading.ClasspathTest", 3, 0, 0, Instant.now());
        assertThatThrownBy(this::run).isInstanceOf(Points.ChecksFailed.class)
                .hasMessage("public checks: 20/50 points (4 of 10 checks passed) — hidden checks are graded "
                        + "separately (6 tests failed: see the list above)");
        assertThat(lines().get(1)).startsWith("public checks: 20/50");
    }

    @Test
    void reportsAndResultsOfEarlierBuildsDoNotCount() throws IOException {
        Points.write(grading().resolve("summary.md"), "20000101000000000", new Points.Result("old", 1, 1, false));
        report("grading.PublicChecksTest", 11, 5, 0, Instant.now().minusSeconds(3600));
        report("homework.MyOwnTest", 2, 0, 0, Instant.now());
        run("test", "MyOwnTest");
        assertThat(lines().get(1)).isEqualTo("the public checks did not run in this build (-Dtest=MyOwnTest)");
    }

    @Test
    void aTestPatternThatRanNothingSaysToUseCheck() throws IOException {
        report("grading.PublicChecksTest", 0, 0, 0, Instant.now());
        assertThatThrownBy(() -> run("test", "PublicChecksTest#seed-001*")).isInstanceOf(Points.ChecksFailed.class)
                .hasMessageStartingWith("-Dtest=PublicChecksTest#seed-001* ran no test")
                .hasMessageContaining("-Dcheck='seed-001*'").hasMessageContaining("-Dcheck='seed-003a > dL/dW2'");
        // as surefire itself, it lets a developer say that no test is fine
        printed.reset();
        run("test", "seed-001*", "surefire.failIfNoSpecifiedTests", "false");
        assertThat(lines().get(1)).startsWith("the public checks did not run in this build");
    }

    @Test
    void checksThatCouldNotRunFailTheBuildAndSayWhy() throws IOException {
        Points.write(grading().resolve("summary.md"), build, Points.Result.broken("-Dcheck: 'x' matches no public "
                + "check."));
        report("grading.PublicChecksTest", 1, 0, 1, Instant.now());
        assertThatThrownBy(this::run).hasMessageStartingWith("the public checks could not run: -Dcheck: 'x'");
    }

    @Test
    void skippedTestsPrintNothing() throws IOException {
        run("skipTests", "true");
        run("maven.test.skip", "true");
        assertThat(printed.size()).isZero();
    }
}
