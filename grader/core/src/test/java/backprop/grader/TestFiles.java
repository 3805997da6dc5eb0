package backprop.grader;

import backprop.grader.junit.ExpectedValues;
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
import java.util.stream.Stream;

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

    /**
     * The expected values a student's repository ships for the public assignments ({@link ExpectedValues}),
     * computed from the reference once per test run, as the export computes them.
     */
    public static synchronized Path expectedValues() {
        if (expectedValues == null) {
            try {
                List<Assignment> pub = AssignmentSet.load(List.of(publicAssignments())).assignments();
                Path file = Files.createTempDirectory("test-expected").resolve(ExpectedValues.FILE);
                ExpectedValues.compute(pub, reference()).write(file);
                expectedValues = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return expectedValues;
    }

    private static Path expectedValues;

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

    /** The folder of a hang fixture: the reference with one method that never returns (or takes minutes). */
    public static Path hangDir(String name) {
        return root().resolve("grader/core/src/test/resources/hangs/" + name);
    }

    /**
     * A hang fixture, loaded afresh on each call (a submission remembers which of its methods hung), with its
     * calls limited to {@code limit}.
     */
    public static Components hang(String name, java.time.Duration limit) {
        return Submission.load(name, classes("hang-" + name, List.of(referenceSources(), hangDir(name))))
                .withCallLimit(limit);
    }

    /**
     * The twin of a hang fixture: the same code with the statement that hangs replaced by one that throws, so that
     * the checks that need the method fail at once. A hang must cost exactly what the twin costs.
     */
    public static Components hangTwin(String name) {
        return Submission.load(name + "-twin", classes("twin-" + name, List.of(referenceSources(),
                hangTwinDir(name))));
    }

    /** The sources of a hang fixture's twin (its changed classes only), written under the build's folder. */
    public static synchronized Path hangTwinDir(String name) {
        Path twin = root().resolve("grader/core/target/hang-twins/" + name);
        try {
            try (Stream<Path> s = Files.list(hangDir(name).resolve("homework"))) {
                for (Path p : s.toList()) {
                    String text = Files.readString(p).replaceAll("\\w+\\(\\); // HANG: (.*)",
                            "if (true) { throw new IllegalStateException(\"twin of a hang\"); } // TWIN: $1");
                    Files.createDirectories(twin.resolve("homework"));
                    Files.writeString(twin.resolve("homework").resolve(p.getFileName()), text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return twin;
    }

    private static final Map<String, Path> CLASSES = new ConcurrentHashMap<>();

    /** Compiles sources into a class folder once per test run. */
    private static Path classes(String label, List<Path> roots) {
        return CLASSES.computeIfAbsent(label, l -> {
            try {
                Path out = Files.createTempDirectory("test-" + l);
                Submission.compile(l, new ArrayList<>(roots), out);
                return out;
            } catch (CompileException e) {
                throw new IllegalStateException(l + " " + e.errors(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
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
