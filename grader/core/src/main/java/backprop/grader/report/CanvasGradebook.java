package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import backprop.grader.roster.Roster;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gradebook CSV that Canvas imports (Grades › Import), laid out like Canvas's own gradebook export:
 *
 * <pre>
 * Student,ID,SIS User ID,SIS Login ID,Section,Backprop HW (12345)
 * "    Points Possible",,,,,272
 * "Lovelace, Ada",1001,U1,alovelace,Lab A,205
 * </pre>
 *
 * <p>Canvas reads the first five columns as the student (it matches by Canvas user id, then SIS user id, then
 * SIS login id, then name), a row whose first cell contains {@code Points Possible} as the points of each
 * assignment, and each further column as one assignment: an existing one when the header ends in its Canvas id
 * in parentheses ({@code Backprop HW (12345)}) or equals its title, otherwise a new assignment of that name
 * ({@code Assignment.title_and_id} and {@code GradebookImporter} in canvas-lms). An empty cell leaves the grade as
 * it is. Numbers are written with a '.' and no needless decimals, in every locale.
 *
 * <p>By default the gradebook has one column, the total, for the one Canvas assignment named on the command
 * line ({@link Layout.Total}); on request, one column per assignment file ({@link Layout.PerAssignment}), each
 * mapped to an existing Canvas assignment by its id when given. Every roster student gets a row, in roster
 * order, with an empty cell (and a warning) where they have no score. Scores of a student without a roster row
 * are left out, with a warning.
 */
public final class CanvasGradebook {
    /** What Canvas's export puts in the first cell of the points-possible row (its importer looks for the words). */
    public static final String POINTS_POSSIBLE = "    Points Possible";

    private static final List<String> STUDENT_COLUMNS = List.of("Student", "ID", "SIS User ID", "SIS Login ID",
            "Section");
    /** Canvas's {@code Assignment.title_and_id}: a title, a space, and the id in parentheses, at the end. */
    private static final Pattern TITLE_AND_ID = Pattern.compile("\\A(.*)\\s\\((\\d+)\\)\\z", Pattern.DOTALL);

    private CanvasGradebook() {}

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
     * A scores table: what {@code scores.csv} holds.
     *
     * @param columns the assignment columns, in order
     * @param points student id → assignment id → points
     * @param totals student id → total points
     * @param possible the total points possible
     */
    public record Scores(List<Column> columns, Map<String, Map<String, Double>> points, Map<String, Double> totals,
            double possible) {
        /** Copies. */
        public Scores {
            columns = List.copyOf(columns);
            Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
            points.forEach((student, byAssignment) -> copy.put(student, Map.copyOf(byAssignment)));
            points = Collections.unmodifiableMap(copy);
            totals = Collections.unmodifiableMap(new LinkedHashMap<>(totals));
        }

        /**
         * These scores with the Canvas ids of the assignments that exist in Canvas already, by assignment id.
         *
         * @throws IllegalArgumentException for an assignment the scores do not have, naming the ones they do
         */
        public Scores withCanvasIds(Map<String, String> canvasIds) {
            for (String a : canvasIds.keySet()) {
                if (columns.stream().noneMatch(c -> c.assignment().equals(a))) {
                    throw new IllegalArgumentException("--canvas-id names the assignment '" + a + "', which the "
                            + "scores do not have (they have " + String.join(", ", columns.stream()
                                    .map(Column::assignment).toList()) + ")");
                }
            }
            return new Scores(columns.stream().map(c -> new Column(c.assignment(), c.pointsPossible(),
                    Optional.ofNullable(canvasIds.get(c.assignment())).or(c::canvasId))).toList(), points, totals,
                    possible);
        }
    }

    /** Which assignment columns the gradebook has. */
    public sealed interface Layout {
        /**
         * One column, the total, for one Canvas assignment.
         *
         * @param header the column's header: the Canvas assignment's name and id, {@code Backprop HW (12345)}
         */
        record Total(String header) implements Layout {}

        /** One column per assignment file, headed by its id (and its Canvas id, when the scores carry one). */
        record PerAssignment() implements Layout {}
    }

    /**
     * The file and what could not go in it.
     *
     * @param csv the gradebook, RFC 4180 (CRLF line ends)
     * @param warnings one sentence each: a roster student without a score, a score without a roster row, a
     *     student Canvas can only match by name
     */
    public record Gradebook(String csv, List<String> warnings) {}

