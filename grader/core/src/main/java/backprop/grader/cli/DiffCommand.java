package backprop.grader.cli;

import backprop.grader.files.AtomicFiles;
import backprop.grader.report.Diff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grader diff}: what changed between two gradings of a class. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare two output folders of grader grade (each with scores.csv and details.csv), for "
                + "instance before and after an assignment file was fixed: per student, the total before and after "
                + "and every check whose status or points changed; students in one folder only are listed as added "
                + "or removed. Unchanged students are counted, not listed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no student changed", "1:some student changed, was added or was removed",
            "2:a folder is not a grading (the file and line are named), or bad usage"})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD_DIR", description = "The earlier grading.")
    private Path before;

    @Parameters(index = "1", paramLabel = "NEW_DIR", description = "The later grading.")
    private Path after;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Also write the comparison as CSV: a row per student (unchanged ones too), then a row per "
                    + "changed check.")
    private Path csv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Diff.Counts counts;
        try {
            if (csv == null) {
                counts = Diff.compare(before, after, c -> print(out, c));
            } else {
                Diff.Counts[] c = new Diff.Counts[1];
                AtomicFiles.write(csv, w -> {
                    Diff.Sink toCsv = Diff.csv(w);
                    c[0] = Diff.compare(before, after, x -> {
                        print(out, x);
                        toCsv.accept(x);
                    });
                });
                counts = c[0];
            }
        } catch (IOException e) {
            out.flush();
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        out.printf(Locale.ROOT, "%d changed, %d unchanged, %d added, %d removed%n", counts.changed(),
                counts.unchanged(), counts.added(), counts.removed());
        if (csv != null) {
            out.println("wrote " + csv);
        }
        out.flush();
        return counts.changed() + counts.added() + counts.removed() == 0 ? 0 : Main.SOME_FAILED;
    }

    /** One student as a TA reads it: status and points before → after, then the checks that changed. */
    static void print(PrintWriter out, Diff.StudentChange c) {
        switch (c.kind()) {
            case UNCHANGED -> {
                return;
            }
            case ADDED -> out.printf(Locale.ROOT, "%-20s added: %s%n", c.student(), side(c.after().orElseThrow()));
            case REMOVED -> out.printf(Locale.ROOT, "%-20s removed (was %s)%n", c.student(),
                    side(c.before().orElseThrow()));
            case CHANGED -> {
                Diff.Side was = c.before().orElseThrow();
                Diff.Side is = c.after().orElseThrow();
                double delta = is.total() - was.total();
                String note = was.ran() == is.ran() ? "" : was.ran() ? "; no check ran after" : "; no check ran before";
                out.printf(Locale.ROOT, "%-20s %s → %s   (%s%s%s)%n", c.student(), side(was), side(is),
                        delta >= 0 ? "+" : "−", Diff.points(Math.abs(delta)), note);
                for (Diff.CheckChange k : c.checks()) {
                    out.printf(Locale.ROOT, "    %-40s %s → %s%n", k.assignment() + " › " + k.check(),
                            check(k.before()), check(k.after()));
                }
            }
        }
    }

    private static String side(Diff.Side s) {
        return s.status() + " " + Diff.points(s.total()) + "/" + Diff.points(s.max());
    }

    private static String check(Optional<Diff.Outcome> o) {
        return o.map(x -> x.status() + " " + Diff.points(x.points()) + "/" + Diff.points(x.max()))
                .orElse("(no such check)");
    }
}
