package backprop.grader.cli;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Grader;
import backprop.grader.junit.StudentReport;
import backprop.grader.files.AtomicFiles;
import backprop.grader.report.ConsoleReport;
import backprop.grader.report.JUnitXmlReport;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.submission.CompileException;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grader check}: grades one submission and prints a table of checks with points. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Grade one submission (a filled-in template, its src/main/java, or compiled classes) and "
                + "print every check with its points.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--submission", required = true, paramLabel = "DIR",
            description = "The submission: a copy of the student template, a source folder, or compiled classes.")
    private Path submission;

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "Assignment files or folders (default: the repository's assignments/).")
    private List<Path> assignments = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "DIR",
            description = "The reference solution (default: grader/reference).")
    private Path reference;

    @Option(names = "--no-reference",
            description = "Grade against the files' expected values alone, as a student's local run does.")
    private boolean noReference;

    @Option(names = {"-v", "--verbose"}, description = "Show the message of passed checks too.")
    private boolean verbose;

    @Option(names = "--junit-xml", paramLabel = "DIR",
            description = "Also write Surefire-style JUnit XML, one TEST-<assignment>.xml per assignment, for CI.")
    private Path junitXml;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write a Markdown summary (for GitHub's job summary, $GITHUB_STEP_SUMMARY).")
    private Path markdown;

    @Option(names = "--student-id", paramLabel = "ID",
            description = "Grade assignments that have per-student variants on this student's variant.")
    private String studentId;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(submission) && !submission.toString().endsWith(".jar")) {
            err.println("grader: no such submission folder: " + submission);
            return Main.GRADER_ERROR;
        }
        AssignmentSet set = AssignmentSet.load(assignments.isEmpty() ? List.of(Home.assignments()) : assignments);
        set.problems().forEach(p -> err.println("skipped, " + p));
        Optional<Components> ref = Optional.empty();
        if (!noReference) {
            try {
                ref = Optional.of(Home.openReference(reference == null ? Home.reference() : reference));
            } catch (CompileException e) {
                err.println("grader: the reference solution " + e.getMessage());
                return Main.GRADER_ERROR;
            }
        }
        Components student;
        try {
            student = Submission.open(submission.getFileName().toString(), submission,
                    Files.createTempDirectory("grader-submission"));
        } catch (CompileException e) {
            out.println(submission + " " + e.getMessage());
            e.errors().forEach(x -> out.println("  " + x));
            return Main.SOME_FAILED;
        }
        Grader grader = new Grader(set.assignments(), ref);
        List<CheckResult> results = grader.grade(student, Optional.ofNullable(studentId));
        ConsoleReport.print(out, set.assignments(), results, verbose);
        if (junitXml != null) {
            JUnitXmlReport.writeAll(junitXml, set.assignments(), results, java.util.Map.of());
        }
        if (markdown != null) {
            AtomicFiles.write(markdown, StudentReport.markdown(set.assignments(), results)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        boolean allPassed = set.problems().isEmpty() && results.stream().allMatch(r -> r.status().earnsPoints());
        return allPassed ? 0 : Main.SOME_FAILED;
    }
}
