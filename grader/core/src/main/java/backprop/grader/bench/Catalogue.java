package backprop.grader.bench;

import backprop.grader.files.FileTrees;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import backprop.grader.compile.CompileException;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The diagnosis catalogue ({@code catalogue.yaml}): one-bug submissions and correct variants, each the reference solution
 * plus one change, with the method to blame and a phrase the likely cause must contain. Built from the real
 * reference sources, so an entry cannot drift from it: a patch that no longer applies is an error naming it.
 */
public final class Catalogue {
    /** Where the catalogue is, relative to the repository root. */
    public static final String FILE = "grader/core/src/test/resources/catalogue/catalogue.yaml";
    private static final String RESOURCES = "grader/core/src/test/resources";
    /** The catalogue's word for "no known mistake fits, so no likely cause may be given". */
    static final String NO_CAUSE = "none";

    private Catalogue() {}

    /**
     * A change to one reference class.
     *
     * @param className the class, for example {@code "Sigmoid"}
     * @param find text that occurs exactly once in it
     * @param replace what takes its place
     */
    public record Patch(String className, String find, String replace) {}

    /**
     * One catalogue entry.
     *
     * @param name its row in the table
     * @param mistake the classic mistake in a few words
     * @param fixture a folder of classes laid over the reference, relative to the test resources
     * @param patch a change to one reference class
     * @param component the method that must be blamed; empty for a correct variant
     * @param cause a phrase the likely cause must contain; empty for a correct variant
     */
    public record Entry(String name, String mistake, Optional<String> fixture, Optional<Patch> patch,
            Optional<String> component, Optional<String> cause) {

        /** Returns true for a correct variant, which must lose nothing. */
        public boolean correct() {
            return component.isEmpty();
        }
    }

    /** Reads the catalogue; a malformed entry is an {@link IOException} naming it. */
    public static List<Entry> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": the catalogue must be a list of entries");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String name = text(e, "name").orElseThrow(() -> new IOException(file + ": an entry without a name"));
            Optional<Patch> patch = Optional.empty();
            if (e.has("patch")) {
                JsonNode p = e.get("patch");
                patch = Optional.of(new Patch(required(p, "class", name, file), required(p, "find", name, file),
                        required(p, "replace", name, file)));
            }
            Optional<String> fixture = text(e, "fixture");
            if (patch.isPresent() == fixture.isPresent()) {
                throw new IOException(file + ": entry '" + name + "' needs exactly one of patch and fixture");
            }
            Optional<String> component = text(e, "component");
            if (component.isPresent() != e.has("cause")) {
                throw new IOException(file + ": entry '" + name + "' needs both component and cause, or neither");
            }
            out.add(new Entry(name, required(e, "mistake", name, file), fixture, patch, component, text(e, "cause")));
        }
        return out;
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static String required(JsonNode n, String field, String entry, Path file) throws IOException {
        return text(n, field).orElseThrow(() -> new IOException(file + ": entry '" + entry + "' has no " + field));
    }

    /** The entry's submission: the reference's sources with the entry's change, compiled under {@code work}. */
    public static Components build(Path root, Entry e, Path work) throws IOException, CompileException {
        Path src = work.resolve(e.name()).resolve("src");
        Path homework = Files.createDirectories(src.resolve("homework"));
        FileTrees.copy(root.resolve("grader/reference/src/main/java/homework"), homework);
        if (e.fixture().isPresent()) {
            Path classes = root.resolve(RESOURCES).resolve(e.fixture().get()).resolve("homework");
            try (Stream<Path> s = Files.list(classes)) {
                for (Path p : s.toList()) {
                    Files.copy(p, homework.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            Patch p = e.patch().orElseThrow();
            Path file = homework.resolve(p.className() + ".java");
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int at = text.indexOf(p.find());
            if (at < 0 || text.indexOf(p.find(), at + 1) >= 0) {
                throw new IOException("catalogue entry '" + e.name() + "': its patch must match " + p.className()
                        + ".java exactly once, and it matches " + (at < 0 ? "nowhere" : "more than once")
                        + " (has the reference changed?)");
            }
            Files.writeString(file, text.substring(0, at) + p.replace() + text.substring(at + p.find().length()),
                    StandardCharsets.UTF_8);
        }
        return Submission.compile(e.name(), List.of(src), work.resolve(e.name()).resolve("classes"));
    }

    /** The assignments as a student's copy holds them: the same, without their hidden checkpoints. */
    public static List<Assignment> visibleOnly(List<Assignment> assignments) {
        return assignments.stream().map(a -> a.with(Map.of(), a.checkpoints().stream()
                .filter(cp -> cp.visibility() == Checkpoint.Visibility.VISIBLE).toList())).toList();
    }

    /**
     * The assignments the catalogue is graded on: every one whose tensors are small enough to grade in a blink.
     * {@code scale-784-128-10} is there for the gradient-check benchmark; it exercises no mistake the others do not,
     * and it would triple the time.
     */
    public static List<Assignment> gradedOn(List<Assignment> assignments) {
        return assignments.stream().filter(a -> a.parameters().values().stream().allMatch(m -> m.size() <= LARGE)
                && a.inputs().values().stream().allMatch(m -> m.size() <= LARGE)).toList();
    }

    /** Entries in a tensor above which an assignment is left out of the catalogue's grading. */
    private static final int LARGE = 10_000;
}
