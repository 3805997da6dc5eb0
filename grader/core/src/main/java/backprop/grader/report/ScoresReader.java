package backprop.grader.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a {@code scores.csv} as {@link ScoreCards#writeScores} writes it, one row at a time: a header with
 * {@code student}, the assignment columns between {@code name} and {@code total}, then {@code total},
 * {@code maximum}, {@code percent}, {@code status} and {@code reason}; a row whose {@code student} cell contains
 * "points possible"; a row per student. A file that is not one is an {@link IOException} naming the file and line.
 */
final class ScoresReader implements Closeable {
    /**
     * One row.
     *
     * @param student the student cell
     * @param points assignment id → points, for the cells that are not empty
     * @param total the total, unless its cell is empty
     * @param maximum the points possible, unless its cell is empty (or there is no such column)
     * @param status the status, or ""
     * @param reason the reason, or ""
     * @param line the line the row ends on
     */
    record Row(String student, Map<String, Double> points, Optional<Double> total, Optional<Double> maximum,
            String status, String reason, long line) {
        /** True for the row of points possible. */
        boolean possible() {
            return student.toLowerCase(Locale.ROOT).contains("points possible");
        }
    }

    private final Path file;
    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final List<String> names;
    private final int student;
    private final int first;
    private final int total;

    /**
     * Opens {@code in}, read as the file {@code file} (which names it in messages), and reads its header.
     *
     * @param required columns the caller needs besides {@code student} and {@code total}
     */
    ScoresReader(Path file, Reader in, String... required) throws IOException {
        this.file = file;
        try {
            parser = CSVParser.parse(in, CSVFormat.RFC4180.builder().setTrim(true).setIgnoreEmptyLines(true).get());
            rows = parser.iterator();
            if (!rows.hasNext()) {
                throw new IOException(file + ": empty, not a scores.csv");
            }
            names = rows.next().stream().map(n -> SafeCsv.plain(n.replace("\uFEFF", ""))).toList();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IOException(file + ": not a readable CSV: " + e.getMessage(), e);
        }
        student = names.indexOf("student");
        total = names.indexOf("total");
        if (student < 0 || total < student || !names.containsAll(List.of(required))) {
            throw new IOException(file + ":1: not a scores.csv written by grader grade: it needs the columns student, "
                    + "total" + (required.length == 0 ? "" : ", " + String.join(", ", required)) + " (its columns: "
                    + String.join(", ", names) + ")");
        }
        first = Math.max(student, names.indexOf("name")) + 1;
    }

    /** The assignment columns, in order. */
    List<String> assignments() {
        return names.subList(first, total);
    }

    /** The next row (the points-possible row too), or empty after the last. */
    Optional<Row> next() throws IOException {
        CSVRecord r;
        try {
            if (!rows.hasNext()) {
                return Optional.empty();
            }
            r = rows.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IOException(file + ":" + parser.getCurrentLineNumber() + ": not a readable CSV row: "
                    + e.getMessage(), e);
        }
        long line = parser.getCurrentLineNumber();
        Map<String, Double> points = new LinkedHashMap<>();
        for (int i = first; i < total; i++) {
            String cell = cell(r, i);
            if (!cell.isEmpty()) {
                points.put(names.get(i), number(line, names.get(i), cell));
            }
        }
        return Optional.of(new Row(SafeCsv.plain(cell(r, student)), points, optional(line, r, "total"),
                optional(line, r, "maximum"), SafeCsv.plain(cell(r, names.indexOf("status"))),
                SafeCsv.plain(cell(r, names.indexOf("reason"))), line));
    }

    private Optional<Double> optional(long line, CSVRecord r, String column) throws IOException {
        String cell = cell(r, names.indexOf(column));
        return cell.isEmpty() ? Optional.empty() : Optional.of(number(line, column, cell));
    }

    private static String cell(CSVRecord r, int i) {
        return i < 0 || i >= r.size() ? "" : r.get(i);
    }

    private double number(long line, String column, String cell) throws IOException {
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + ":" + line + ": '" + cell + "' in column " + column + " is not a number of "
                + "points");
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
