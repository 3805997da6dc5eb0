package backprop.grader.roster;

import backprop.grader.spec.Spelling;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The class list that {@code grade} and {@code gradebook} both read: a UTF-8 CSV file (a byte-order mark is
 * fine) whose first row names the columns, in any order and any case; columns it does not know are ignored.
 *
 * <table>
 *   <caption>Roster columns</caption>
 *   <tr><th>column</th><th></th><th>meaning</th></tr>
 *   <tr><td>{@code id}</td><td>required</td><td>the student's id in the scorecards</td></tr>
 *   <tr><td>{@code name}</td><td>optional</td><td>the name, as Canvas shows it ("Last, First")</td></tr>
 *   <tr><td>{@code folder}</td><td>optional</td><td>the submission's folder or zip name (without
 *       {@code .zip}) when it is not the id</td></tr>
 *   <tr><td>{@code canvas_id}</td><td>optional</td><td>the Canvas user id (the {@code ID} column of Canvas's
 *       gradebook export)</td></tr>
 *   <tr><td>{@code sis_id}</td><td>optional</td><td>the SIS user id</td></tr>
 *   <tr><td>{@code login}</td><td>optional</td><td>the SIS login id</td></tr>
 *   <tr><td>{@code section}</td><td>optional</td><td>the section's name</td></tr>
 * </table>
 *
 * <p>Every row needs an id; no id and no folder may appear twice (a row without a folder claims its id as its
 * folder); a row may not have more cells than the header (an unquoted comma in a name). A row of empty cells is
 * skipped. Anything else wrong is an {@link IOException} naming the file and line. A header that misspells a
 * column ({@code canvasid}) is kept, with a warning.
 *
 */
public final class Roster {
    /** The columns, in the order documented above. */
    public static final List<String> COLUMNS = List.of("id", "name", "folder", "canvas_id", "sis_id", "login",
            "section");

    /**
     * One student; an absent optional value is the empty string.
     *
     * @param id the id in the scorecards
     * @param name the name
     * @param folder the submission's folder or zip name without {@code .zip}: the id when the roster has none
     * @param canvasId the Canvas user id
     * @param sisId the SIS user id
     * @param login the SIS login id
     * @param section the section
     * @param line the line of the roster file the row starts on
     */
    public record Entry(String id, String name, String folder, String canvasId, String sisId, String login,
            String section, int line) {}

    private final Path file;
    private final List<Entry> students;
    private final List<String> warnings;
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Entry> byFolder = new HashMap<>();

    private Roster(Path file, List<Entry> students, List<String> warnings) {
        this.file = file;
        this.students = List.copyOf(students);
        this.warnings = List.copyOf(warnings);
        students.forEach(e -> {
            byId.put(e.id(), e);
            byFolder.put(e.folder(), e);
        });
    }

    /** Where the roster was read from. */
    public Path file() {
        return file;
    }

    /** The rows, in file order. */
    public List<Entry> students() {
        return students;
    }

    /** One sentence each, naming the file and line: a misspelt column, say. */
    public List<String> warnings() {
        return warnings;
    }

