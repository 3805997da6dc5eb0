package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: what it prints and the exit codes CI acts on (0 passed, 1 some failed, 2 grader error). */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String ref() {
        return TestFiles.referenceSources().toString();
    }

    @Test
    void validateOnTheShippedAssignmentsFindsNoProblem() {
        int code = run("validate", "--reference", ref(), TestFiles.root().resolve("assignments").toString());
        assertThat(code).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("ok   ").contains(", 0 problem(s)");
    }

    @Test
    void validateReportsABadFileByLineAndStillChecksTheOthers(@TempDir Path dir) throws Exception {
        Files.copy(TestFiles.publicAssignments().resolve("seed-004.yaml"), dir.resolve("good.yaml"));
        Files.writeString(dir.resolve("bad.yaml"), """
                id: bad
                title: a node with an unknown op
                inputs:
                  x: [1, 2]
                graph:
                  - {node: h, op: sigmod, inputs: [x]}
                upstream:
                  h: [1, 1]
                """);
        int code = run("validate", "--reference", ref(), dir.toString());
        assertThat(code).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("bad.yaml:6:").contains("unknown op 'sigmod'")
                .contains("did you mean 'sigmoid'?").contains("ok   " + dir.resolve("good.yaml"));
    }

    @Test
    void checkOnTheReferencePrintsEveryCheckAndExitsZero() {
        int code = run("check", "--submission", ref(), "--reference", ref(), "--assignments",
                TestFiles.publicAssignments().resolve("seed-000.yaml").toString());
        assertThat(code).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("seed-000").contains("passed").contains("dJ/dW1")
                .contains("Total: 12 / 12 points (100%)");
    }

    @Test
    void checkOnTheStubsExitsOneWithOneLineMessages() {
        int code = run("check", "--submission", TestFiles.root().resolve("student-template").toString(),
                "--reference", ref(), "--assignments", TestFiles.publicAssignments().resolve("seed-000.yaml").toString());
        assertThat(code).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("not implemented yet: Affine.forward").contains("Total: 0 / 12 points")
                .doesNotContain("Exception");
    }

    @Test
    void aSubmissionThatDoesNotCompileIsReportedWithTheCompilersError(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/main/java/homework");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Relu.java"), "package homework;\npublic class Relu { int x = ; }\n");
        int code = run("check", "--submission", dir.toString(), "--reference", ref());
        assertThat(code).isEqualTo(Main.SOME_FAILED);
        assertThat(out.toString()).contains("does not compile").contains("Relu.java:2:");
    }

    @Test
    void aCompileErrorStillGivesCiAFailedTestCaseAndASummary(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("sub/homework"));
        Files.writeString(src.resolve("Relu.java"), "package homework;\npublic class Relu { int x = ; }\n");
        Path xml = dir.resolve("junit");
        int code = run("check", "--submission", dir.resolve("sub").toString(), "--reference", ref(), "--junit-xml",
                xml.toString(), "--markdown", dir.resolve("summary.md").toString());
        assertThat(code).isEqualTo(Main.SOME_FAILED);
        try (java.util.stream.Stream<Path> files = Files.list(xml)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("TEST-submission.xml");
        }
        assertThat(Files.readString(xml.resolve("TEST-submission.xml"))).contains("tests=\"1\"")
                .contains("failures=\"1\"").contains("<failure message=\"does not compile: Relu.java:2: ");
        assertThat(Files.readString(dir.resolve("summary.md"))).startsWith("## Backprop homework: does not compile")
                .contains("Relu.java:2: ");
    }

    @Test
    void junitTimesAreMeasured(@TempDir Path dir) throws Exception {
        int code = run("check", "--submission", ref(), "--reference", ref(), "--assignments",
                TestFiles.publicAssignments().resolve("seed-000.yaml") + "," + TestFiles.publicAssignments()
                        .resolve("ops.yaml"), "--junit-xml", dir.toString());
        assertThat(code).as(out + "" + err).isZero();
        String ops = Files.readString(dir.resolve("TEST-ops.xml"));
        java.util.regex.Matcher suite = java.util.regex.Pattern.compile("<testsuite [^>]* time=\"([0-9.]+)\"")
                .matcher(ops);
        assertThat(suite.find()).isTrue();
        assertThat(Double.parseDouble(suite.group(1))).as("grading ops takes some milliseconds").isPositive();
        assertThat(ops).as("a test case's share of a measured time").containsPattern(
                "<testcase [^>]*time=\"(?!0\\.000\")[0-9.]+\"");
    }

    @Test
    void benchNamesEveryTableItHasWhenAskedForOneItHasNot() {
        assertThat(run("bench", "--only", "everything")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("--only takes gradcheck, budget, calls, batch, profile, shard, diagnosis, "
                + "student or child, not 'everything'");
        for (String table : java.util.List.of("gradcheck", "budget", "calls", "batch", "profile", "shard",
                "diagnosis", "student", "child")) {
            assertThat(err.toString()).contains(table);
        }
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run("check")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("--submission");
        assertThat(run("check", "--submission", "/no/such/folder")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("no such submission folder: /no/such/folder");
        Path file = TestFiles.root().resolve("README.md");
        assertThat(run("check", "--submission", file.toString())).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains(file + " is a file, not a submission folder");
        assertThat(run("frobnicate")).isEqualTo(Main.GRADER_ERROR);
    }

    @Test
    void aMisspeltOptionIsNamedWithTheNearestOneEvenWhenARequiredOptionIsMissingToo() {
        assertThat(run("check", "--submisson", "X")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString())
                .contains("grader check has no option '--submisson' (did you mean '--submission'?)")
                .contains("Missing required option: '--submission=DIR'")
                .contains("Try 'grader check --help'");
    }

    @Test
    void everyUnknownOptionIsNamedOnALineOfItsOwn() {
        assertThat(run("grade", "--submisions=x", "--jbos", "2", "--frobnicate")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString().lines()).contains(
                "grader: grader grade has no option '--submisions' (did you mean '--submissions'?)",
                "grader: grader grade has no option '--jbos' (did you mean '--jobs'?)",
                "grader: grader grade has no option '--frobnicate'");
    }

    @Test
    void aMisspeltCommandGetsTheNearestCommand() {
        assertThat(run("grdae")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("grader: 'grdae' is not a command (did you mean 'grade'?)")
                .contains("Try 'grader --help' for its commands.").doesNotContain("Unmatched argument");
        assertThat(run("chek", "--submission", "x")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("'chek' is not a command (did you mean 'check'?)");
    }

    @Test
    void noCommandListsThemAllAndAStrayArgumentIsNamed() {
        assertThat(run()).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("name a command: validate, fill, check, grade, gradescope, gradebook, diff, merge");
        assertThat(run("check", "--submission", "a", "b")).isEqualTo(Main.GRADER_ERROR);
        assertThat(err.toString()).contains("grader check takes no argument 'b'");
    }

    @Test
    void numbersAreWrittenTheSameWayInEveryLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-EG"));
            run("validate", "--reference", ref(), TestFiles.publicAssignments().resolve("seed-000.yaml").toString());
            assertThat(out.toString()).contains("1 file(s), 0 problem(s)");
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    @Test
    void checkStopsAtItsTimeLimitAndReportsWhatFinished() throws Exception {
        // In a JVM of its own: a loop that cannot be stopped is left spinning until that JVM exits.
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dgrader.home=" + TestFiles.root(), Main.class.getName(), "check", "--submission",
                TestFiles.sampleClass().resolve("erin").toString(), "--reference", ref(),
                "--assignments=" + TestFiles.publicAssignments().resolve("seed-000.yaml") + ","
                        + TestFiles.publicAssignments().resolve("seed-001.yaml"), "--timeout", "3")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isEqualTo(Main.SOME_FAILED);
        assertThat(text).contains("stopped after 3.0 s in seed-001").contains("seed-000").contains("Total: 12 / 12");
    }
}