    /**
     * The header of the total column for the Canvas assignment a TA named: its name and its Canvas id in
     * parentheses, as Canvas's gradebook export heads its column. A name without an id is allowed (Canvas then
     * matches it by exact title, or creates an assignment of that name) and earns a warning.
     *
     * @throws IllegalArgumentException when it is empty, holds a line break, or is an id alone
     */
    public static String canvasAssignment(String typed, List<String> warnings) {
        String t = typed.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--canvas-assignment is empty: name the Canvas assignment and its id, "
                    + "for example \"Backprop HW (12345)\"");
        }
        if (t.contains("\n") || t.contains("\r")) {
            throw new IllegalArgumentException("--canvas-assignment holds a line break");
        }
        if (t.matches("\\(?\\d+\\)?")) {
            throw new IllegalArgumentException("--canvas-assignment '" + t + "' is an id alone: Canvas would create an "
                    + "assignment of that name; write its name and id as Canvas's gradebook export heads its column, "
                    + "for example \"Backprop HW (" + t.replaceAll("\\D", "") + ")\"");
        }
        Matcher m = TITLE_AND_ID.matcher(t);
        if (!m.matches() || m.group(1).isBlank()) {
            warnings.add("--canvas-assignment '" + t + "' has no Canvas id in parentheses: Canvas will give the points "
                    + "to the assignment titled exactly so, or create a new assignment of that name");
        }
        return t;
    }

    /**
     * Reads a batch run's {@code scores.csv} ({@link ScoresReader}): the assignment columns with the points
     * possible of each, and each student's points and total. An empty cell is no score.
     *
     * @param file names the file in messages
     * @throws IOException when it cannot be read, naming the file and line
     */
    public static Scores readScores(Path file, Reader in) throws IOException {
        try (ScoresReader scores = new ScoresReader(file, in)) {
            Map<String, Double> possible = Map.of();
            Map<String, Map<String, Double>> points = new LinkedHashMap<>();
            Map<String, Double> totals = new LinkedHashMap<>();
            double possibleTotal = Double.NaN;
            for (Optional<ScoresReader.Row> r = scores.next(); r.isPresent(); r = scores.next()) {
                ScoresReader.Row row = r.get();
                if (row.possible()) {
                    possible = row.points();
                    possibleTotal = row.total().orElse(Double.NaN);
                } else if (points.put(row.student(), row.points()) != null) {
                    throw new IOException(file + ":" + row.line() + ": the student '" + row.student()
                            + "' has a row already");
                } else {
                    row.total().ifPresent(t -> totals.put(row.student(), t));
                }
            }
            Map<String, Double> max = possible;
            List<Column> columns = scores.assignments().stream().map(a -> new Column(a, max.getOrDefault(a, 0.0)))
                    .toList();
            return new Scores(columns, points, totals, Double.isNaN(possibleTotal)
                    ? columns.stream().mapToDouble(Column::pointsPossible).sum() : possibleTotal);
        }
    }

    /** Reads a {@code scores.csv} file, UTF-8. */
    public static Scores readScores(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no scores to read");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readScores(file, in);
        }
    }

    /**
     * The gradebook for every student of {@code roster}, and warnings for what has no place in it.
     *
     * @throws IllegalArgumentException when no roster student has a score (the wrong scores file, or a roster
     *     whose ids are not the ones graded): such a gradebook would import nothing
     */
    public static Gradebook build(Scores scores, Roster roster, Layout layout) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> scoreIdOf = match(scores, roster, warnings);
        if (scoreIdOf.isEmpty() && !roster.students().isEmpty()) {
            throw new IllegalArgumentException("none of the " + roster.students().size() + " students of "
                    + roster.file() + " has a score (the scores are of " + sample(scores.points().keySet())
                    + "): the wrong scores file, or a roster whose ids are not the ones graded?");
        }
        List<Column> columns = layout instanceof Layout.Total t ? List.of(new Column(t.header(), scores.possible()))
                : scores.columns();
        StringWriter out = new StringWriter();
        try {
            List<SafeCsv.Column> layoutColumns = new ArrayList<>(STUDENT_COLUMNS.stream().map(SafeCsv.Column::text)
                    .toList());
            columns.forEach(c -> layoutColumns.add(SafeCsv.Column.number(c.header())));
            SafeCsv csv = SafeCsv.open(out, layoutColumns);
            List<String> possible = new ArrayList<>(List.of(POINTS_POSSIBLE, "", "", "", ""));
            columns.forEach(c -> possible.add(ConsoleReport.points(c.pointsPossible())));
            csv.row(possible);
            for (Roster.Entry s : roster.students()) {
                List<String> row = new ArrayList<>(List.of(s.name(), s.canvasId(), s.sisId(), s.login(),
                        s.section()));
                String scoreId = scoreIdOf.get(s.id());
                if (scoreId == null) {
                    warnings.add("no score for '" + s.id() + "'" + (s.name().isEmpty() ? "" : " (" + s.name() + ")")
                            + ", roster line " + s.line() + ": an empty cell, which leaves the grade in Canvas as it is");
                }
                for (Column c : columns) {
                    Double p = scoreId == null ? null : layout instanceof Layout.Total ? scores.totals().get(scoreId)
                            : scores.points().get(scoreId).get(c.assignment());
                    row.add(p == null ? null : ConsoleReport.points(p));
                }
                csv.row(row);
                if (s.canvasId().isEmpty() && s.sisId().isEmpty() && s.login().isEmpty()) {
                    warnings.add("roster row '" + s.id() + "' has no canvas_id, sis_id or login: Canvas " + (s.name()
                            .isEmpty() ? "cannot match it to a student" : "can only match it by the name '" + s.name()
                            + "'"));
                }
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string", e);
        }
        return new Gradebook(out.toString(), List.copyOf(warnings));
    }

    /** Roster id → the student's id in the scores, for the scored students of the roster. */
    private static Map<String, String> match(Scores scores, Roster roster, List<String> warnings) {
        Map<String, String> scoreIdOf = new LinkedHashMap<>();
        for (String student : scores.points().keySet()) {
            Optional<Roster.Entry> e = roster.byScoreId(student);
            if (e.isEmpty()) {
                warnings.add("scores for '" + student + "' have no roster row: left out of the gradebook");
            } else if (scoreIdOf.putIfAbsent(e.get().id(), student) != null) {
                warnings.add("scores for '" + student + "' and '" + scoreIdOf.get(e.get().id()) + "' both belong to '"
                        + e.get().id() + "': '" + student + "' is left out");
            }
        }
        return scoreIdOf;
    }

    /** Writes the gradebook's CSV to {@code file} atomically (a temporary file in the same folder, then a move). */
    public static void write(Path file, Gradebook gradebook) throws IOException {
        AtomicFiles.write(file, gradebook.csv().getBytes(StandardCharsets.UTF_8));
    }

    private static String sample(java.util.Collection<String> ids) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
        return sorted.isEmpty() ? "no student" : String.join(", ", sorted.subList(0, Math.min(5, sorted.size())))
                + (sorted.size() > 5 ? ", …" : "");
    }
}
