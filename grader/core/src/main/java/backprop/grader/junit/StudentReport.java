package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.files.AtomicFiles;
import backprop.grader.report.ConsoleReport;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint.Visibility;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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

    /** The closing line, for example {@code public checks: 37.5/50 points (41 of 60 checks passed) — …}. */
    public static String summaryLine(List<CheckResult> results) {
        return summaryLine(results, Selection.all(), "");
    }

    /** The closing line of a run that graded {@code results}, the checks {@code selection} asked for. */
    static String summaryLine(List<CheckResult> all, Selection selection, String selftest) {
        List<CheckResult> results = all.stream().filter(r -> r.visibility() == Visibility.VISIBLE).toList();
        double earned = results.stream().mapToDouble(CheckResult::earned).sum();
        double possible = results.stream().mapToDouble(CheckResult::possible).sum();
        long passed = results.stream().filter(r -> r.status().earnsPoints()).count();
        String what = selection.isAll() ? "public checks" : "public checks matching -D" + Selection.PROPERTY + "="
                + selection.text();
        String tail = !selftest.isEmpty() ? "self-test: each must fail cleanly on the " + selftest
                : selection.isAll() ? "hidden checks are graded separately" : "./mvnw test runs them all";
        return what + ": " + ConsoleReport.points(earned) + "/" + ConsoleReport.points(possible) + " points ("
                + passed + " of " + results.size() + " checks passed) — " + tail;
    }

    /** Why a selection failed: the patterns that match nothing, the assignments there are, and how to ask. */
    static String nothingMatches(List<String> patterns, List<Assignment> assignments) {
        StringBuilder s = new StringBuilder();
        s.append("-D").append(Selection.PROPERTY).append(": ")
                .append(patterns.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ")))
                .append(patterns.size() == 1 ? " matches" : " match").append(" no public check. The assignments:\n");
        for (Assignment a : assignments) {
            s.append(String.format(Locale.ROOT, "  %-18s %s%n", a.id(), a.title()));
        }
        s.append("Run one assignment with -D").append(Selection.PROPERTY).append("=seed-001, one check with -D")
                .append(Selection.PROPERTY).append("='seed-003a > dL/dW2' (the test's name; > stands for ›), several ")
                .append("with commas; * and ? are wildcards, a leading ! leaves out. ./mvnw test runs every check.");
        return s.toString();
    }

    /** A Markdown summary for a CI job page: the points, then every check of every assignment with its status. */
    public static String markdown(List<Assignment> assignments, List<CheckResult> results) {
        return markdown(assignments, results, Selection.all(), "");
    }

    static String markdown(List<Assignment> assignments, List<CheckResult> results, Selection selection,
            String selftest) {
        List<CheckResult> hidden = results.stream().filter(r -> r.visibility() != Visibility.VISIBLE).toList();
        StringBuilder md = new StringBuilder(hidden.isEmpty() ? "## Backprop homework: public checks\n\n"
                : "## Backprop homework: public and hidden checks\n\n");
        md.append("**").append(summaryLine(results, selection, selftest)).append("**\n\n");
        if (!hidden.isEmpty()) {
            md.append("**hidden checks: ").append(ConsoleReport.points(hidden.stream().mapToDouble(CheckResult::earned)
                    .sum())).append("/").append(ConsoleReport.points(hidden.stream().mapToDouble(CheckResult::possible)
                    .sum())).append(" points (").append(hidden.stream().filter(r -> r.status().earnsPoints()).count())
                    .append(" of ").append(hidden.size()).append(" checks passed)**\n\n");
        }
        md.append("| assignment | points | checks passed |\n|---|---:|---:|\n");
        for (Assignment a : assignments) {
            List<CheckResult> rs = of(a, results);
            md.append("| ").append(cell(a.id() + " — " + a.title())).append(" | ").append(points(rs)).append(" | ")
                    .append(passed(rs)).append(" |\n");
        }
        md.append("| **total** | **").append(points(results)).append("** | **").append(passed(results))
                .append("** |\n");
        for (Assignment a : assignments) {
            List<CheckResult> rs = of(a, results);
            boolean allPassed = rs.stream().allMatch(r -> r.status().earnsPoints());
            md.append("\n<details").append(allPassed ? "" : " open").append("><summary>").append(a.id())
                    .append(" — ").append(html(a.title())).append(": ").append(points(rs)).append(" points, ")
                    .append(passed(rs)).append(" passed</summary>\n\n");
            md.append("| check | status | points | what it found |\n|---|---|---:|---|\n");
            for (CheckResult r : rs) {
                StringBuilder what = new StringBuilder(r.message());
                r.blame().ifPresent(b -> what.append(" — where: ").append(b));
                r.diagnosis().ifPresent(d -> what.append(" — likely cause: ").append(d));
                md.append("| `").append(testName(r).replace("`", "'")).append("` | ").append(r.status().word())
                        .append(" | ").append(ConsoleReport.points(r.earned())).append(" / ")
                        .append(ConsoleReport.points(r.possible())).append(" | ").append(cell(what.toString()))
                        .append(" |\n");
            }
            md.append("\n</details>\n");
        }
        return md.toString();
    }

    private static List<CheckResult> of(Assignment a, List<CheckResult> results) {
        return results.stream().filter(r -> r.assignment().equals(a.id())).toList();
    }

    private static String points(List<CheckResult> rs) {
        return ConsoleReport.points(rs.stream().mapToDouble(CheckResult::earned).sum()) + " / "
                + ConsoleReport.points(rs.stream().mapToDouble(CheckResult::possible).sum());
    }

    private static String passed(List<CheckResult> rs) {
        return rs.stream().filter(r -> r.status().earnsPoints()).count() + " / " + rs.size();
    }

    /** Text safe in a Markdown table cell: one line, no column breaks, no HTML. */
    private static String cell(String s) {
        return html(s).replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Writes the summary; a failure to write is reported, never fatal to the checks. */
    static void writeSummary(Path out, String markdown) {
        try {
            AtomicFiles.write(out, markdown.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("could not write the summary to " + out + ": " + e.getMessage());
        }
    }
}
