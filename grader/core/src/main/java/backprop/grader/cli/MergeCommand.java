package backprop.grader.cli;

import backprop.grader.batch.Merge;
import backprop.grader.report.ClassReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grader merge}: the outputs of {@code grade --shard I/N} combined into the reports of one run. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Combine the output folders of the shards of one class (grade --shard I/N --out DIR, one folder "
                + "a shard) into the scores.csv, details.csv, provenance.json, index.html and summary.md that one "
                + "grade run over the whole class writes: the same rows, in the same order.",
            "", "It refuses, naming the shards and the values, shards graded with different assignment files, "
                + "reference, grader or limits, shards that overlap, and students without a result (listing them; "
                + "the class is the one the shards recorded). Nothing is written then."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the reports were written (under --allow-missing, perhaps with missing students)",
            "2:refused, or a file could not be read or written; nothing was written"})
final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "The shards' output folders, in any order.")
    private List<Path> shards = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Where the merged reports go (not one of the shards).")
    private Path out;

    @Option(names = "--allow-missing",
            description = "Write what there is when some students have no result: each gets a row with the status "
                    + "'missing' and the reason, in scores.csv, details.csv and the class report.")
    private boolean allowMissing;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Merge.Summary s;
        try {
            s = Merge.run(new Merge.Options(shards, out, allowMissing), err);
        } catch (Merge.Refused e) {
            err.println("grader merge: " + e.getMessage());
            return Main.GRADER_ERROR;
        } catch (IOException e) {
            err.println("grader merge: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        o.printf(Locale.ROOT, "merged %d shard(s): %d student(s): %s%n", shards.size(), s.students(),
                GradeCommand.counts(s.byStatus()));
        Path dir = s.scores().getParent();
        o.printf(Locale.ROOT, "wrote %s, %s, %s%n", s.scores(), dir.resolve("details.csv"),
                dir.resolve("provenance.json"));
        o.printf(Locale.ROOT, "class report: %s (open it in a browser), %s%n", dir.resolve(ClassReport.PAGE),
                dir.resolve(ClassReport.SUMMARY));
        o.flush();
        return 0;
    }
}
