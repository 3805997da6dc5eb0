package grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a student's tests can see: their own classes, the contracts and the checking engine, and never the
 * reference solution or a hidden assignment. (Plain JUnit assertions: nothing more to load on every run.)
 */
class ClasspathTest {

    @Test
    void theHomeworkClassesAreTheStudentsOwn() throws URISyntaxException {
        Path where = Path.of(homework.Backprop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(Path.of("target/classes").toAbsolutePath(), where.toAbsolutePath());
    }

    @Test
    void theReferenceSolutionIsNotOnTheClassPath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String referenceClasses = Path.of("grader", "reference", "target", "classes").toString();
        assertTrue(entries.stream().noneMatch(e -> e.contains("grader-reference") || e.endsWith(referenceClasses)),
                () -> "the reference is on the class path: " + entries);
        assertTrue(entries.stream().anyMatch(e -> e.contains("grader-api") || e.contains("api" + File.separator
                + "target")), () -> "no contracts on the class path: " + entries);
        assertTrue(entries.stream().anyMatch(e -> e.contains("grader-core") || e.contains("core" + File.separator
                + "target")), () -> "no checking engine on the class path: " + entries);
        // Every homework class on the path comes from the student's own folder, whatever its name.
        assertEquals(List.of(Path.of("target/classes").toAbsolutePath().toString()), entries.stream()
                .filter(e -> Files.isRegularFile(Path.of(e, "homework", "Backprop.class"))).toList());
    }

    @Test
    void noHiddenAssignmentIsReachable() throws IOException {
        Path dir = Path.of(System.getProperty("backprop.assignments", "assignments"));
        assertFalse(dir.toAbsolutePath().normalize().toString().contains("hidden"), dir::toString);
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.map(Path::toString).noneMatch(p -> p.contains("hidden")));
        }
        assertNull(Thread.currentThread().getContextClassLoader().getResource("assignments/hidden"));
    }
}
