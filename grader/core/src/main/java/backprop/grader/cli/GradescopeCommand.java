package backprop.grader.cli;

import backprop.grader.batch.BatchGrader;
import backprop.grader.batch.SubmissionStatus;
import backprop.grader.check.CheckResult;
import backprop.grader.files.FileTrees;
import backprop.grader.report.GradescopeResults;
import backprop.grader.report.StudentResult;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.submission.Components;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code grader gradescope}: grades one submission the way Gradescope's autograder runs it, in a sandboxed child
 * JVM, and writes {@code results.json} once, built in memory, so nothing the submission prints can corrupt it.
 * The file is written even when the submission does not compile, times out, or the grader itself fails.
 */
@Command(name = "gradescope", mixinStandardHelpOptions = true,
        description = "Grade one submission into a Gradescope results.json (defaults: the paths of Gradescope's "
                + "autograder container). Hidden checks carry the visibility --hidden-visibility gives them.")
final class GradescopeCommand implements Callable<Integer> {
    @Option(names = "--submission", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
    private Path submission = Path.of("/autograder/submission");

    @Option(names = "--results", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.")
    private Path results = Path.of("/autograder/results/results.json");

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "Assignment files or folders (default: the repository's assignments/, hidden ones too).")
    private List<Path> assignments = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Wall time (default: ${DEFAULT-VALUE}).")
    private double timeout = 120;

    @Option(names = "--hidden-visibility", paramLabel = "WHEN",
            description = "When students see hidden checks: hidden, after_due_date or after_published "
                    + "(default: ${DEFAULT-VALUE}).")
    private String hiddenVisibility = "after_published";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        GradescopeResults.Visibility hidden = java.util.Arrays.stream(GradescopeResults.Visibility.values())
                .filter(v -> v.word().equals(hiddenVisibility)).findFirst().orElse(null);
        if (hidden == null || hidden == GradescopeResults.Visibility.VISIBLE) {
            err.println("grader: --hidden-visibility must be hidden, after_due_date or after_published");
            return Main.GRADER_ERROR;
        }
        GradescopeResults.Options defaults = GradescopeResults.Options.defaults();
        GradescopeResults.Options options = new GradescopeResults.Options(defaults.visibility(),
                defaults.stdoutVisibility(), hidden);
        List<Path> paths = assignments.isEmpty() ? List.of(Home.assignments()) : assignments;
        List<Assignment> loaded = List.of();
        Path work = Files.createTempDirectory("grader-gradescope");
        try {
            loaded = AssignmentSet.load(paths).assignments();
            Components ref = Home.openReference(Home.reference());
            Path subs = Files.createDirectories(work.resolve("submissions"));
            FileTrees.copy(submission, subs.resolve("submission"));
            List<StudentResult> graded = new ArrayList<>();
            List<CheckResult> checks = new ArrayList<>();
            BatchGrader.run(new BatchGrader.Options(subs, work.resolve("out"), paths, Optional.empty(), 1,
                    Limits.DEFAULT.withWall(Duration.ofMillis(Math.round(timeout * 1000))), Duration.ofSeconds(60),
                    true, Sandbox.Choice.AUTO), ref, Home.reference(), Main.version(), err, (r, c) -> {
                        graded.add(r);
                        checks.addAll(c);
                    });
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (graded.isEmpty()) {
                return write(GradescopeResults.unfinished("grader-error", "the grader could not grade this "
                        + "submission; please tell the course staff", loaded, List.of(), took, options), 2);
            }
            StudentResult r = graded.get(0);
            if (r.status().equals(SubmissionStatus.GRADED.word())) {
                return write(GradescopeResults.graded(loaded, checks, took, options), 0);
            }
            // a refusal (a link, a compiler past its limit) is its own one-line reason
            String reason = r.compilerErrors().isEmpty() || !r.reason().startsWith("does not compile") ? r.reason()
                    : "does not compile:\n" + String.join("\n", r.compilerErrors());
            // only the checks of the assignments the child finished: the rest were never run
            List<String> stopped = checks.stream().filter(c -> c.message().startsWith("not run: ")
                    || c.message().startsWith("not finished: ")).map(CheckResult::assignment).distinct().toList();
            List<CheckResult> finished = checks.stream().filter(c -> !stopped.contains(c.assignment())).toList();
            return write(GradescopeResults.unfinished(r.status(), reason, loaded, finished, took, options), 0);
        } catch (Exception | LinkageError e) {
            err.println("grader: " + e);
            return write(GradescopeResults.unfinished("grader-error", "the grader failed: " + e.getMessage()
                    + "; please tell the course staff", loaded, List.of(), Duration.ofNanos(System.nanoTime() - t0),
                    options), Main.GRADER_ERROR);
        } finally {
            FileTrees.delete(work);
        }
    }

    private int write(ObjectNode json, int code) throws IOException {
        if (results.getParent() != null) {
            Files.createDirectories(results.getParent());
        }
        GradescopeResults.write(results, json);
        spec.commandLine().getOut().println("wrote " + results);
        return code;
    }
}
