package backprop.grader.cli;

import backprop.grader.check.Grader;
import backprop.grader.check.Validator;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Location;
import backprop.grader.spec.Problem;
import backprop.grader.spec.SpecException;
import backprop.grader.compile.CompileException;
import backprop.grader.submission.Components;
import java.util.Locale;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grader validate}: checks assignment files, and every expected value in them against the reference. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check assignment files: their structure, their graph's shapes, that running them stays within "
                + "the budget, and every expected value against the reference solution. Problems are reported as "
                + "file:line:column; a file that cannot be checked is reported and the others still are.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Assignment files or folders (default: the repository's assignments/).")
    private List<Path> paths = new ArrayList<>();

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "The same as PATH, as the other commands take it.")
    private List<Path> assignments = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "DIR",
            description = "The reference solution: compiled classes or sources (default: grader/reference).")
    private Path reference;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> chosen = new ArrayList<>(paths);
        chosen.addAll(assignments);
        List<Path> files = AssignmentSet.files(chosen.isEmpty() ? List.of(Home.assignments()) : chosen);
        Components ref;
        try {
            ref = Home.openReference(reference == null ? Home.reference() : reference);
        } catch (CompileException e) {
            spec.commandLine().getErr().println("grader: the reference solution " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        Map<String, Path> ids = new HashMap<>();
        int problems = 0;
        for (Path file : files) {
            Checked c = check(file, ref, ids);
            out.printf(Locale.ROOT, "%-4s %s%s%n", c.problems().isEmpty() ? "ok" : "BAD", file,
                    c.id().map(id -> " (" + id + ")").orElse(""));
            c.problems().forEach(out::println);
            out.flush();
            problems += c.problems().size();
        }
        out.printf(Locale.ROOT, "%d file(s), %d problem(s)%n", files.size(), problems);
        out.flush();
        return problems == 0 ? 0 : Main.SOME_FAILED;
    }

    /** What checking one file found. */
    private record Checked(Optional<String> id, List<Problem> problems) {}

    /**
     * Reads and validates one file, each with a grader of its own so that nothing of it stays in memory after.
     * Nothing a file does ends the run: a failure, running out of memory included, is a problem of that file.
     */
    static Checked check(Path file, Components ref, Map<String, Path> ids) {
        Optional<String> id = Optional.empty();
        try {
            Assignment a = AssignmentSet.read(file);
            id = Optional.of(a.id());
            Path other = ids.putIfAbsent(a.id(), file);
            if (other != null) {
                return new Checked(id, List.of(new Problem(new Location(file, 1, 1, "id"), "the id '" + a.id()
                        + "' is already used by " + other)));
            }
            return new Checked(id, Validator.validate(a, new Grader(List.of(a), Optional.of(ref))));
        } catch (SpecException e) {
            return new Checked(id, e.problems());
        } catch (OutOfMemoryError e) {
            return new Checked(id, AssignmentSet.failed(file, "could not be validated: the grader ran out of memory "
                    + "on it").problems());
        } catch (StackOverflowError e) {
            return new Checked(id, AssignmentSet.failed(file, "could not be validated: the grader ran out of stack "
                    + "on it").problems());
        } catch (RuntimeException e) {
            return new Checked(id, AssignmentSet.failed(file, "could not be validated: the grader failed on it ("
                    + e + "); please report this").problems());
        }
    }
}
