package backprop.grader.report;

import backprop.grader.report.ClassTally.CheckTally;
import backprop.grader.report.ClassTally.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code index.html}: the class at a glance, in one file that needs nothing else (no network: its style, its
 * chart and its one small script are inside it). The figures come from a {@link ClassTally}; the table of
 * students and their sections were written while the results streamed past, one student at a time. A
 * Content-Security-Policy lets the page run its own script and nothing else, and every value from a submission
 * is written through {@link Html}.
 */
final class ClassPage {
    /** The sorting script; the page's policy allows exactly these bytes. */
    static final String SCRIPT = resource("class-report.js");
    /** The style sheet, allowed the same way. */
    static final String STYLE = resource("class-report.css");
    /** The page's Content-Security-Policy. */
    static final String POLICY = "default-src 'none'; script-src '" + sha256(SCRIPT) + "'; style-src '"
            + sha256(STYLE) + "'; img-src data:; base-uri 'none'; form-action 'none'";

    private static final int CHART_W = 640;
    private static final int CHART_H = 240;
    private static final int PLOT_H = 180;
    private static final int TOP = 24;
    private static final int LEFT = 20;

    private ClassPage() {}

    /**
     * Writes the page to {@code w}: the figures of {@code t}, then the table of students and their sections, as
     * {@link StudentSections} wrote them while the results went by.
     *
     * @param rows the table's rows, one a student
     * @param sections a section a student
     */
    static void write(Writer w, ClassTally t, Path rows, Path sections) throws IOException {
        Html h = new Html(w);
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .open("meta", "http-equiv", "Content-Security-Policy", "content", POLICY).nl()
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<meta name=\"referrer\" content=\"no-referrer\">\n<link rel=\"icon\" href=\"data:,\">\n")
                .element("title", "Class report: " + t.students + " students").nl()
                .raw("<style>").raw(STYLE).raw("</style>\n</head>\n<body>\n");
        h.raw("<header>\n").element("h1", "Class report").nl()
                .raw("<nav><a href=\"#scores\">Scores</a><a href=\"#checks\">Checks</a><a href=\"#faults\">Common "
                        + "faults</a><a href=\"#students\">Students</a></nav>\n</header>\n<main>\n");
        overview(h, t);
        histogram(h, t);
        checks(h, t);
        faults(h, t);
        StudentSections.tableStart(h);
        copy(rows, w);
        StudentSections.tableEnd(h);
        copy(sections, w);
        h.raw("</main>\n<script>").raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
    }

    private static void overview(Html h, ClassTally t) throws IOException {
        h.raw("<section id=\"scores\">\n").element("h2", "Scores").nl().raw("<dl class=\"figures\">\n");
        figure(h, "students", Integer.toString(t.students));
        for (Map.Entry<String, Integer> s : t.statuses.entrySet()) {
            h.raw("<div>").element("dt", s.getKey()).open("dd", "data-status", s.getKey())
                    .text(Integer.toString(s.getValue())).close("dd").raw("</div>\n");
        }
        figure(h, "mean", points(t.mean(), t.maximum));
        figure(h, "lowest", points(t.quantile(0), t.maximum));
        figure(h, "lower quartile", points(t.quantile(0.25), t.maximum));
        figure(h, "median", points(t.quantile(0.5), t.maximum));
        figure(h, "upper quartile", points(t.quantile(0.75), t.maximum));
        figure(h, "highest", points(t.quantile(1), t.maximum));
        h.raw("</dl>\n");
    }

    private static void figure(Html h, String name, String value) throws IOException {
        h.raw("<div>").element("dt", name).element("dd", value).raw("</div>\n");
    }

    /** Points out of the maximum, with the percentage. */
    static String points(double p, double max) {
        return ConsoleReport.points(p) + " / " + ConsoleReport.points(max) + " points (" + ScoreCards.percent(p, max)
                + " %)";
    }

    private static void histogram(Html h, ClassTally t) throws IOException {
        int most = 1;
        for (int c : t.histogram) {
            most = Math.max(most, c);
        }
        int slot = (CHART_W - 2 * LEFT) / ClassTally.BUCKETS;
        h.element("h3", "Scores in percent, students per bucket").nl()
                .open("svg", "class", "histogram", "viewBox", "0 0 " + CHART_W + " " + CHART_H, "role", "img",
                        "aria-label", "histogram of the scores").nl();
        int base = TOP + PLOT_H;
        h.open("line", "x1", Integer.toString(LEFT), "y1", Integer.toString(base), "x2",
                Integer.toString(CHART_W - LEFT), "y2", Integer.toString(base)).close("line").nl();
        for (int b = 0; b < ClassTally.BUCKETS; b++) {
            int count = t.histogram[b];
            int height = (int) Math.round((double) PLOT_H * count / most);
            int x = LEFT + b * slot;
            String range = ClassTally.from(b) + "–" + ClassTally.to(b) + " %";
            String label = range + ": " + count + (count == 1 ? " student" : " students");
            h.open("rect", "class", "bar", "x", Integer.toString(x + 4), "y", Integer.toString(base - height),
                    "width", Integer.toString(slot - 8), "height", Integer.toString(height), "data-count",
                    Integer.toString(count), "data-from", Integer.toString(ClassTally.from(b)), "data-to",
                    Integer.toString(ClassTally.to(b))).element("title", label).close("rect").nl();
            h.element("text", Integer.toString(count), "x", Integer.toString(x + slot / 2), "y",
                    Integer.toString(base - height - 5), "text-anchor", "middle").nl();
            h.element("text", ClassTally.from(b) + "–" + ClassTally.to(b), "class", "axis", "x",
                    Integer.toString(x + slot / 2), "y", Integer.toString(base + 18), "text-anchor", "middle").nl();
        }
        h.raw("</svg>\n");
        h.element("p", "The last bucket holds 100 %. A bar's count is on it; hover for its range.", "class", "note")
                .nl().raw("</section>\n");
    }

    private static void checks(Html h, ClassTally t) throws IOException {
        h.raw("<section id=\"checks\">\n").element("h2", "Checks, least passed first").nl()
                .element("p", "A check passed when its status is passed or inconclusive; a student whose submission "
                        + "never ran passed none. Of " + t.students + " students.", "class", "note").nl();
        h.raw("<div class=\"scroll\">\n<table class=\"sortable checks\">\n<thead><tr><th>Check</th>"
                + "<th>Assignment</th><th>Kind</th><th class=\"num\" data-type=\"number\">Passed</th>"
                + "<th class=\"num\" data-type=\"number\">Rate</th><th>Share</th></tr></thead>\n<tbody>\n");
        for (CheckTally c : t.checksByRate()) {
            double rate = c.rate(t.students);
            h.open("tr", "data-assignment", c.assignment, "data-check", c.check, "data-passed",
                    Integer.toString(c.passed), "data-students", Integer.toString(t.students), "data-hidden",
                    Boolean.toString(c.hidden));
            h.open("td").text(c.check);
            if (c.hidden) {
                h.element("span", "hidden", "class", "hidden-check", "title", "students do not see this check");
            }
            h.close("td").element("td", c.assignment).element("td", c.kind)
                    .element("td", c.passed + " of " + t.students, "class", "num", "data-sort",
                            Integer.toString(c.passed))
                    .element("td", percent(rate), "class", "num", "data-sort", Double.toString(rate))
                    .open("td").open("meter", "min", "0", "max", "1", "value", Double.toString(rate))
                    .text(percent(rate)).close("meter").close("td").raw("</tr>\n");
        }
        h.raw("</tbody>\n</table>\n</div>\n</section>\n");
    }

    /** A share as a percentage with one decimal. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }

    private static void faults(Html h, ClassTally t) throws IOException {
        h.raw("<section id=\"faults\">\n").element("h2", "Common faults").nl()
                .element("p", "Failed checks and checks whose code threw, by the method the grader blames and the "
                        + "likely cause it found; each student counts once per fault.", "class", "note").nl();
        List<Fault> faults = t.faults();
        if (faults.isEmpty()) {
            h.element("p", "No check failed.").nl().raw("</section>\n");
            return;
        }
        h.raw("<table class=\"sortable faults\">\n<thead><tr><th>Component</th><th>Likely cause</th>"
                + "<th class=\"num\" data-type=\"number\">Students</th><th>Who</th></tr></thead>\n<tbody>\n");
        for (Fault f : faults) {
            h.raw("<tr>").element("td", f.component.isEmpty() ? "not located" : f.component, "class", "component")
                    .element("td", f.cause).element("td", Integer.toString(f.count), "class", "num").open("td");
            for (int i = 0; i < f.who.size(); i++) {
                h.raw(i == 0 ? "" : ", ").element("a", f.who.get(i), "href",
                        "#" + StudentSections.anchor(f.who.get(i)));
            }
            if (f.count > f.who.size()) {
                h.text(" and " + (f.count - f.who.size()) + " more");
            }
            h.close("td").raw("</tr>\n");
        }
        h.raw("</tbody>\n</table>\n");
        if (t.otherFaults > 0) {
            h.element("p", t.otherFaults + " more students have faults beyond the first " + ClassTally.MAX_FAULTS
                    + " distinct ones, which are not listed.", "class", "note").nl();
        }
        h.raw("</section>\n");
    }

    private static void copy(Path part, Writer w) throws IOException {
        try (Reader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
            r.transferTo(w);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ClassPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the grader's jar lacks " + name);
            }
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (s.toLowerCase(Locale.ROOT).contains("</s")) {
                throw new IllegalStateException(name + " must not contain '</s': it would end its element early");
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSP source for exactly these bytes: {@code sha256-} and their base64 SHA-256. */
    static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
