package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import backprop.grader.report.StudentResult.AssignmentPoints;
import backprop.grader.report.StudentResult.CheckRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The two CSV scorecards of a batch run, written through {@link SafeCsv} ({@code RFC 4180}: comma separated, fields
 * quoted when needed, CRLF line ends; no text cell a spreadsheet would run as a formula), numbers in
 * {@link Locale#ROOT}, each file replaced atomically.
 *
 * <ul>
 *   <li>{@code scores.csv}: a row per student — id, name, the points of each assignment, total, maximum,
 *       percent, status, reason — after a first row with the points possible, as Otter's grades file has.</li>
 *   <li>{@code details.csv}: a row per check — student, assignment, check, kind, points, max, status, and at
 *       the entry furthest off, expected, actual, absolute and relative error, then the message, and the seed of
 *       the student's own variant when the assignment has per-student variants. Each student's
 *       rows start with one {@code kind = submission} row holding the submission's status and reason, then
 *       one {@code kind = compiler} row per compiler error when it did not compile. A submission that never ran
 *       (status {@code compile-error}) has no row per check: every check scores 0.</li>
 * </ul>
 */
public final class ScoreCards {
    /** The student cell of the first row of {@code scores.csv}. */
    public static final String POINTS_POSSIBLE = "(points possible)";
    /** The header of {@code details.csv}. */
    public static final List<String> DETAILS_HEADER = List.of("student", "assignment", "check", "kind", "points",
            "max", "status", "expected", "actual", "abs_error", "rel_error", "message", "variant");
    private static final Set<String> DETAILS_NUMBERS = Set.of("points", "max", "expected", "actual", "abs_error",
            "rel_error", "variant");
    private static final List<SafeCsv.Column> DETAILS_COLUMNS = DETAILS_HEADER.stream()
            .map(h -> DETAILS_NUMBERS.contains(h) ? SafeCsv.Column.number(h) : SafeCsv.Column.text(h)).toList();

    private ScoreCards() {}

    /**
     * An assignment column of {@code scores.csv}.
     *
     * @param id the assignment id (the column's header)
     * @param max its points possible
     */
    public record Column(String id, double max) {}

    /** Writes {@code scores.csv}, atomically. */
    public static void writeScores(Path file, List<Column> columns, Iterable<StudentResult> results)
            throws IOException {
        AtomicFiles.write(file, scores(columns, results));
    }

    /** Writes {@code details.csv}, atomically. */
    public static void writeDetails(Path file, Iterable<StudentResult> results) throws IOException {
        AtomicFiles.write(file, details(results));
    }

    /** The text of {@code scores.csv}, for a file written alone or in a group ({@link AtomicFiles.Group}). */
    public static AtomicFiles.Body scores(List<Column> columns, Iterable<StudentResult> results) {
        List<SafeCsv.Column> layout = new ArrayList<>(List.of(SafeCsv.Column.text("student"),
                SafeCsv.Column.text("name")));
        columns.forEach(c -> layout.add(SafeCsv.Column.number(c.id())));
        layout.addAll(List.of(SafeCsv.Column.number("total"), SafeCsv.Column.number("maximum"),
                SafeCsv.Column.number("percent"), SafeCsv.Column.text("status"), SafeCsv.Column.text("reason")));
        double max = columns.stream().mapToDouble(Column::max).sum();
        return w -> {
            SafeCsv csv = SafeCsv.open(w, layout);
            List<Object> possible = new ArrayList<>(List.of(POINTS_POSSIBLE, ""));
            columns.forEach(c -> possible.add(points(c.max())));
            possible.addAll(List.of(points(max), points(max), percent(max, max), "", ""));
            csv.row(possible);
            for (StudentResult r : results) {
                Map<String, Double> byId = r.assignments().stream()
                        .collect(Collectors.toMap(AssignmentPoints::id, AssignmentPoints::points, (x, y) -> x));
                List<Object> row = new ArrayList<>(List.of(r.student(), r.name()));
                columns.forEach(c -> row.add(points(byId.getOrDefault(c.id(), 0.0))));
                row.addAll(List.of(points(r.total()), points(r.maximum()), percent(r.total(), r.maximum()), r.status(),
                        r.reason()));
                csv.row(row);
            }
            csv.flush();
        };
    }

    /** The text of {@code details.csv}, for a file written alone or in a group ({@link AtomicFiles.Group}). */
    public static AtomicFiles.Body details(Iterable<StudentResult> results) {
        return w -> {
            SafeCsv csv = SafeCsv.open(w, DETAILS_COLUMNS);
            for (StudentResult r : results) {
                csv.row(r.student(), "", "", "submission", points(r.total()), points(r.maximum()), r.status(),
                        null, null, null, null, r.reason(), null);
                for (String e : r.compilerErrors()) {
                    csv.row(r.student(), "", "", "compiler", null, null, r.status(), null, null, null, null, e, null);
                }
                for (CheckRow c : r.checks()) {
                    csv.row(r.student(), c.assignment(), c.check(), c.kind(), points(c.points()), points(c.max()),
                            c.status(), c.expected(), c.actual(), c.absError(), c.relError(), c.message(),
                            c.variant());
                }
            }
            csv.flush();
        };
    }

    /** Points with at most three decimals: {@code 2}, {@code 0.5}, {@code 0.125}. */
    static String points(double p) {
        return ConsoleReport.points(p);
    }

    /** A percentage with two decimals. */
    static String percent(double earned, double max) {
        return String.format(Locale.ROOT, "%.2f", max == 0 ? 0 : 100 * earned / max);
    }

    /** A value exactly, in the shortest form that reads back as the same double. */
    static String number(double v) {
        return SafeCsv.number(v);
    }
}
