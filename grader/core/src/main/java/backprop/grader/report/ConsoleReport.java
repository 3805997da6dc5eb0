package backprop.grader.report;

import backprop.api.Matrix;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint.Visibility;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints check results as a table a person reads in a terminal: one line a check, points per assignment. */
public final class ConsoleReport {
    private static final String HIDDEN = "[hidden]";

    private ConsoleReport() {}

    /** Prints every assignment's checks and a total line. */
    public static void print(PrintWriter out, List<Assignment> assignments, List<CheckResult> results,
            boolean verbose) {
        double earned = 0;
        double possible = 0;
        for (Assignment a : assignments) {
            List<CheckResult> rs = results.stream().filter(r -> r.assignment().equals(a.id())).toList();
            double e = rs.stream().mapToDouble(CheckResult::earned).sum();
            double p = rs.stream().mapToDouble(CheckResult::possible).sum();
            earned += e;
            possible += p;
            out.printf(Locale.ROOT, "%n%s — %s   %s / %s points%n", a.id(), a.title(), points(e), points(p));
            int width = rs.stream().mapToInt(r -> label(r).length()).max().orElse(10);
            for (CheckResult r : rs) {
                String msg = r.status() == Status.PASSED && !verbose ? "" : r.message();
                out.printf(Locale.ROOT, "  %-12s %-" + width + "s %5s/%-5s %s%n", r.status().word(), label(r),
                        points(r.earned()), points(r.possible()), msg);
                String pad = String.format(Locale.ROOT, "  %-12s %-" + width + "s %11s ", "", "", "");
                r.blame().ifPresent(b -> out.println(pad + "where: " + b));
                r.diagnosis().ifPresent(d -> out.println(pad + "likely cause: " + d));
                r.hint().ifPresent(h -> out.println(pad + "hint: " + h));
            }
        }
        long failed = results.stream().filter(r -> !r.status().earnsPoints()).count();
        out.printf(Locale.ROOT, "%nTotal: %s / %s points (%s%%), %d of %d checks not passed%n", points(earned),
                points(possible), possible == 0 ? "0" : Matrix.format(Math.round(1000 * earned / possible) / 10.0),
                failed, results.size());
        long hidden = results.stream().filter(r -> r.visibility() == Visibility.HIDDEN).count();
        if (hidden > 0) {
            out.printf(Locale.ROOT, "%d of these checks are hidden (marked %s): they count in grading, but a student "
                    + "never sees them, and their own mvn test leaves them out%n", hidden, HIDDEN);
        }
        out.flush();
    }

    /** A check's name, marked when students never see it. */
    private static String label(CheckResult r) {
        return r.visibility() == Visibility.HIDDEN ? r.check() + " " + HIDDEN : r.check();
    }

    /** Formats points without needless decimals: {@code 2}, {@code 0.5}, {@code 0.125}. */
    public static String points(double p) {
        return Matrix.format(Math.round(p * 1000) / 1000.0);
    }
}
