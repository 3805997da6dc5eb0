package backprop.grader.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the output folder of a {@code grader grade} run one student at a time: a row of {@code scores.csv} and
 * that student's rows of {@code details.csv}, which both files list in the same order. Only one student's rows are
 * held at a time, so a class of any size reads in little memory. A file that is not what {@code grade} writes is
 * an {@link IOException} naming the file and line.
 */
final class GradingReader implements Closeable {
    /**
     * One student of a grading.
     *
     * @param id the student id
     * @param total points earned
     * @param max points possible
     * @param status the submission status
     * @param reason its one-line reason
     * @param checks the student's checks by assignment and check id, in file order
     */
    record Student(String id, double total, double max, String status, String reason, Map<Key, Check> checks) {
        /** True when some check ran: a submission that did not compile has only skipped checks, or none. */
        boolean ran() {
            return checks.values().stream().anyMatch(c -> !c.status().equals("skipped"));
        }
    }

    /**
     * A check's identity within a student's results.
     *
     * @param assignment the assignment id
     * @param check the check id
     */
    record Key(String assignment, String check) {}

    /**
     * One check's outcome.
     *
     * @param status passed, failed, error, skipped or inconclusive
     * @param points earned
     * @param max possible
     */
    record Check(String status, double points, double max) {}

    private final Path scoresFile;
    private final Path detailsFile;
    private final ScoresReader scores;
    private final CSVParser details;
    private final Iterator<CSVRecord> detailRows;
    private CSVRecord pending;

    private GradingReader(Path dir) throws IOException {
        scoresFile = dir.resolve("scores.csv");
        detailsFile = dir.resolve("details.csv");
        for (Path f : List.of(scoresFile, detailsFile)) {
            if (!Files.isRegularFile(f)) {
                throw new IOException(Files.isDirectory(dir) ? dir + " has no " + f.getFileName()
                        + " (is it the output folder of grader grade?)" : "no such folder: " + dir);
            }
        }
        scores = new ScoresReader(scoresFile, Files.newBufferedReader(scoresFile, StandardCharsets.UTF_8), "maximum",
                "status", "reason");
        try {
            details = open(detailsFile, "student", "assignment", "check", "kind", "points", "max", "status");
        } catch (IOException e) {
            scores.close();
            throw e;
        }
        detailRows = details.iterator();
    }

    /** Opens the grading in {@code dir}. */
    static GradingReader open(Path dir) throws IOException {
        return new GradingReader(dir);
    }

    /** The next student, or empty after the last. */
    Optional<Student> next() throws IOException {
        try {
            ScoresReader.Row row = nextScoreRow();
            if (row == null) {
                CSVRecord extra = nextDetailRow();
                if (extra != null) {
                    throw new IOException(detailsFile + ":" + details.getCurrentLineNumber() + ": rows of '"
                            + SafeCsv.plain(extra.get("student")) + "', who has no row in " + scoresFile.getFileName());
                }
                return Optional.empty();
            }
            long line = row.line();
            String id = row.student();
            Map<Key, Check> checks = new LinkedHashMap<>();
            CSVRecord d = nextDetailRow();
            if (d == null || !SafeCsv.plain(d.get("student")).equals(id)) {
                throw new IOException(detailsFile + ":" + details.getCurrentLineNumber() + ": " + (d == null
                        ? "ends" : "has the rows of '" + SafeCsv.plain(d.get("student")) + "'") + " where " + scoresFile.getFileName()
                        + " (line " + line + ") has '" + id + "' next");
            }
            // a student's rows open with one submission row: a second one opens the next student's
            for (boolean first = true; d != null && SafeCsv.plain(d.get("student")).equals(id)
                    && (first || !SafeCsv.plain(d.get("kind")).equals("submission")); first = false, d = nextDetailRow()) {
                String kind = SafeCsv.plain(d.get("kind"));
                if (kind.equals("submission") || kind.equals("compiler")) {
                    continue;
                }
                Key k = new Key(SafeCsv.plain(d.get("assignment")), SafeCsv.plain(d.get("check")));
                Check c = new Check(SafeCsv.plain(d.get("status")), number(detailsFile, details, d.get("points")),
                        number(detailsFile, details, d.get("max")));
                if (checks.put(k, c) != null) {
                    throw new IOException(detailsFile + ":" + details.getCurrentLineNumber() + ": '" + id + "' has "
                            + k.assignment() + " › " + k.check() + " twice");
                }
            }
            pending = d;
            return Optional.of(new Student(id, row.total().orElse(0.0), row.maximum().orElse(0.0), row.status(),
                    row.reason(), checks));
        } catch (UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            // Commons CSV's way of saying a row is broken (an unclosed quote, a short row)
            throw new IOException("not a readable grading (near " + detailsFile + ":" + details.getCurrentLineNumber()
                    + "): " + e.getMessage(), e);
        }
    }

    private ScoresReader.Row nextScoreRow() throws IOException {
        for (Optional<ScoresReader.Row> r = scores.next(); r.isPresent(); r = scores.next()) {
            if (!r.get().possible()) {
                return r.get();
            }
        }
        return null;
    }

    private CSVRecord nextDetailRow() {
        if (pending != null) {
            CSVRecord r = pending;
            pending = null;
            return r;
        }
        return detailRows.hasNext() ? detailRows.next() : null;
    }

    private static CSVParser open(Path file, String... columns) throws IOException {
        Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser p;
        try {
            p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            in.close();
            throw new IOException(file + ": not a readable CSV: " + e.getMessage(), e);
        }
        for (String c : columns) {
            if (!p.getHeaderMap().containsKey(c)) {
                p.close();
                throw new IOException(file + ":1: no '" + c + "' column (not a file grader grade wrote?)");
            }
        }
        return p;
    }

    private static double number(Path file, CSVParser p, String cell) throws IOException {
        if (cell.isEmpty()) {
            return 0;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IOException(file + ":" + p.getCurrentLineNumber() + ": '" + cell + "' is not a number");
        }
    }

    @Override
    public void close() throws IOException {
        try (scores) {
            details.close();
        }
    }
}
