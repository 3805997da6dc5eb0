package backprop.grader.report;

import backprop.grader.report.ClassTally.AssignmentTally;
import backprop.grader.report.ClassTally.CheckTally;
import backprop.grader.report.ClassTally.Fault;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code summary.md}: the figures of the class page as GitHub-flavoured Markdown, for a course's repository, a CI
 * job summary or an email. Every value from a submission is written through {@link #escape}, so it reads as
 * text in a renderer and stays legible as plain text.
 */
final class ClassSummary {
    /** Checks and faults listed here; the page lists them all. */
    static final int TOP = 10;
    /** Students named per fault here. */
    static final int NAMED = 5;

    private ClassSummary() {}

    /** Writes the summary of {@code t} to {@code w}. */
    static void write(Writer w, ClassTally t) throws IOException {
        w.write("# Class report\n\n");
        List<String> statuses = new ArrayList<>();
        t.statuses.forEach((s, n) -> statuses.add(n + " " + escape(s)));
        w.write(t.students + (t.students == 1 ? " student" : " students") + (statuses.isEmpty() ? "" : ": "
                + String.join(", ", statuses)) + ".\n\n");
        w.write("| of " + ConsoleReport.points(t.maximum) + " points | points | percent |\n|---|---:|---:|\n");
        figure(w, "mean", t.mean(), t.maximum);
        figure(w, "lowest", t.quantile(0), t.maximum);
        figure(w, "lower quartile", t.quantile(0.25), t.maximum);
        figure(w, "median", t.quantile(0.5), t.maximum);
        figure(w, "upper quartile", t.quantile(0.75), t.maximum);
        figure(w, "highest", t.quantile(1), t.maximum);

        w.write("\n## Scores\n\n| percent | students |\n|---|---:|\n");
        for (int b = 0; b < ClassTally.BUCKETS; b++) {
            w.write("| " + ClassTally.from(b) + "–" + ClassTally.to(b) + " | " + t.histogram[b] + " |\n");
        }

        w.write("\n## Points per assignment\n\n| assignment | possible | mean | full marks |\n|---|---:|---:|---:|\n");
        for (AssignmentTally a : t.assignments.values()) {
            w.write("| " + escape(a.id) + " | " + ConsoleReport.points(a.max) + " | "
                    + ConsoleReport.points(t.students == 0 ? 0 : a.sum / t.students) + " | " + a.full + " |\n");
        }

        List<CheckTally> checks = t.checksByRate();
        w.write("\n## Checks most failed\n\nThe " + Math.min(TOP, checks.size()) + " least passed of " + checks.size()
                + " checks (passed: status passed or inconclusive; a submission that never ran passed none).\n\n");
        w.write("| check | assignment | passed | rate |\n|---|---|---:|---:|\n");
        for (CheckTally c : checks.subList(0, Math.min(TOP, checks.size()))) {
            w.write("| " + escape(c.check) + (c.hidden ? " (hidden)" : "") + " | " + escape(c.assignment) + " | "
                    + c.passed + " of " + t.students + " | " + ClassPage.percent(c.rate(t.students)) + " |\n");
        }

        List<Fault> faults = t.faults();
        w.write("\n## Common faults\n\n");
        if (faults.isEmpty()) {
            w.write("No check failed.\n");
        } else {
            w.write("| component | likely cause | students | who |\n|---|---|---:|---|\n");
            for (Fault f : faults.subList(0, Math.min(TOP, faults.size()))) {
                List<String> who = new ArrayList<>();
                f.who.subList(0, Math.min(NAMED, f.who.size())).forEach(s -> who.add(escape(s)));
                int more = f.count - who.size();
                w.write("| " + (f.component.isEmpty() ? "not located" : escape(f.component)) + " | " + escape(f.cause)
                        + " | " + f.count + " | " + String.join(", ", who) + (more > 0 ? " and " + more + " more" : "")
                        + " |\n");
            }
        }
        w.write("\nThe whole class, student by student: `index.html` beside this file; every check: `details.csv`.\n");
    }

    private static void figure(Writer w, String name, double points, double max) throws IOException {
        w.write("| " + name + " | " + ConsoleReport.points(points) + " | " + ScoreCards.percent(points, max) + " |\n");
    }

    /**
     * Escapes {@code s} for Markdown inline text and table cells: every character that could start markup (a
     * link or image, emphasis, code, math, HTML, an entity, a mention or an issue reference) or end a cell is
     * backslash-escaped, and what would not show as itself is written as its code point, as on the page.
     */
    static String escape(String s) {
        String v = Html.visible(s);
        StringBuilder out = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ("\\`*_~[]<>&|$@#".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
