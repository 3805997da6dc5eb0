package backprop.grader.batch;

import backprop.grader.files.AtomicFiles;
import backprop.grader.report.StudentResult;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

/**
 * The results persisted so far, one JSON file per student in {@code OUT/.results/}, named by the SHA-256 of the
 * student id, each written atomically
 * (a temporary file in the same folder, forced to disk, then renamed), so that a run killed at any moment
 * leaves only whole results behind.
 */
public final class ResultStore {
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

    /**
     * The file of a student: the SHA-256 of the id, in lower-case hex. An id itself is no file name: one of 250
     * characters or more is longer than a file system allows, and ids that differ only in case, or in characters a
     * file system folds or normalises ({@code é} composed or not, the Kelvin sign and {@code K}), would share a
     * file. The id is kept inside the file, and a file whose id is not the one asked for is not its result.
     */
    public Path file(String student) {
        return dir.resolve(Sources.sha256(student) + ".json");
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

    /**
     * The key of a student's persisted result, read from the head of its file without parsing the rest: what a
     * check of many results (a shard's digest, a merge) needs, at a fraction of the cost of {@link #load}.
     */
    public Optional<String> keyOf(String student) {
        Path f = file(student);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String key = null;
        String id = null;
        try (JsonParser p = JSON.createParser(f.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while ((key == null || id == null) && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("key") && t == JsonToken.VALUE_STRING) {
                    key = p.getText();
                } else if (name.equals("student") && t == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return student.equals(id) ? Optional.ofNullable(key) : Optional.empty();
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
