package backprop.grader.cli;

import backprop.grader.report.CanvasGradebook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grader gradebook}: turns a scorecard and a roster into a gradebook an LMS imports. */
@Command(name = "gradebook", mixinStandardHelpOptions = true,
        description = "Write a Canvas-importable gradebook CSV (Student, ID, SIS User ID, SIS Login ID, Section, one "
                + "column per assignment, a Points Possible row) from scores.csv and a roster CSV with columns id, "
                + "name and optionally canvas_id, sis_id, login, section.")
final class GradebookCommand implements Callable<Integer> {
    @Option(names = "--scores", paramLabel = "CSV", description = "The scorecard (default: reports/scores.csv).")
    private Path scores;

    @Option(names = "--roster", required = true, paramLabel = "CSV", description = "The class roster.")
    private Path roster;

    @Option(names = "--out", paramLabel = "CSV", description = "Where to write (default: reports/gradebook.csv).")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Path in = scores != null ? scores : Home.root().resolve("reports/scores.csv");
        Path to = out != null ? out : Home.root().resolve("reports/gradebook.csv");
        CanvasGradebook.Gradebook g = CanvasGradebook.build(CanvasGradebook.readScores(in),
                CanvasGradebook.readRoster(roster));
        CanvasGradebook.write(to, g);
        g.warnings().forEach(x -> spec.commandLine().getErr().println("warning: " + x));
        w.println("wrote " + to);
        return 0;
    }
}
