package backprop.grader.report;

import backprop.grader.report.StudentResult.AssignmentPoints;
import backprop.grader.report.StudentResult.CheckRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The students of the class page: a table of all of them, each linked to a section of their own with their
 * status, reason, points per assignment and every check that did not pass. Both are written one student at a
 * time as the results stream past; nothing is kept from one student to the next.
 */
final class StudentSections {
    private StudentSections() {}

    /** The id of a student's section. */
    static String anchor(String student) {
        return Html.anchor("s-", student);
    }

    /** Opens the table of all students; its rows come in the order of the results (the script sorts them). */
    static void tableStart(Html h) throws IOException {
        h.raw("<section id=\"students\">\n").element("h2", "Students").nl()
                .element("p", "Click a header to sort; a student's id leads to their checks.", "class", "note").nl()
                .raw("<table class=\"sortable students\">\n<thead><tr><th>Student</th><th>Name</th><th>Status</th>"
                        + "<th class=\"num\" data-type=\"number\">Points</th>"
                        + "<th class=\"num\" data-type=\"number\">Percent</th><th>Reason</th></tr></thead>\n<tbody>\n");
    }

    /** Closes the table of all students. */
    static void tableEnd(Html h) throws IOException {
        h.raw("</tbody>\n</table>\n</section>\n");
    }

    /** A student's row of the table. */
    static void row(Html h, StudentResult r) throws IOException {
        String percent = ScoreCards.percent(r.total(), r.maximum());
        h.raw("<tr>").open("td", "data-sort", r.student()).element("a", r.student(), "href", "#" + anchor(
                r.student())).close("td").element("td", r.name()).element("td", r.status(), "data-status",
                r.status()).element("td", ConsoleReport.points(r.total()), "class", "num", "data-sort",
                Double.toString(r.total())).element("td", percent, "class", "num", "data-sort", percent)
                .element("td", r.reason(), "class", "reason").raw("</tr>\n");
    }

    /** A student's section: status, reason, points per assignment, and every check that did not pass. */
    static void section(Html h, StudentResult r) throws IOException {
        h.open("section", "class", "student", "id", anchor(r.student())).nl().open("h3").text(r.student());
        if (!r.name().isEmpty()) {
            h.raw(" ").element("span", r.name(), "class", "muted");
        }
        h.close("h3").nl().raw("<p>").element("span", r.status(), "data-status", r.status())
                .text(" · " + ClassPage.points(r.total(), r.maximum()) + " · " + r.reason()).raw("</p>\n");
        h.raw("<ul class=\"points\">");
        for (AssignmentPoints p : r.assignments()) {
            h.open("li", "class", p.points() < p.max() ? "short" : "full").text(p.id() + " " + ConsoleReport.points(
                    p.points()) + " / " + ConsoleReport.points(p.max())).close("li");
        }
        h.raw("</ul>\n");
        if (!r.compilerErrors().isEmpty()) {
            h.element("p", "The compiler said:").raw("<ul class=\"compiler\">");
            for (String e : r.compilerErrors()) {
                h.element("li", e);
            }
            h.raw("</ul>\n");
        }
        List<List<CheckRow>> groups = groups(r.checks());
        if (r.checks().isEmpty()) {
            h.element("p", "No check ran: every check scores 0.", "class", "note").nl();
        } else if (groups.isEmpty()) {
            h.element("p", "Every check passed.", "class", "note").nl();
        } else {
            h.raw("<table class=\"failures\">\n<thead><tr><th>Assignment</th><th>Check</th><th>Status</th>"
                    + "<th class=\"num\">Points</th><th>Message</th></tr></thead>\n<tbody>\n");
            for (List<CheckRow> g : groups) {
                failure(h, g);
            }
            h.raw("</tbody>\n</table>\n");
        }
        h.raw("<p><a class=\"back\" href=\"#students\">back to the students</a></p>\n</section>\n");
    }

    /**
     * The checks that did not pass, with neighbours of one assignment that ended the same way with the same
     * message in one group: a forward value that failed often skips a dozen checks with one reason.
     */
    static List<List<CheckRow>> groups(List<CheckRow> checks) {
        List<List<CheckRow>> out = new ArrayList<>();
        List<CheckRow> g = null;
        for (CheckRow c : checks) {
            if (ClassTally.passed(c)) {
                g = null;
                continue;
            }
            CheckRow first = g == null ? null : g.get(0);
            if (first == null || !first.assignment().equals(c.assignment()) || !first.status().equals(c.status())
                    || !first.message().equals(c.message()) || first.hidden() != c.hidden()) {
                g = new ArrayList<>();
                out.add(g);
            }
            g.add(c);
        }
        return out;
    }

    private static void failure(Html h, List<CheckRow> g) throws IOException {
        CheckRow first = g.get(0);
        double earned = 0;
        double max = 0;
        List<String> names = new ArrayList<>();
        for (CheckRow c : g) {
            earned += c.points();
            max += c.max();
            names.add(c.check());
        }
        h.raw("<tr>").element("td", first.assignment()).open("td")
                .text(String.join(", ", names) + (g.size() > 1 ? " (" + g.size() + " checks)" : ""));
        if (first.hidden()) {
            h.element("span", "hidden", "class", "hidden-check", "title", "students do not see this check");
        }
        h.close("td").element("td", first.status(), "data-check-status", first.status())
                .element("td", ConsoleReport.points(earned) + " / " + ConsoleReport.points(max), "class", "num")
                .element("td", first.message(), "class", "message").raw("</tr>\n");
    }
}
