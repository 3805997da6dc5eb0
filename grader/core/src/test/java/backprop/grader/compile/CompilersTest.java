package backprop.grader.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile process: it compiles what javac compiles, is reused from one submission to the next, and a
 * submission that exhausts its time or memory gets a reason while the next one compiles normally.
 */
class CompilersTest {
    static Compilers compilers;
    static final List<String> LOG = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        compilers = Compilers.start(1, new Compilers.Limits(Duration.ofSeconds(60), 256), null, LOG::add);
    }

    @AfterAll
    static void stop() {
        compilers.close();
    }

    private static SourceFiles reference() throws CompileException {
        return SourceFiles.read(TestFiles.referenceSources());
    }

    private static SourceFiles with(String file, String text) throws CompileException {
        List<SourceFiles.Source> files = new ArrayList<>(reference().files());
        files.add(new SourceFiles.Source("homework/" + file, text.getBytes(StandardCharsets.UTF_8)));
        return SourceFiles.of(files);
    }

    private static List<String> classes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void theCompileProcessWritesTheClassesJavacWritesInProcess() throws Exception {
        compilers.compile(reference(), dir.resolve("process"));
        Compilers.compileHere(reference(), dir.resolve("here"));
        assertThat(classes(dir.resolve("process"))).contains("homework/Relu.class", "homework/Backprop.class")
                .isEqualTo(classes(dir.resolve("here")));
        assertThat(Files.readAllBytes(dir.resolve("process/homework/Relu.class")))
                .isEqualTo(Files.readAllBytes(dir.resolve("here/homework/Relu.class")));
        assertThat(compilers.description()).contains("heap 256 MiB").contains("60 s a submission");
    }

    @Test
    void errorsComeBackAsLinesNamingFileAndLine() throws Exception {
        SourceFiles broken = with("Broken.java", "package homework;\nclass Broken {\n    int x = ;\n}\n");
        assertThatThrownBy(() -> compilers.compile(broken, dir.resolve("c"))).isInstanceOf(CompileException.class)
                .hasMessage("does not compile: Broken.java:3: illegal start of expression")
                .satisfies(e -> assertThat(((CompileException) e).errors())
                        .containsExactly("Broken.java:3: illegal start of expression"));
    }

    @Test
    void aSubmissionCompilesAgainstTheContractsAloneAndNoAnnotationProcessorRuns() throws Exception {
        SourceFiles peek = with("Peek.java",
                "package homework;\nclass Peek {\n    Object o = backprop.grader.graph.Op.RELU;\n}\n");
        assertThatThrownBy(() -> compilers.compile(peek, dir.resolve("c"))).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("does not compile: Peek.java:3: package backprop.grader.graph does not exist");
    }

    /** The bound only says that a compilation that would run for days is stopped. */
    @Test
    @Timeout(300)
    void aCompilationPastTheTimeLimitIsStoppedAndTheNextCompilesInAFreshProcess() throws Exception {
        String bomb = Files.readString(TestFiles.root().resolve(
                "grader/core/src/test/resources/hostile-compile/inference-bomb/homework/Inference.java"));
        try (Compilers quick = Compilers.start(1, new Compilers.Limits(Duration.ofSeconds(5), 256), null,
                LOG::add)) {
            assertThatThrownBy(() -> quick.compile(with("Inference.java", bomb), dir.resolve("bomb")))
                    .isInstanceOf(CompileException.class)
                    .hasMessage("the compiler took longer than 5 s on these sources");
            assertThat(quick.started()).isEqualTo(2);
            // the fresh process is warmed up before it answers, so the reference fits in the 5 s
            quick.compile(reference(), dir.resolve("after"));
            assertThat(dir.resolve("after/homework/Relu.class")).isRegularFile();
        }
    }

    @Test
    void aCompilationThatExhaustsTheHeapIsReportedAndTheNextCompilesInAFreshProcess() throws Exception {
        String bomb = Files.readString(TestFiles.root().resolve(
                "grader/core/src/test/resources/hostile-compile/memory-bomb/homework/Constants.java"));
        int before = compilers.started();
        assertThatThrownBy(() -> compilers.compile(with("Constants.java", bomb), dir.resolve("bomb")))
                .isInstanceOf(CompileException.class)
                .hasMessage("the compiler ran out of its 256 MiB on these sources");
        compilers.compile(reference(), dir.resolve("after"));
        assertThat(dir.resolve("after/homework/Relu.class")).isRegularFile();
        assertThat(compilers.started()).isEqualTo(before + 1);
    }

    @Test
    void oneProcessServesUpToFourJobs() {
        assertThat(List.of(1, 2, 4, 5, 8, 32)).map(Compilers::processesFor).containsExactly(1, 1, 1, 2, 2, 8);
    }

    @Test
    void oneProcessServesSubmissionAfterSubmission() throws Exception {
        int before = compilers.started();
        for (int i = 0; i < 3; i++) {
            compilers.compile(reference(), dir.resolve("c" + i));
        }
        assertThat(compilers.started()).isEqualTo(before);
    }
}
