package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grader gradescope} writes a results.json every time: graded, not compiling, or out of time. */
class GradescopeCommandTest {
    private static JsonNode run(Path submission, Path results, String... more) throws Exception {
        String[] args = new String[6 + more.length];
        args[0] = "gradescope";
        args[1] = "--submission";
        args[2] = submission.toString();
        args[3] = "--results";
        args[4] = results.toString();
        args[5] = "--assignments=" + TestFiles.publicAssignments().resolve("seed-000.yaml") + ","
                + TestFiles.publicAssignments().resolve("seed-001.yaml");
        System.arraycopy(more, 0, args, 6, more.length);
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true), args);
        assertThat(code).isZero();
        return new ObjectMapper().readTree(results.toFile());
    }

    @Test
    void theReferenceGetsEveryPointAndHiddenChecksWaitForPublishing(@TempDir Path dir) throws Exception {
        JsonNode r = run(TestFiles.referenceSources(), dir.resolve("results.json"));
        assertThat(r.get("score").asDouble()).isEqualTo(12 + 13);
        assertThat(r.get("tests")).allSatisfy(t -> assertThat(t.get("status").asText()).isEqualTo("passed"));
        assertThat(r.get("tests")).anySatisfy(t -> {
            assertThat(t.get("name").asText()).isEqualTo("seed-001 › dL/dW1");
            assertThat(t.get("visibility").asText()).isEqualTo("after_published");
        });
    }

    @Test
    void theSandboxCanBeNamedForAContainerWithoutBubblewrapAndAWrongNameIsRefused(@TempDir Path dir)
            throws Exception {
        JsonNode r = run(TestFiles.referenceSources(), dir.resolve("results.json"), "--sandbox", "none");
        assertThat(r.get("score").asDouble()).isEqualTo(12 + 13);
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "gradescope",
                "--submission", TestFiles.referenceSources().toString(), "--results",
                dir.resolve("other.json").toString(), "--sandbox", "docker");
        assertThat(code).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("--sandbox must be auto, bwrap, uid or none, not 'docker'");
        assertThat(dir.resolve("other.json")).doesNotExist();
    }

    @Test
    void aSubmissionThatDoesNotCompileStillGetsAResultsFileSayingWhy(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("sub/homework"));
        Files.writeString(src.resolve("Relu.java"), "package homework;\npublic class Relu { int x = ; }\n");
        JsonNode r = run(dir.resolve("sub"), dir.resolve("out/results.json"));
        assertThat(r.get("score").asDouble()).isZero();
        assertThat(r.get("tests")).hasSize(1);
        assertThat(r.get("tests").get(0).get("output").asText()).contains("does not compile").contains("Relu.java:2");
    }

    @Test
    void aStudentNeverSeesAPathOfTheGradersOwn(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("upload"));
        Files.writeString(empty.resolve("README.md"), "I forgot my code");
        JsonNode r = run(empty, dir.resolve("results.json"));
        String all = r.toString();
        assertThat(all).contains("no .java files in " + empty).doesNotContain("grader-gradescope")
                .doesNotContain(System.getProperty("java.io.tmpdir") + "/grader")
                .doesNotContain(TestFiles.root().toString());
    }

    @Test
    void aSubmissionOutOfTimeKeepsWhatFinishedAndSaysItTimedOut(@TempDir Path dir) throws Exception {
        // each call is well within the per-call limit, but seed-001 calls the sigmoid often: the whole runs out
        Path sub = Files.createDirectories(dir.resolve("slow/homework"));
        try (java.util.stream.Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.toList()) {
                Files.copy(f, sub.resolve(f.getFileName()));
            }
        }
        String sigmoid = Files.readString(sub.resolve("Sigmoid.java")).replace("return z.map(Sigmoid::sigma);",
                "try { Thread.sleep(500); } catch (InterruptedException e) { } return z.map(Sigmoid::sigma);");
        Files.writeString(sub.resolve("Sigmoid.java"), sigmoid);
        JsonNode r = run(dir.resolve("slow"), dir.resolve("results.json"), "--timeout", "3");
        assertThat(r.get("output").asText()).startsWith("Grading stopped: timeout.");
        assertThat(r.get("score").asDouble()).isPositive();
    }
}
