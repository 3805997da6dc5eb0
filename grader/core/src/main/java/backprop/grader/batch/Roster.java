package backprop.grader.batch;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An optional class list mapping submission names to student ids and names: a CSV file with a header row and
 * the columns {@code id} (required), {@code name} and {@code folder} (also accepted: {@code submission},
 * {@code file}, {@code login}, {@code github}), in any order, other columns ignored. A submission called
 * {@code folder} (or {@code folder.zip}) belongs to student {@code id}; without a folder column, the folder is
 * the id itself and the roster only adds names.
 *
 * @param byFolder each entry by the folder (or zip) name it matches, without {@code .zip}
 */
public record Roster(Map<String, Entry> byFolder) {
    private static final String[] FOLDER_COLUMNS = {"folder", "submission", "file", "login", "github"};

    /**
     * One student.
     *
     * @param id the id used in the scorecards
     * @param name the name, or ""
     */
    public record Entry(String id, String name) {}

    /** Reads a roster file. */
    public static Roster read(Path file) throws IOException {
        Map<String, Entry> map = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                        .setIgnoreEmptyLines(true).setIgnoreHeaderCase(true).get().parse(r)) {
            Map<String, Integer> header = p.getHeaderMap();
            Optional<String> idCol = column(header, "id", "student", "student_id", "sid");
            if (idCol.isEmpty()) {
                throw new IOException(file + ": the roster needs an 'id' column (its header is " + header.keySet() + ")");
            }
            Optional<String> nameCol = column(header, "name", "full_name", "student_name");
            Optional<String> folderCol = column(header, FOLDER_COLUMNS);
            for (CSVRecord rec : p) {
                if (!rec.isSet(idCol.get())) {
                    throw new IOException(file + ":" + (rec.getRecordNumber() + 1) + ": the row has no '" + idCol.get()
                            + "' value");
                }
                String id = rec.get(idCol.get());
                if (id.isBlank()) {
                    continue;
                }
                String name = nameCol.filter(rec::isSet).map(rec::get).orElse("");
                String folder = folderCol.filter(rec::isSet).map(rec::get).filter(f -> !f.isBlank()).orElse(id);
                if (map.putIfAbsent(strip(folder), new Entry(id, name)) != null) {
                    throw new IOException(file + ":" + (rec.getRecordNumber() + 1) + ": '" + folder + "' appears twice");
                }
            }
        } catch (java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + ": not a readable CSV roster: " + e.getMessage(), e);
        }
        return new Roster(map);
    }

    /** The student a submission belongs to, by its file or folder name. */
    public Optional<Entry> lookup(String fileName) {
        Entry e = byFolder.get(strip(fileName));
        return Optional.ofNullable(e);
    }

    private static String strip(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    }

    private static Optional<String> column(Map<String, Integer> header, String... names) {
        for (String n : names) {
            for (String h : header.keySet()) {
                if (h.strip().equalsIgnoreCase(n)) {
                    return Optional.of(h);
                }
            }
        }
        return Optional.empty();
    }
}
