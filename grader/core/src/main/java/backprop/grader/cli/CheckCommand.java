package backprop.grader.cli;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Grader;
import backprop.grader.junit.StudentReport;
import backprop.grader.files.AtomicFiles;
import backprop.grader.report.ConsoleReport;
import backprop.grader.report.JUnitXmlReport;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.compile.CompileException;
import backprop.grader.compile.Compilers;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Stop grading after this long (default: ${DEFAULT-VALUE}); the assignments graded by then "
                    + "are reported. check runs the code in this process: use grade to sandbox it.")
    private double timeout = 120;

    @Spec
    private CommandSpec spec;

    /**
     * Grades assignment by assignment on a daemon thread, for at most {@code --timeout}: code that loops cannot be
     * stopped inside one JVM, so past the limit the results so far are reported and the thread is left to end
     * with the process.
     */
    private List<CheckResult> gradeWithin(Grader grader, List<backprop.grader.spec.Assignment> list,
            Components student, PrintWriter err, Map<String, Duration> times) throws InterruptedException {
        List<CheckResult> done = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        String[] current = {""};
        Thread worker = new Thread(() -> {
            for (backprop.grader.spec.Assignment a : list) {
                current[0] = a.id();
                long t0 = System.nanoTime();
                List<CheckResult> rs = grader.grade(a, student, Optional.ofNullable(studentId));
                times.put(a.id(), Duration.ofNanos(System.nanoTime() - t0));
                done.addAll(rs);
            }
            current[0] = null;
        }, "check");
        worker.setDaemon(true);
        worker.start();
        worker.join(Math.round(timeout * 1000));
        if (worker.isAlive()) {
            err.println("grader: stopped after " + timeout + " s in " + current[0] + " (an endless loop?); the "
                    + "assignments before it are reported");
        }
        synchronized (done) {
            return new java.util.ArrayList<>(done);
        }
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(submission) && !submission.toString().endsWith(".jar")) {
            err.println("grader: " + (Files.isRegularFile(submission) ? submission + " is a file, not a submission "
                    + "folder (check takes a folder of sources or classes, or a .jar)" : "no such submission folder: "
                    + submission));
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
        // the sources compile in a compile process of their own, bounded and killed at its time limit
        try (Compilers compilers = Compilers.start(1, Compilers.Limits.DEFAULT, null, err::println)) {
            student = Submission.open(submission.getFileName().toString(), submission, compilers);
        } catch (CompileException e) {
            out.println(submission + ": " + e.getMessage());
            e.errors().stream().filter(x -> !x.equals(e.getMessage())).forEach(x -> out.println("  " + x));
            writeNotCompiled(e, Duration.ofNanos(System.nanoTime() - started));
            return Main.SOME_FAILED;
        }
        Grader grader = new Grader(set.assignments(), ref);
        Map<String, Duration> times = new java.util.concurrent.ConcurrentHashMap<>();
        List<CheckResult> results = gradeWithin(grader, set.assignments(), student, err, times);
        List<backprop.grader.spec.Assignment> finished = set.assignments().stream()
                .filter(a -> results.stream().anyMatch(r -> r.assignment().equals(a.id()))).toList();
        boolean timedOut = finished.size() < set.assignments().size();
        ConsoleReport.print(out, finished, results, verbose);
        if (junitXml != null) {
            JUnitXmlReport.writeAll(junitXml, set.assignments(), results, times);
        }
        if (markdown != null) {
            AtomicFiles.write(markdown, StudentReport.markdown(set.assignments(), results)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        boolean allPassed = !timedOut && set.problems().isEmpty()
                && results.stream().allMatch(r -> r.status().earnsPoints());
        return allPassed ? 0 : Main.SOME_FAILED;
    }

    /** The JUnit XML and the Markdown summary of a submission that does not compile, where asked for. */
    private void writeNotCompiled(CompileException e, Duration took) throws java.io.IOException {
        List<String> errors = e.errors().isEmpty() ? List.of(e.getMessage()) : e.errors();
        if (junitXml != null) {
            AtomicFiles.write(junitXml.resolve(JUnitXmlReport.COMPILE_ERROR_FILE),
                    JUnitXmlReport.compileError(errors, took).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (markdown != null) {
            AtomicFiles.write(markdown, StudentReport.markdownNotCompiled(errors)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
