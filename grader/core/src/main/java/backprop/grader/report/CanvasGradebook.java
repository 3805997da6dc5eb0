package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.spec.Assignment;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A gradebook CSV that Canvas imports (Grades › Import), laid out like Canvas's own gradebook export:
 *
 * <pre>
 * Student,ID,SIS User ID,SIS Login ID,Section,seed-000,seed-001 (4711)
 * "    Points Possible",,,,,12,8
 * "Lovelace, Ada",1001,U1,alovelace,Lab A,10,8
 * </pre>
 *
 * <p>Canvas reads the first five columns as the student (it matches by Canvas user id, then SIS user id, then
 * SIS login id, then name), a row whose first cell contains {@code Points Possible} as the points of each
 * assignment, and each further column as one assignment: an existing one when the header ends in its Canvas id
 * in parentheses ({@code seed-001 (4711)}) or equals its title, otherwise a new assignment of that name. An empty
 * cell leaves the grade as it is. Numbers are written with a '.' and no needless decimals, in every locale.
 *
 * <p>The roster is a CSV with a header row; the column names are case-insensitive and their order is free:
 *
 * <table>
 *   <caption>Roster columns</caption>
 *   <tr><th>column</th><th></th><th>meaning</th></tr>
 *   <tr><td>{@code id}</td><td>required</td><td>the student's id in the grader's scores (the submission's
 *       name in {@code scores.csv})</td></tr>
 *   <tr><td>{@code name}</td><td>required</td><td>the name Canvas shows, usually "Last, First"</td></tr>
 *   <tr><td>{@code canvas_id}</td><td>optional</td><td>the Canvas user id (the export's {@code ID})</td></tr>
 *   <tr><td>{@code sis_id}</td><td>optional</td><td>the SIS user id</td></tr>
 *   <tr><td>{@code login}</td><td>optional</td><td>the SIS login id</td></tr>
 *   <tr><td>{@code section}</td><td>optional</td><td>the section's name</td></tr>
 * </table>
 *
 * <p>Every roster student gets a row, in roster order, with an empty cell where they have no score. Scores of a
 * student without a roster row, or of an assignment without a column, are left out and reported as warnings.
 * The scores come from a batch run's {@code scores.csv} ({@link #readScores}) or straight from check results
 * ({@link Scores#fromResults}).
 */
public final class CanvasGradebook {
    /** What Canvas's export puts in the first cell of the points-possible row (its importer looks for the words). */
    public static final String POINTS_POSSIBLE = "    Points Possible";

    private static final List<String> STUDENT_COLUMNS = List.of("Student", "ID", "SIS User ID", "SIS Login ID",
            "Section");
    private static final Set<String> SCORES_OTHER_COLUMNS = Set.of("name", "total", "maximum", "percent", "status",
            "reason");
    private static final CSVFormat WITH_HEADER = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreHeaderCase(true).setTrim(true).setIgnoreEmptyLines(true).get();

    private CanvasGradebook() {}

    /**
     * One student of the roster; an absent optional value is the empty string.
     *
     * @param id the student's id in the scores
     * @param name the name Canvas shows
     * @param canvasId the Canvas user id
     * @param sisUserId the SIS user id
     * @param sisLoginId the SIS login id
     * @param section the section
     */
    public record Student(String id, String name, String canvasId, String sisUserId, String sisLoginId,
            String section) {
        /** Validates. */
        public Student {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            canvasId = Objects.requireNonNullElse(canvasId, "");
            sisUserId = Objects.requireNonNullElse(sisUserId, "");
            sisLoginId = Objects.requireNonNullElse(sisLoginId, "");
            section = Objects.requireNonNullElse(section, "");
        }
    }

    /**
     * One assignment column.
     *
     * @param assignment the assignment id, the column's title
     * @param pointsPossible what the assignment is worth
     * @param canvasId the id of the assignment in Canvas, when it exists there already: digits only
     */
    public record Column(String assignment, double pointsPossible, Optional<String> canvasId) {
        /** Validates. */
        public Column {
            Objects.requireNonNull(assignment, "assignment");
            if (canvasId.isPresent() && !canvasId.get().matches("\\d+")) {
                throw new IllegalArgumentException("a Canvas assignment id is digits only: " + canvasId.get());
            }
        }

        /** A column for an assignment that Canvas creates, or finds by its title. */
        public Column(String assignment, double pointsPossible) {
            this(assignment, pointsPossible, Optional.empty());
        }

        /** The header cell: the id, followed by the Canvas id in parentheses when there is one. */
        public String header() {
            return canvasId.map(id -> assignment + " (" + id + ")").orElse(assignment);
        }
    }

    /**
     * A scores table.
     *
     * @param columns the assignment columns, in order
     * @param points student id → assignment id → points
     */
    public record Scores(List<Column> columns, Map<String, Map<String, Double>> points) {
        /** Copies. */
        public Scores {
            columns = List.copyOf(columns);
            Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
            points.forEach((student, byAssignment) -> copy.put(student, Map.copyOf(byAssignment)));
            points = Collections.unmodifiableMap(copy);
        }

        /** These scores with the Canvas ids of the assignments that exist in Canvas already, by assignment id. */
        public Scores withCanvasIds(Map<String, String> canvasIds) {
            return new Scores(columns.stream().map(c -> new Column(c.assignment(), c.pointsPossible(),
                    Optional.ofNullable(canvasIds.get(c.assignment())).or(c::canvasId))).toList(), points);
        }

        /**
         * The scores of graded submissions: per assignment, the points the checks earned, out of the assignment's
         * total ({@link Assignment#maxPoints()}).
         *
         * @param assignments the columns, in order
         * @param results student id → that student's check results
         */
        public static Scores fromResults(List<Assignment> assignments, Map<String, List<CheckResult>> results) {
            List<Column> columns = assignments.stream().map(a -> new Column(a.id(), a.maxPoints())).toList();
            Map<String, Map<String, Double>> points = new LinkedHashMap<>();
            results.forEach((student, rs) -> {
                Map<String, Double> byAssignment = new LinkedHashMap<>();
                for (CheckResult r : rs) {
                    byAssignment.merge(r.assignment(), r.earned(), Double::sum);
                }
                points.put(student, byAssignment);
            });
            return new Scores(columns, points);
        }
    }

    /**
     * The file and what could not go in it.
     *
     * @param csv the gradebook, RFC 4180 (CRLF line ends)
     * @param warnings one sentence each: a score without a roster row or without a column, a student Canvas can
     *     only match by name
     */
    public record Gradebook(String csv, List<String> warnings) {}

    /**
     * Reads a batch run's {@code scores.csv}: a header row with {@code student}, then one column per assignment
     * (every column other than {@code student}, {@code name}, {@code total}, {@code maximum}, {@code percent},
     * {@code status} and {@code reason}), a row whose {@code student} cell contains "points possible" giving each
     * assignment's points, and a row per student. An empty cell is no score.
     */
    public static Scores readScores(String csv) {
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), WITH_HEADER)) {
            List<String> names = parser.getHeaderNames().stream().map(h -> SafeCsv.plain(h.strip())).toList();
            int student = -1;
            List<Integer> assignmentColumns = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i).strip().toLowerCase(Locale.ROOT);
                if (n.equals("student")) {
                    student = i;
                } else if (!SCORES_OTHER_COLUMNS.contains(n)) {
                    assignmentColumns.add(i);
                }
            }
            if (student < 0) {
                throw new IllegalArgumentException("the scores have no 'student' column (its columns: "
                        + String.join(", ", names) + ")");
            }
            Map<String, Double> possible = new LinkedHashMap<>();
            Map<String, Map<String, Double>> points = new LinkedHashMap<>();
            for (CSVRecord row : parser) {
                String who = SafeCsv.plain(row.get(student).strip());
                boolean possibleRow = who.toLowerCase(Locale.ROOT).contains("points possible");
                Map<String, Double> target = possibleRow ? possible : new LinkedHashMap<>();
                for (int i : assignmentColumns) {
                    String cell = i < row.size() ? row.get(i).strip() : "";
                    if (!cell.isEmpty()) {
                        target.put(names.get(i).strip(), number(cell, row.getRecordNumber()));
                    }
                }
                if (!possibleRow) {
                    if (points.put(who, target) != null) {
                        throw new IllegalArgumentException("scores line " + row.getRecordNumber() + " repeats '"
                                + who + "'");
                    }
                }
            }
            List<Column> columns = assignmentColumns.stream().map(i -> names.get(i).strip())
                    .map(a -> new Column(a, possible.getOrDefault(a, 0.0))).toList();
            return new Scores(columns, points);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a {@code scores.csv} file, UTF-8. */
    public static Scores readScores(Path file) throws IOException {
        return readScores(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads a roster (columns described above); a leading byte-order mark is ignored. */
    public static List<Student> readRoster(String csv) {
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), WITH_HEADER)) {
            Map<String, Integer> header = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            header.putAll(parser.getHeaderMap());
            for (String required : List.of("id", "name")) {
                if (!header.containsKey(required)) {
                    throw new IllegalArgumentException("the roster has no '" + required + "' column (its columns: "
                            + String.join(", ", parser.getHeaderNames()) + ")");
                }
            }
            List<Student> students = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (CSVRecord row : parser) {
                Student s = new Student(cell(row, header, "id"), cell(row, header, "name"),
                        cell(row, header, "canvas_id"), cell(row, header, "sis_id"), cell(row, header, "login"),
                        cell(row, header, "section"));
                if (s.id().isEmpty()) {
                    throw new IllegalArgumentException("roster line " + row.getRecordNumber() + " has no id");
                }
                if (!seen.add(s.id())) {
                    throw new IllegalArgumentException("roster line " + row.getRecordNumber() + " repeats id '"
                            + s.id() + "'");
                }
                students.add(s);
            }
            return students;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a roster file, UTF-8. */
    public static List<Student> readRoster(Path file) throws IOException {
        return readRoster(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The gradebook for {@code roster}, and warnings for the scores that have no place in it. */
    public static Gradebook build(Scores scores, List<Student> roster) {
        List<String> warnings = new ArrayList<>();
        Set<String> known = new HashSet<>();
        roster.forEach(s -> known.add(s.id()));
        Set<String> columnIds = new HashSet<>();
        scores.columns().forEach(c -> columnIds.add(c.assignment()));

        Map<String, TreeSet<String>> studentsByMissingColumn = new TreeMap<>();
        for (String student : new TreeSet<>(scores.points().keySet())) {
            Map<String, Double> byAssignment = scores.points().get(student);
            if (!known.contains(student)) {
                warnings.add("scores for '" + student + "' (" + String.join(", ", new TreeSet<>(byAssignment.keySet()))
                        + ") have no roster row: left out of the gradebook");
                continue;
            }
            for (String a : byAssignment.keySet()) {
                if (!columnIds.contains(a)) {
                    studentsByMissingColumn.computeIfAbsent(a, k -> new TreeSet<>()).add(student);
                }
            }
        }
        studentsByMissingColumn.forEach((a, students) -> warnings.add("assignment '" + a + "' has scores ("
                + String.join(", ", students) + ") but no column: left out of the gradebook"));
        for (Student s : roster) {
            if (s.canvasId().isEmpty() && s.sisUserId().isEmpty() && s.sisLoginId().isEmpty()) {
                warnings.add("roster row '" + s.id() + "' has no canvas_id, sis_id or login: Canvas can only match "
                        + "it by the name '" + s.name() + "'");
            }
        }

        StringWriter out = new StringWriter();
        try {
            List<SafeCsv.Column> layout = new ArrayList<>(STUDENT_COLUMNS.stream().map(SafeCsv.Column::text).toList());
            scores.columns().forEach(c -> layout.add(SafeCsv.Column.number(c.header())));
            SafeCsv csv = SafeCsv.open(out, layout);
            List<String> possible = new ArrayList<>(List.of(POINTS_POSSIBLE, "", "", "", ""));
            scores.columns().forEach(c -> possible.add(ConsoleReport.points(c.pointsPossible())));
            csv.row(possible);
            for (Student s : roster) {
                List<String> row = new ArrayList<>(List.of(s.name(), s.canvasId(), s.sisUserId(), s.sisLoginId(),
                        s.section()));
                Map<String, Double> byAssignment = scores.points().getOrDefault(s.id(), Map.of());
                for (Column c : scores.columns()) {
                    Double p = byAssignment.get(c.assignment());
                    row.add(p == null ? "" : ConsoleReport.points(p));
                }
                csv.row(row);
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string", e);
        }
        return new Gradebook(out.toString(), List.copyOf(warnings));
    }

    /** Writes the gradebook's CSV to {@code file} atomically (a temporary file in the same folder, then a move). */
    public static void write(Path file, Gradebook gradebook) throws IOException {
        AtomicFiles.write(file, gradebook.csv().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static double number(String cell, long line) {
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("scores line " + line + ": '" + cell + "' is not a number of points");
    }

    private static String cell(CSVRecord row, Map<String, Integer> header, String column) {
        Integer i = header.get(column);
        return i == null || i >= row.size() ? "" : row.get(i).strip();
    }
}
