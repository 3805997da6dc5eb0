package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} (what a CI runs on a student's repository) and {@code gradescope} compile in the compile process
 * and follow no link, as {@code grade} does.
 */
class UntrustedSourcesTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String seed000() {
        return TestFiles.publicAssignments().resolve("seed-000.yaml").toString();
    }

    /** A student repository whose {@code src} is a link to the reference's. */
    private static Path linkedRepository(Path dir) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.createSymbolicLink(repo.resolve("src"), TestFiles.root().resolve("grader/reference/src"));
        return repo;
    }

    @Test
    void checkRefusesASourceFolderThatIsALinkAndExitsOne(@TempDir Path dir) throws Exception {
        int code = run("check", "--submission", linkedRepository(dir).toString(), "--assignments", seed000());
        assertThat(code).as(out + "" + err).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("refused: src is a symbolic link (to "
                + TestFiles.root().resolve("grader/reference/src") + "); the grader follows no link in a submission")
                .doesNotContain("passed");
    }

    @Test
    void checkRefusesCompiledClassesReachedThroughALink(@TempDir Path dir) throws Exception {
        Path hw = Files.createDirectories(dir.resolve("classes/homework"));
        Path target = TestFiles.root().resolve("grader/reference/target/classes/homework/Backprop.class");
        Files.createSymbolicLink(hw.resolve("Backprop.class"), target);
        int code = run("check", "--submission", dir.resolve("classes").toString(), "--assignments", seed000());
        assertThat(code).as(out + "" + err).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("homework/Backprop.class is a symbolic link").doesNotContain("passed");
    }

    @Test
    void checkStopsAMemoryBombInTheCompileProcess(@TempDir Path dir) throws Exception {
        Path hw = Files.createDirectories(dir.resolve("sub/src/main/java/homework"));
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.toList()) {
                Files.copy(f, hw.resolve(f.getFileName()));
            }
        }
        Files.copy(TestFiles.root().resolve("grader/core/src/test/resources/hostile-compile/memory-bomb/homework/"
                + "Constants.java"), hw.resolve("Constants.java"));
        int code = run("check", "--submission", dir.resolve("sub").toString(), "--assignments", seed000());
        assertThat(code).as(out + "" + err).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("the compiler ran out of its 512 MiB on these sources");
    }

    @Test
    void gradescopeSaysWhichLinkItRefused(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.json");
        int code = run("gradescope", "--submission", linkedRepository(dir).toString(), "--results",
                results.toString(), "--assignments=" + seed000());
        assertThat(code).as(out + "" + err).isZero();
        JsonNode r = new ObjectMapper().readTree(results.toFile());
        assertThat(r.get("score").asDouble()).isZero();
        assertThat(r.get("tests").get(0).get("output").asText()).isEqualTo("Grading stopped: compile-error.\nrefused: "
                + "src is a symbolic link (to [grader]/grader/reference/src); the grader "
                + "follows no link in a submission");
    }
}
