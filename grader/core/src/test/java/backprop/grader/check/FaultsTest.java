package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.submission.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Code that throws, returns null or NaN, recurses forever or is missing: one clear line each, nothing lost. */
class FaultsTest {
    private static final Grader GRADER = new Grader(TestFiles.assignments(), Optional.of(TestFiles.reference()));

    @Test
    void nanIsAFailedValueNamingTheEntry() {
        CheckResult r = BuggyFixturesTest.result("returns-nan", "seed-001", "h2");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.message()).contains("h2[0][0]").contains("got NaN");
        assertThat(BuggyFixturesTest.result("returns-nan", "seed-001", "dL/dz2").status()).isEqualTo(Status.SKIPPED);
        assertThat(BuggyFixturesTest.result("returns-nan", "seed-001", "h1").status()).isEqualTo(Status.PASSED);
    }

    @Test
    void nullIsAnErrorNamingTheMethod() {
        CheckResult r = BuggyFixturesTest.result("returns-null", "seed-003a", "dL/dW1");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).isEqualTo("Tanh.backward returned null");
    }

    @Test
    void anExceptionIsOneLineWithTheMethodTheMessageAndTheLine() {
        CheckResult r = BuggyFixturesTest.result("throws", "seed-000", "h");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("Relu.forward threw IllegalStateException: index out of range in my loop")
                .contains("(Relu.java:").doesNotContain("\n");
        assertThat(BuggyFixturesTest.result("throws", "seed-000", "a1").status()).isEqualTo(Status.PASSED);
        assertThat(BuggyFixturesTest.result("throws", "seed-000", "dJ/dW1").message())
                .startsWith("needs the forward pass, which failed at 'h'");
    }

    @Test
    void endlessRecursionIsAnErrorAndTheForwardChecksStillCount() {
        CheckResult r = BuggyFixturesTest.result("endless-recursion", "seed-000", "dJ/dW1");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).isEqualTo("Backprop.backward overflowed the stack (endless recursion?)");
        assertThat(BuggyFixturesTest.result("endless-recursion", "seed-000", "J").status()).isEqualTo(Status.PASSED);
        assertThat(BuggyFixturesTest.result("endless-recursion", "ops", "relu › backward").status())
                .isEqualTo(Status.PASSED);
    }

    @Test
    void aMissingClassFailsOnlyTheChecksThatNeedIt(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/homework");
        Files.createDirectories(src);
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("Softmax.java")) {
                    Files.copy(p, src.resolve(p.getFileName()));
                }
            }
        }
        List<CheckResult> results = GRADER.grade(Submission.compile("no-softmax", List.of(dir.resolve("src")),
                dir.resolve("classes")));
        assertThat(results).filteredOn(r -> r.check().equals("softmax › forward")).singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo("missing class homework.Softmax"));
        assertThat(results).filteredOn(r -> r.assignment().equals("seed-000")).allMatch(r -> r.status()
                == Status.PASSED);
    }

    @Test
    void aSubmissionCannotSeeTheGradersOwnClasses(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/homework");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Peek.java"), """
                package homework;
                public final class Peek {
                    public static String tryLoad(String name) {
                        try {
                            Class.forName(name);
                            return "visible";
                        } catch (ClassNotFoundException e) {
                            return "hidden";
                        }
                    }
                }
                """);
        Submission.compile("peek", List.of(dir.resolve("src")), dir.resolve("classes"));
        var components = Submission.load("peek", dir.resolve("classes"));
        var loaderField = components.getClass().getDeclaredField("loader");
        loaderField.setAccessible(true);
        ClassLoader loader = (ClassLoader) loaderField.get(components);
        var peek = Class.forName("homework.Peek", true, loader).getMethod("tryLoad", String.class);
        assertThat(peek.invoke(null, "backprop.api.Matrix")).isEqualTo("visible");
        assertThat(peek.invoke(null, "backprop.grader.check.Checker")).isEqualTo("hidden");
        assertThat(peek.invoke(null, "com.fasterxml.jackson.core.JsonParser")).isEqualTo("hidden");
    }

    @Test
    void anExceptionWhoseMessageThrowsIsStillOneLineNamingTheMethod() {
        CheckResult r = BuggyFixturesTest.result("hostile-message", "seed-003a", "dL/dW1");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("Tanh.backward threw ");
    }

    @Test
    void aReturnedMapThatThrowsWhenReadIsAnErrorOfTheReversePass() {
        CheckResult r = BuggyFixturesTest.result("hostile-map", "seed-000", "dJ/dW1");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("Backprop.backward threw IllegalStateException: not today");
        assertThat(BuggyFixturesTest.result("hostile-map", "seed-000", "J").status()).isEqualTo(Status.PASSED);
    }

    @Test
    void sourcesThatAreLinksToOtherFilesAreNotCompiled(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/homework"));
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path p : s.toList()) {
                Files.createSymbolicLink(src.resolve(p.getFileName()), p);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Submission.compile("links",
                List.of(dir.resolve("src")), dir.resolve("classes")))
                .isInstanceOf(backprop.grader.compile.CompileException.class)
                .hasMessageContaining("is a symbolic link");
    }

    @Test
    void aSubmissionCannotCompileAgainstTheGradersOwnClasses(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/homework"));
        Files.writeString(src.resolve("Peek.java"), """
                package homework;
                public final class Peek {
                    Object o = backprop.grader.graph.Op.RELU;
                }
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Submission.compile("peek2",
                List.of(dir.resolve("src")), dir.resolve("classes")))
                .isInstanceOf(backprop.grader.compile.CompileException.class)
                .hasMessageContaining("Peek.java:3");
    }
}
