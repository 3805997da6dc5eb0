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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The two CSV scorecards of a batch run, written with Commons CSV ({@code RFC 4180}: comma separated, fields
 * quoted when needed, CRLF line ends), numbers in {@link Locale#ROOT}, each file replaced atomically.
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

    private ScoreCards() {}

    /**
     * An assignment column of {@code scores.csv}.
     *
     * @param id the assignment id (the column's header)
     * @param max its points possible
     */
    public record Column(String id, double max) {}

    /** Writes {@code scores.csv}. */
    public static void writeScores(Path file, List<Column> columns, Iterable<StudentResult> results)
            throws IOException {
        List<String> header = new ArrayList<>(List.of("student", "name"));
        columns.forEach(c -> header.add(c.id()));
        header.addAll(List.of("total", "maximum", "percent", "status", "reason"));
        double max = columns.stream().mapToDouble(Column::max).sum();
        AtomicFiles.write(file, w -> {
            CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
                    .get());
            List<Object> possible = new ArrayList<>(List.of(POINTS_POSSIBLE, ""));
            columns.forEach(c -> possible.add(points(c.max())));
            possible.addAll(List.of(points(max), points(max), percent(max, max), "", ""));
            p.printRecord(possible);
            for (StudentResult r : results) {
                Map<String, Double> byId = r.assignments().stream()
                        .collect(Collectors.toMap(AssignmentPoints::id, AssignmentPoints::points, (x, y) -> x));
                List<Object> row = new ArrayList<>(List.of(r.student(), r.name()));
                columns.forEach(c -> row.add(points(byId.getOrDefault(c.id(), 0.0))));
                row.addAll(List.of(points(r.total()), points(r.maximum()), percent(r.total(), r.maximum()), r.status(),
                        r.reason()));
                p.printRecord(row);
            }
            p.flush();
        });
    }

    /** Writes {@code details.csv}. */
    public static void writeDetails(Path file, Iterable<StudentResult> results) throws IOException {
        AtomicFiles.write(file, w -> {
            CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder()
                    .setHeader(DETAILS_HEADER.toArray(String[]::new)).get());
            for (StudentResult r : results) {
                p.printRecord(r.student(), "", "", "submission", points(r.total()), points(r.maximum()), r.status(),
                        "", "", "", "", r.reason(), "");
                for (String e : r.compilerErrors()) {
                    p.printRecord(r.student(), "", "", "compiler", "", "", r.status(), "", "", "", "", e, "");
                }
                for (CheckRow c : r.checks()) {
                    Function<Double, String> v = d -> d == null ? "" : number(d);
                    p.printRecord(r.student(), c.assignment(), c.check(), c.kind(), points(c.points()), points(c.max()),
                            c.status(), v.apply(c.expected()), v.apply(c.actual()), v.apply(c.absError()),
                            v.apply(c.relError()), c.message(), c.variant() == null ? "" : Long.toString(c.variant()));
                }
            }
            p.flush();
        });
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
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return Double.toString(v);
    }
}
