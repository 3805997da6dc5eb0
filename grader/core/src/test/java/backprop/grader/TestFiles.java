package backprop.grader;

import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.compile.CompileException;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Where the repository's files are, and submissions compiled from them once per test run. */
public final class TestFiles {
    private static final Map<String, Components> COMPILED = new ConcurrentHashMap<>();

    private TestFiles() {}

    /** The repository root (the build sets {@code grader.home}). */
    public static Path root() {
        return Path.of(System.getProperty("grader.home", "../..")).toAbsolutePath().normalize();
    }

    /** The shipped public assignments. */
    public static Path publicAssignments() {
        return root().resolve("assignments/public");
    }

    /** Every shipped assignment, read. */
    public static List<Assignment> assignments() {
        try {
            AssignmentSet set = AssignmentSet.load(List.of(root().resolve("assignments")));
            if (!set.problems().isEmpty()) {
                throw new IllegalStateException(set.problems().toString());
            }
            return set.assignments();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One shipped assignment by id. */
    public static Assignment assignment(String id) {
        try {
            return AssignmentReader.read(publicAssignments().resolve(id + ".yaml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference sources. */
    public static Path referenceSources() {
        return root().resolve("grader/reference/src/main/java");
    }

    /** The reference solution, compiled from its sources like any submission. */
    public static Components reference() {
        return compiled("reference", List.of(referenceSources()));
    }

    /** The untouched student stubs. */
    public static Components stubs() {
        return compiled("stubs", List.of(root().resolve("student-template/src/main/java")));
    }

    /** A test fixture: the reference with the classes in {@code submissions/NAME} put in its place. */
    public static Components fixture(String name) {
        return compiled(name, List.of(referenceSources(), fixtureDir(name)));
    }

    /** The bundled sample class, made from the reference, the stubs and their patches. */
    public static Path sampleClass() {
        try {
            return backprop.grader.batch.SampleClass.of(root());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of a fixture under the test resources. */
    public static Path fixtureDir(String name) {
        return root().resolve("grader/core/src/test/resources/submissions/" + name);
    }

    private static Components compiled(String label, List<Path> roots) {
        return COMPILED.computeIfAbsent(label, l -> {
            try {
                return Submission.compile(l, new ArrayList<>(roots), Files.createTempDirectory("test-" + l));
            } catch (CompileException e) {
                throw new IllegalStateException(l + " " + e.errors(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
