package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.report.ConsoleReport;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint.Visibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The words a student reads: one failure message per check, and the summary of all public checks. */
public final class StudentReport {
    private StudentReport() {}

    /** A test name a student can act on alone: {@code seed-003a › dL/dW2}. */
    public static String testName(CheckResult r) {
        return r.assignment() + " › " + r.check();
    }

    /**
     * The failure message of one check: what is wrong, where, by how much, finite differences of the student's
     * own forward pass, the likely cause and the author's hint, one fact a line.
     */
    public static String failure(CheckResult r) {
        List<String> lines = new ArrayList<>();
        lines.add(testName(r) + " — " + r.status().word() + " (" + ConsoleReport.points(r.earned()) + "/"
                + ConsoleReport.points(r.possible()) + " points)");
        r.worst().filter(w -> r.status() == Status.FAILED).ifPresent(w -> {
            lines.add("  worst entry:  " + w.where());
            lines.add("  expected:     " + Matrix.format(w.expected()));
            lines.add("  yours:        " + Matrix.format(w.actual()));
            lines.add("  abs error " + Matrix.format(w.absError()) + ", rel error " + Matrix.format(w.relError()));
        });
        for (String part : r.message().split("; ")) {
            lines.add("  " + part);
        }
        r.blame().ifPresent(b -> lines.add("  where: " + b));
        r.diagnosis().ifPresent(d -> lines.add("  likely cause: " + d));
        r.hint().ifPresent(h -> lines.add("  hint: " + h));
        return String.join("\n", lines);
    }

    /**
     * The closing line, for example {@code public checks: 37.5/50 points — hidden checks are graded separately}:
     * the public checks alone, whatever else {@code results} holds.
     */
    public static String summaryLine(List<CheckResult> results) {
        List<CheckResult> visible = results.stream().filter(r -> r.visibility() == Visibility.VISIBLE).toList();
        return "public checks: " + points(visible) + " points — hidden checks are graded separately";
    }

    private static String points(List<CheckResult> results) {
        return ConsoleReport.points(results.stream().mapToDouble(CheckResult::earned).sum()) + "/"
                + ConsoleReport.points(results.stream().mapToDouble(CheckResult::possible).sum());
    }

    /**
     * The Markdown summary of a submission that does not compile: no check ran, and the compiler's messages in a
     * code block (fenced by more backticks than any message holds, so no message can end it).
     */
    public static String markdownNotCompiled(List<String> errors) {
        int run = 0;
        for (String e : errors) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("`+").matcher(e);
            while (m.find()) {
                run = Math.max(run, m.group().length());
            }
        }
        String fence = "`".repeat(Math.max(3, run + 1));
        return "## Backprop homework: does not compile\n\nNo check ran: the compiler stopped at the submission.\n\n"
                + fence + "\n" + String.join("\n", errors) + "\n" + fence + "\n";
    }

    /** A Markdown summary for a CI job page: a table of assignments with points, then the failed checks. */
    public static String markdown(List<Assignment> assignments, List<CheckResult> results) {
        List<CheckResult> hidden = results.stream().filter(r -> r.visibility() != Visibility.VISIBLE).toList();
        StringBuilder md = new StringBuilder(hidden.isEmpty() ? "## Backprop homework: public checks\n\n"
                : "## Backprop homework: public and hidden checks\n\n");
        md.append("| assignment | points | passed |\n|---|---:|---:|\n");
        for (Assignment a : assignments) {
            List<CheckResult> rs = results.stream().filter(r -> r.assignment().equals(a.id())).toList();
            md.append(String.format(Locale.ROOT, "| %s — %s | %s / %s | %d / %d |%n", a.id(), a.title(),
                    ConsoleReport.points(rs.stream().mapToDouble(CheckResult::earned).sum()),
                    ConsoleReport.points(rs.stream().mapToDouble(CheckResult::possible).sum()),
                    rs.stream().filter(r -> r.status().earnsPoints()).count(), rs.size()));
        }
        md.append("\n**").append(summaryLine(results)).append("**\n");
        if (!hidden.isEmpty()) {
            md.append("\n**hidden checks: ").append(points(hidden)).append(" points**\n");
        }
        List<CheckResult> bad = results.stream().filter(r -> !r.status().earnsPoints()).toList();
        if (!bad.isEmpty()) {
            md.append("\n<details><summary>").append(bad.size()).append(" checks not passed</summary>\n\n");
            for (CheckResult r : bad) {
                md.append("- `").append(testName(r)).append("` ").append(r.status().word()).append(": ")
                        .append(r.message().replace("|", "\\|"));
                r.blame().ifPresent(b -> md.append(" — where: ").append(b));
                r.diagnosis().ifPresent(d -> md.append(" — likely cause: ").append(d));
                md.append('\n');
            }
            md.append("\n</details>\n");
        }
        return md.toString();
    }
}
