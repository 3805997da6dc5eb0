package backprop.grader.cli;

import backprop.grader.export.GradescopeExport;
import java.util.Locale;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grader export-gradescope ZIP}: the autograder zip an instructor uploads to Gradescope. */
@Command(name = "export-gradescope", mixinStandardHelpOptions = true,
        description = "Write the autograder zip for Gradescope: setup.sh (installs a JDK and bubblewrap), "
                + "run_autograder (grades /autograder/submission into /autograder/results/results.json), the "
                + "grader, the compiled reference and every assignment, hidden ones included. For the course "
                + "staff only: it holds the reference.")
final class ExportGradescopeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ZIP", description = "Where to write the zip, for example reports/autograder.zip.")
    private Path zip;

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "Assignment files or folders to grade on Gradescope (default: all of the repository's "
                    + "assignments/, hidden ones included).")
    private List<Path> assignments = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> names = GradescopeExport.export(Home.root(), zip, assignments);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d files); upload it on Gradescope's Configure Autograder "
                + "page%n", zip, names.size());
        return 0;
    }
}
