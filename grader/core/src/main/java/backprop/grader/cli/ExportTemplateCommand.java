package backprop.grader.cli;

import backprop.grader.export.TemplateExport;
import java.util.Locale;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grader export-template OUT}: writes the repository a student receives. */
@Command(name = "export-template", mixinStandardHelpOptions = true,
        description = "Write a standalone student repository: the stubs, the public checks as JUnit tests, the "
                + "assignments (by default the public ones) without their hidden checkpoints, the Maven wrapper and a "
                + "GitHub Actions workflow. Nothing of the reference solution goes in.")
final class ExportTemplateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OUT", description = "A new (or empty) folder for the repository.")
    private Path out;

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "Assignment files or folders to give students, each without its hidden checkpoints "
                    + "(default: the repository's assignments/public/).")
    private List<Path> assignments = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        TemplateExport.Result r = TemplateExport.export(Home.root(), out,
                assignments.isEmpty() ? List.of(Home.assignments().resolve("public")) : assignments);
        w.printf(Locale.ROOT, "wrote %s: %d assignments (%d hidden checkpoints left out), engine %s%n", r.out(),
                r.assignments().size(), r.hiddenRemoved(), r.version());
        w.printf(Locale.ROOT, "a student runs: cd %s && ./mvnw test%n", r.out());
        return 0;
    }
}
