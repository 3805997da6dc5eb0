package grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a student's tests can see: their own classes, the contracts and the checking engine, and never the
 * reference solution or a hidden assignment.
 */
class ClasspathTest {

    @Test
    void theHomeworkClassesAreTheStudentsOwn() throws URISyntaxException {
        Path where = Path.of(homework.Backprop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path own = Path.of("target/classes").toAbsolutePath();
        assertThat(where.toAbsolutePath()).isEqualTo(own);
    }

    @Test
    void theReferenceSolutionIsNotOnTheClassPath() {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        assertThat(entries).noneMatch(e -> e.contains("grader-reference")
                || e.endsWith(Path.of("grader", "reference", "target", "classes").toString()));
        assertThat(entries).anyMatch(e -> e.contains("grader-api") || e.contains("api" + File.separator + "target"));
        assertThat(entries).anyMatch(e -> e.contains("grader-core") || e.contains("core" + File.separator + "target"));
        // Every homework class on the path comes from the student's own folder, whatever its name.
        assertThat(Arrays.stream(entries).filter(e -> Files.isRegularFile(Path.of(e, "homework", "Backprop.class"))))
                .containsExactly(Path.of("target/classes").toAbsolutePath().toString());
    }

    @Test
    void noHiddenAssignmentIsReachable() throws Exception {
        Path dir = Path.of(System.getProperty("backprop.assignments", "assignments"));
        assertThat(dir.toAbsolutePath().normalize().toString()).doesNotContain("hidden");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("hidden"));
        }
        assertThat(Thread.currentThread().getContextClassLoader().getResource("assignments/hidden")).isNull();
    }
}
