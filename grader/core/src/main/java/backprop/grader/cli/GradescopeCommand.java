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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--sandbox", paramLabel = "MECHANISM",
            description = "auto (bubblewrap; without it nothing is graded and the log says how to install it), "
                    + "bwrap, uid (as root: the same namespaces without bubblewrap, for a container where bubblewrap "
                    + "cannot make namespaces) or none (no isolation) (default: ${DEFAULT-VALUE}).")
    private String sandbox = "auto";

    /** The grader's own folder for this run, which a student must never see named. */
    private Path work;

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
        Sandbox.Choice choice;
        try {
            choice = Sandbox.Choice.parse(sandbox, false);
        } catch (IllegalArgumentException e) {
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        List<Path> paths = assignments.isEmpty() ? List.of(Home.assignments()) : assignments;
        List<Assignment> loaded = List.of();
        work = Files.createTempDirectory("grader-gradescope");
        try {
            loaded = AssignmentSet.load(paths).assignments();
            Components ref = Home.openReference(Home.reference());
            Path subs = Files.createDirectories(work.resolve("submissions"));
            FileTrees.copy(submission, subs.resolve("submission"));
            List<StudentResult> graded = new ArrayList<>();
            List<CheckResult> checks = new ArrayList<>();
            BatchGrader.run(new BatchGrader.Options(subs, work.resolve("out"), paths, Optional.empty(), 1,
                    Limits.DEFAULT.withWall(Duration.ofMillis(Math.round(timeout * 1000))), Duration.ofSeconds(60),
                    true, choice), ref, Home.reference(), Main.version(), err, (r, c) -> {
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

    /**
     * Replaces, in every text of the results, the grader's own folders with what the student knows: the copy of
     * the submission graded is the submission they handed in, anything else under the work folder or the
     * grader's home is the grader's. Messages built from paths (a compiler's, an exception's) cannot leak them.
     */
    private void hidePaths(com.fasterxml.jackson.databind.JsonNode node) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (Path p : List.of(work.resolve("submissions/submission"), work, Home.root())) {
            if (p.getNameCount() == 0) {
                continue; // the file system's root: replacing "/" would garble every path and fraction
            }
            String as = p.equals(work) ? "[grader's work folder]" : p.equals(Home.root()) ? "[grader]"
                    : submission.toString();
            paths.put(p.toString(), as);
            try {
                paths.put(p.toRealPath().toString(), as);
            } catch (IOException e) {
                // gone already: its plain name is replaced all the same
            }
        }
        replaceText(node, paths);
    }

    private static void replaceText(com.fasterxml.jackson.databind.JsonNode node, Map<String, String> paths) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f : o.properties()) {
                if (f.getValue().isTextual()) {
                    o.put(f.getKey(), replace(f.getValue().asText(), paths));
                } else {
                    replaceText(f.getValue(), paths);
                }
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, replace(a.get(i).asText(), paths));
                } else {
                    replaceText(a.get(i), paths);
                }
            }
        }
    }

    private static String replace(String text, Map<String, String> paths) {
        String t = text;
        for (Map.Entry<String, String> p : paths.entrySet()) {
            t = t.replace(p.getKey(), p.getValue());
        }
        return t;
    }

    private int write(ObjectNode json, int code) throws IOException {
        if (results.getParent() != null) {
            Files.createDirectories(results.getParent());
        }
        hidePaths(json);
        GradescopeResults.write(results, json);
        spec.commandLine().getOut().println("wrote " + results);
        return code;
    }
}
