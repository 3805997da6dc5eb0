package backprop.grader.batch;

import backprop.grader.files.AtomicFiles;
import backprop.grader.report.StudentResult;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The results persisted so far, one JSON file per student in {@code OUT/.results/}, each written atomically
 * (a temporary file in the same folder, forced to disk, then renamed), so that a run killed at any moment
 * leaves only whole results behind.
 */
public final class ResultStore {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;

    /** A store in {@code dir}. */
    public ResultStore(Path dir) {
        this.dir = dir;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The file of a student. */
    public Path file(String student) {
        String base = SAFE.matcher(student).matches() && !student.startsWith(".") ? student
                : student.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.", "_") + "-"
                        + Integer.toHexString(student.hashCode());
        return dir.resolve(base + ".json");
    }

    /** The persisted result of a student, if there is a readable one. */
    public Optional<StudentResult> load(String student) {
        Path f = file(student);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            StudentResult r = JSON.readValue(f.toFile(), StudentResult.class);
            return r.student() != null && r.student().equals(student) && SubmissionStatus.of(r.status()).isPresent()
                    ? Optional.of(r) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes the temporary files a killed run may have left half written; whole results are never touched. */
    public void removeStaleTemporaries() throws IOException {
        AtomicFiles.removeStale(dir);
    }

    /** Persists a result, atomically. */
    public void save(StudentResult r) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(file(r.student()), JSON.writeValueAsString(r).getBytes(StandardCharsets.UTF_8));
    }
}
