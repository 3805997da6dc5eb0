package backprop.grader.cli;

import backprop.grader.check.Grader;
import backprop.grader.check.Validator;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Problem;
import backprop.grader.compile.CompileException;
import java.util.Locale;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code grader validate}: checks assignment files, and every expected value in them against the reference. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check assignment files: their structure, their graph's shapes, and every expected value "
                + "against the reference solution. Problems are reported as file:line:column.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Assignment files or folders (default: the repository's assignments/).")
    private List<Path> paths = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "DIR",
            description = "The reference solution: compiled classes or sources (default: grader/reference).")
    private Path reference;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AssignmentSet set = AssignmentSet.load(paths.isEmpty() ? List.of(Home.assignments()) : paths);
        List<Problem> problems = new ArrayList<>(set.problems());
        Grader grader;
        try {
            grader = new Grader(set.assignments(), Optional.of(Home.openReference(
                    reference == null ? Home.reference() : reference)));
        } catch (CompileException e) {
            spec.commandLine().getErr().println("grader: the reference solution " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        for (Assignment a : set.assignments()) {
            List<Problem> found = Validator.validate(a, grader);
            problems.addAll(found);
            out.printf(Locale.ROOT, "%-4s %s (%s)%n", found.isEmpty() ? "ok" : "BAD", a.file(), a.id());
        }
        problems.forEach(p -> out.println(p));
        int files = set.assignments().size() + (int) set.problems().stream().map(p -> p.location().file())
                .distinct().count();
        out.printf(Locale.ROOT, "%d file(s), %d problem(s)%n", files, problems.size());
        out.flush();
        return problems.isEmpty() ? 0 : Main.SOME_FAILED;
    }
}