    /** Reads a roster file. */
    public static Roster read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such roster file: " + file, e);
        }
        return parse(file, utf8(file, bytes));
    }

    /** Reads a roster's text; {@code file} only names it in messages. */
    public static Roster parse(Path file, String text) throws IOException {
        String csv = text.startsWith("\uFEFF") ? text.substring(1) : text;
        CSVFormat format = CSVFormat.RFC4180.builder().setTrim(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
            java.util.Iterator<CSVRecord> rows = parser.iterator();
            if (!rows.hasNext()) {
                throw new IOException(file + ": the roster is empty; its first row names the columns: "
                        + String.join(", ", COLUMNS));
            }
            CSVRecord header = rows.next();
            List<String> warnings = new ArrayList<>();
            Map<String, Integer> columns = columns(file, header, warnings);
            List<Entry> students = new ArrayList<>();
            Map<String, Entry> byId = new HashMap<>();
            Map<String, Entry> byFolder = new HashMap<>();
            while (rows.hasNext()) {
                CSVRecord row = rows.next();
                int line = lineOf(csv, row);
                if (row.stream().allMatch(String::isEmpty)) {
                    continue;
                }
                if (row.size() > header.size()) {
                    throw new IOException(file + ":" + line + ": " + row.size() + " cells, but the header names "
                            + header.size() + " columns (a name holding a comma must be in double quotes: "
                            + "\"Lovelace, Ada\")");
                }
                Entry e = entry(row, columns, line);
                if (e.id().isEmpty()) {
                    throw new IOException(file + ":" + line + ": the row has no id");
                }
                Entry twin = byId.putIfAbsent(e.id(), e);
                if (twin != null) {
                    throw new IOException(file + ":" + line + ": the id '" + e.id() + "' is on line " + twin.line()
                            + " too");
                }
                twin = byFolder.putIfAbsent(e.folder(), e);
                if (twin != null) {
                    throw new IOException(file + ":" + line + ": the submission '" + e.folder() + "' belongs to '"
                            + twin.id() + "' on line " + twin.line() + " already");
                }
                students.add(e);
            }
            return new Roster(file, students, warnings);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // Commons CSV reports a broken quote this way; its message names the line
            throw new IOException(file + ": not a readable CSV roster: " + e.getMessage(), e);
        }
    }

    /** The student a submission belongs to, by its folder or file name ({@code .zip} ignored). */
    public Optional<Entry> byFolder(String fileName) {
        String folder = fileName.toLowerCase(Locale.ROOT).endsWith(".zip")
                ? fileName.substring(0, fileName.length() - 4) : fileName;
        return Optional.ofNullable(byFolder.get(folder));
    }

    /**
     * The student with an id in the scorecards: the roster's id, or the folder name (the id of a submission graded
     * without this roster).
     */
    public Optional<Entry> byScoreId(String id) {
        Entry e = byId.get(id);
        return e != null ? Optional.of(e) : Optional.ofNullable(byFolder.get(id));
    }

    private static Map<String, Integer> columns(Path file, CSVRecord header, List<String> warnings)
            throws IOException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).toLowerCase(Locale.ROOT);
            if (COLUMNS.contains(name)) {
                if (columns.putIfAbsent(name, i) != null) {
                    throw new IOException(file + ":1: the column '" + name + "' appears twice");
                }
            } else {
                String near = Spelling.suggest(name, COLUMNS);
                if (!near.isEmpty()) {
                    warnings.add(file + ":1: the column '" + header.get(i) + "' is ignored" + near);
                }
            }
        }
        if (!columns.containsKey("id")) {
            throw new IOException(file + ":1: the roster has no 'id' column (its columns: "
                    + String.join(", ", header.toList()) + "; the grader reads " + String.join(", ", COLUMNS) + ")");
        }
        return columns;
    }

    private static Entry entry(CSVRecord row, Map<String, Integer> columns, int line) {
        String id = cell(row, columns, "id");
        String folder = cell(row, columns, "folder");
        return new Entry(id, cell(row, columns, "name"), folder.isEmpty() ? id : folder, cell(row, columns,
                "canvas_id"), cell(row, columns, "sis_id"), cell(row, columns, "login"), cell(row, columns, "section"),
                line);
    }

    private static String cell(CSVRecord row, Map<String, Integer> columns, String column) {
        Integer i = columns.get(column);
        return i == null || i >= row.size() ? "" : row.get(i);
    }

    /**
     * The line a record starts on: a quoted cell may hold line breaks, so the parser's own count is its end; its
     * position is where the empty lines before it start.
     */
    private static int lineOf(String csv, CSVRecord row) {
        int line = 1;
        int i = 0;
        for (; i < row.getCharacterPosition() && i < csv.length(); i++) {
            if (csv.charAt(i) == '\n') {
                line++;
            }
        }
        for (; i < csv.length() && (csv.charAt(i) == '\n' || csv.charAt(i) == '\r'); i++) {
            if (csv.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The file's text, or an error naming the first line that is not UTF-8 (a spreadsheet's "CSV" in Latin-1). */
    private static String utf8(Path file, byte[] bytes) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int line = 1;
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    try {
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(bytes, start, i - start));
                    } catch (CharacterCodingException bad) {
                        break;
                    }
                    line++;
                    start = i + 1;
                }
            }
            throw new IOException(file + ":" + line + ": not UTF-8 text (save the roster as \"CSV UTF-8\")", e);
        }
    }
}
