package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources that attack javac itself (test resources {@code hostile-compile/}, and a few generated here), graded in
 * one batch beside a correct submission: each ends as {@code compile-error} with its reason, and neither the
 * grader's run nor its heap suffers.
 */
class HostileCompileTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    static ClassRun run;

    /** Without the compile process the bombs would never let the run end: a generous bound says it does. */
    @BeforeAll
    @Timeout(600)
    static void gradeTheClass() throws IOException {
        Path subs = Files.createDirectories(tmp.resolve("class"));
        Path hostile = TestFiles.root().resolve("grader/core/src/test/resources/hostile-compile");
        try (Stream<Path> s = Files.list(hostile)) {
            for (Path h : s.filter(Files::isDirectory).toList()) {
                Path hw = subs.resolve(h.getFileName().toString()).resolve("homework");
                ClassRun.copyReference(hw);
                try (Stream<Path> files = Files.list(h.resolve("homework"))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, hw.resolve(f.getFileName()));
                    }
                }
            }
        }
        ClassRun.copyReference(subs.resolve("correct/src/main/java/homework"));
        generated(subs, "deep-nesting", "Deep.java", "package homework;\nfinal class Deep {\n    int v = "
                + "(".repeat(300_000) + "1" + ")".repeat(300_000) + ";\n}\n");
        StringBuilder errors = new StringBuilder("package homework;\nfinal class Errors {\n");
        for (int i = 0; i < 5_000; i++) {
            errors.append("    int x").append(i).append(" = ;\n");
        }
        generated(subs, "many-errors", "Errors.java", errors.append("}\n").toString());
        // unpacked on Linux from a zip made on Windows: the separators stay in the name
        generated(subs, "path-name", "", "");
        Files.writeString(subs.resolve("path-name/homework\\..\\..\\Relu.java"), "package homework;\nfinal class "
                + "Evil {\n}\n");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(subs.resolve("zip-escape.zip")));
                Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.sorted().toList()) {
                z.putNextEntry(new ZipEntry("zip-escape/homework/" + f.getFileName()));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("../../Relu.java"));
            z.write("package homework; final class Relu {}".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        run = ClassRun.grade(subs, tmp.resolve("reports"), LIMIT);
    }

    private static void generated(Path subs, String name, String file, String text) throws IOException {
        Path hw = subs.resolve(name).resolve("homework");
        ClassRun.copyReference(hw);
        if (!file.isEmpty()) {
            Files.writeString(hw.resolve(file), text);
        }
    }

    @Test
    void everyHostileSourceIsACompileErrorWithItsReasonAndNoPoints() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("inference-bomb", "the compiler took longer than 20 s on these sources");
        reasons.put("memory-bomb", "the compiler ran out of its 512 MiB on these sources");
        reasons.put("not-utf8", "does not compile: Latin1.java:3: not UTF-8 (byte 0xE9): save the file as UTF-8");
        reasons.put("deep-nesting", "the compiler ran out of stack on these sources (an expression or a nesting "
                + "too deep?)");
        reasons.put("path-name", "refused: 'homework\\..\\..\\Relu.java' is not a Java source name (a class name "
                + "followed by .java)");
        reasons.put("zip-escape", "the zip entry '../../Relu.java' points outside the zip");
        reasons.forEach((student, reason) -> {
            assertThat(run.row(student).get("status")).as(student).isEqualTo("compile-error");
            assertThat(run.row(student).get("reason")).as(student).isEqualTo(reason);
            assertThat(run.row(student).get("total")).as(student).isEqualTo("0");
            assertThat(run.compilerRows(student)).as(student)
                    .containsExactly(reason.replaceFirst("^does not compile: ", ""));
        });
        assertThat(run.row("many-errors").get("status")).isEqualTo("compile-error");
        assertThat(run.row("many-errors").get("reason")).startsWith("does not compile: Errors.java:3: ")
                .endsWith(" (and at least 99 more)");
        assertThat(run.compilerRows("many-errors")).hasSize(10).allMatch(m -> m.startsWith("Errors.java:"));
        assertThat(run.summary.graderFailures()).isZero();
    }

    @Test
    void theCorrectSubmissionKeepsFullMarks() {
        assertThat(run.row("correct").get("status")).isEqualTo("graded");
        assertThat(run.row("correct").get("total")).isEqualTo(run.possible.get("total"));
    }

    @Test
    void theCompilerRunsInAProcessOfItsOwnSoTheGradersHeapStaysSmall() {
        // javac on the memory bomb in this JVM would fill its whole heap (gigabytes); in the compile process it
        // fills 512 MiB there and nothing here
        assertThat(run.log).contains("compiler: ").contains("heap 512 MiB");
        assertThat(run.peakHeapMb).as("live heap of the grader after collections, MiB").isLessThan(400);
    }
}
