package backprop.grader.cli;

import backprop.grader.report.CanvasGradebook;
import backprop.grader.roster.Roster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grader gradebook}: turns a scorecard and a roster into a gradebook Canvas imports. */
@Command(name = "gradebook", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a gradebook CSV for Canvas (Grades › Import) from scores.csv and the class roster: "
                + "the columns Student, ID, SIS User ID, SIS Login ID, Section, then the total of each student "
                + "for the one Canvas assignment --canvas-assignment names (or, with --per-assignment, a column "
                + "per assignment file), and a Points Possible row.",
            "", "The roster is the one grade --roster reads: columns id (required), name, folder, canvas_id, sis_id, "
                + "login, section."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the gradebook was written (warnings, if any, on stderr)",
            "2:nothing was written: bad usage, no scores to read, an unreadable roster, or no roster student with "
                + "a score"})
final class GradebookCommand implements Callable<Integer> {
    @Option(names = "--scores", paramLabel = "CSV", description = "The scorecard (default: reports/scores.csv).")
    private Path scores;

    @Option(names = "--roster", required = true, paramLabel = "CSV", description = "The class roster.")
    private Path roster;

    @Option(names = "--canvas-assignment", paramLabel = "NAME (ID)",
            description = "The Canvas assignment the total goes to: its name and its Canvas id in parentheses, as "
                    + "the column is headed in Canvas's gradebook export, e.g. \"Backprop HW (12345)\".")
    private String canvasAssignment;

    @Option(names = "--per-assignment",
            description = "A column per assignment file instead of the total (Canvas creates the ones it does not "
                    + "find by title, unless --canvas-id maps them).")
    private boolean perAssignment;

    @Option(names = "--canvas-id", paramLabel = "ASSIGNMENT=ID",
            description = "With --per-assignment: the Canvas id of the assignment an assignment file's points go "
                    + "to, e.g. seed-000=4711; repeatable.")
    private Map<String, String> canvasIds = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "CSV", description = "Where to write (default: reports/gradebook.csv).")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path in = scores != null ? scores : Home.root().resolve("reports/scores.csv");
        Path to = out != null ? out : Home.root().resolve("reports/gradebook.csv");
        List<String> warnings = new ArrayList<>();
        try {
            CanvasGradebook.Layout layout = layout(warnings);
            CanvasGradebook.Scores s = CanvasGradebook.readScores(in);
            if (perAssignment) {
                s = s.withCanvasIds(canvasIds);
            }
            Roster r = Roster.read(roster);
            warnings.addAll(r.warnings());
            CanvasGradebook.Gradebook g = CanvasGradebook.build(s, r, layout);
            warnings.addAll(g.warnings());
            CanvasGradebook.write(to, g);
        } catch (NoSuchFileException e) {
            err.println("grader: no scores to read: " + in + " does not exist (grade the class first with grader "
                    + "grade, or name its scores.csv with --scores)");
            return Main.GRADER_ERROR;
        } catch (IOException | IllegalArgumentException e) {
            warnings.forEach(w -> err.println("warning: " + w));
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        warnings.forEach(w -> err.println("warning: " + w));
        spec.commandLine().getOut().println("wrote " + to);
        return 0;
    }

    private CanvasGradebook.Layout layout(List<String> warnings) {
        if (perAssignment && canvasAssignment != null) {
            throw new IllegalArgumentException("--canvas-assignment (one total column) and --per-assignment (a "
                    + "column per assignment file) exclude each other");
        }
        if (!perAssignment && !canvasIds.isEmpty()) {
            throw new IllegalArgumentException("--canvas-id maps the columns of --per-assignment; for the total, "
                    + "name the assignment with --canvas-assignment \"Name (id)\"");
        }
        if (perAssignment) {
            return new CanvasGradebook.Layout.PerAssignment();
        }
        if (canvasAssignment == null) {
            throw new IllegalArgumentException("name the Canvas assignment the points go to: --canvas-assignment "
                    + "\"Backprop HW (12345)\" (its name and Canvas id, as Canvas's gradebook export heads its "
                    + "column), or --per-assignment for a column per assignment file");
        }
        return new CanvasGradebook.Layout.Total(CanvasGradebook.canvasAssignment(canvasAssignment, warnings));
    }
}
