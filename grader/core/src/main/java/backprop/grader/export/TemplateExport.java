package backprop.grader.export;

import backprop.grader.compile.CompileException;
import backprop.grader.files.FileTrees;
import backprop.grader.junit.ExpectedValues;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.spec.SpecException;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a standalone student repository: the stubs, the public checks as tests, the public assignments with
 * their hidden checkpoints removed, the contracts and the engine as a Maven repository in {@code lib/}, the Maven
 * wrapper and a GitHub Actions workflow. Nothing of the reference solution and no hidden assignment goes in.
 */
public final class TemplateExport {
    private static final String RESOURCES = "/backprop/grader/export/";
    private static final List<String> TESTS = List.of("PublicChecksTest.java", "ClasspathTest.java");

    private TemplateExport() {}

    /**
     * What was written.
     *
     * @param out the repository's folder
     * @param version the version the engine and contracts carry in {@code lib/}
     * @param assignments the assignment files written
     * @param hiddenRemoved how many hidden checkpoints were taken out of them
     */
    public record Result(Path out, String version, List<Path> assignments, int hiddenRemoved) {}

    /** Exports from the grader repository at {@code root} into {@code out}, with its public assignments. */
    public static Result export(Path root, Path out) throws IOException {
        return export(root, out, List.of(root.resolve("assignments/public")));
    }

    /**
     * Exports from the grader repository at {@code root} into {@code out}, which must not exist or be empty, with
     * the assignment files under {@code assignments} (files or folders), each without its hidden checkpoints.
     */
    public static Result export(Path root, Path out, List<Path> assignments) throws IOException {
        List<Path> files = AssignmentSet.files(assignments);
        if (files.isEmpty()) {
            throw new IOException("no assignment files (.yaml, .yml) under " + assignments);
        }
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(out + " is not empty; choose a new folder");
                }
            }
        }
        Path apiJar = jar(root.resolve("grader/api/target"), "grader-api-");
        Path coreJar = jar(root.resolve("grader/core/target"), "grader-core-");
        String version = version(apiJar, coreJar);

        FileTrees.copy(root.resolve("student-template/src/main/java"), out.resolve("src/main/java"));
        for (String test : TESTS) {
            copy(root.resolve("student-template/src/test/java/grading").resolve(test),
                    out.resolve("src/test/java/grading").resolve(test));
        }
        List<Path> written = new ArrayList<>();
        int removed = 0;
        for (Path file : files) {
            Path target = out.resolve("assignments").resolve(file.getFileName());
            if (written.contains(target)) {
                throw new IOException("two assignment files are named " + file.getFileName() + "; an export holds "
                        + "one of each name");
            }
            removed += publicCopy(file, target);
            written.add(target);
        }
        writeExpectedValues(root, out.resolve("assignments"));
        Path lib = out.resolve("lib/dev/backprop");
        copy(apiJar, lib.resolve("grader-api/" + version + "/grader-api-" + version + ".jar"));
        copy(coreJar, lib.resolve("grader-core/" + version + "/grader-core-" + version + ".jar"));
        write(lib.resolve("grader-api/" + version + "/grader-api-" + version + ".pom"), resource("grader-api.pom",
                version));
        write(lib.resolve("grader-core/" + version + "/grader-core-" + version + ".pom"), resource("grader-core.pom",
                version));
        write(out.resolve("pom.xml"), resource("pom.xml", version));
        write(out.resolve("README.md"), resource("README.md", version));
        write(out.resolve(".gitignore"), resource("gitignore", version));
        write(out.resolve(".github/workflows/grade.yml"), resource("grade.yml", version));
        copy(root.resolve("mvnw"), out.resolve("mvnw"));
        copy(root.resolve("mvnw.cmd"), out.resolve("mvnw.cmd"));
        copy(root.resolve(".mvn/wrapper/maven-wrapper.properties"), out.resolve(".mvn/wrapper/maven-wrapper.properties"));
        // Maven's own JVM: a test run is short, so the quick compiler alone and a serial collector pay
        write(out.resolve(".mvn/jvm.config"), resource("jvm.config", version));
        try {
            Files.setPosixFilePermissions(out.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the student runs `sh mvnw`
        }
        return new Result(out, version, written, removed);
    }

    /**
     * Copies an assignment file without its hidden checkpoints, line by line so the author's layout and comments
     * stay; returns how many were removed. The copy is read back to make sure it is still valid.
     */
    public static int publicCopy(Path file, Path target) throws IOException {
        Assignment a;
        try {
            a = AssignmentReader.read(file);
        } catch (SpecException e) {
            throw new IOException("cannot export " + file + ": " + e.getMessage(), e);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean[] drop = new boolean[lines.size() + 1];
        List<Checkpoint> cps = a.checkpoints();
        int removed = 0;
        for (int i = 0; i < cps.size(); i++) {
            if (cps.get(i).visibility() != Visibility.HIDDEN) {
                continue;
            }
            removed++;
            int from = cps.get(i).location().line();
            int to = i + 1 < cps.size() ? cps.get(i + 1).location().line() - 1 : endOfList(lines, from);
            for (int l = from; l <= to; l++) {
                drop[l] = true;
            }
        }
        List<String> kept = new ArrayList<>();
        for (int l = 1; l <= lines.size(); l++) {
            if (!drop[l]) {
                kept.add(lines.get(l - 1));
            }
        }
        Files.createDirectories(target.getParent());
        Files.write(target, kept, StandardCharsets.UTF_8);
        try {
            Assignment copy = AssignmentReader.read(target);
            if (copy.checkpoints().stream().anyMatch(c -> c.visibility() == Visibility.HIDDEN)) {
                throw new IOException("a hidden checkpoint survived in " + target);
            }
        } catch (SpecException e) {
            throw new IOException("the public copy of " + file + " does not read back: " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Writes the reference's values for the checks of the exported assignments that the files do not hold
     * ({@link ExpectedValues}): values only, computed here; nothing of the reference's code goes in.
     */
    private static void writeExpectedValues(Path root, Path assignments) throws IOException {
        AssignmentSet set = AssignmentSet.load(List.of(assignments));
        if (!set.problems().isEmpty()) {
            throw new IOException("the exported assignments have problems: " + set.problems());
        }
        try {
            ExpectedValues.compute(set.assignments(), Submission.open("reference",
                    ExpectedValues.reference(root.resolve("grader/reference"))))
                    .write(assignments.resolve(ExpectedValues.FILE));
        } catch (CompileException e) {
            throw new IOException("the reference solution " + e.getMessage(), e);
        }
    }

    /** The last line of the checkpoint list that starts at or before {@code from}: before the next top-level key. */
    private static int endOfList(List<String> lines, int from) {
        for (int l = from + 1; l <= lines.size(); l++) {
            String s = lines.get(l - 1);
            if (!s.isEmpty() && !Character.isWhitespace(s.charAt(0)) && !s.startsWith("#") && !s.startsWith("-")) {
                return l - 1;
            }
        }
        return lines.size();
    }

    private static Path jar(Path dir, String prefix) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> jars = s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-all.jar")
                            && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar");
                }).toList();
                if (jars.size() == 1) {
                    return jars.get(0);
                }
            }
        }
        throw new IOException("no " + prefix + "*.jar in " + dir + ": build the grader first (./mvnw -B package)");
    }

    /** The grader's version plus a digest of both jars, so that a changed engine never meets a cached one. */
    private static String version(Path api, Path core) throws IOException {
        String name = core.getFileName().toString();
        String base = name.substring("grader-core-".length(), name.length() - ".jar".length()).replace("-SNAPSHOT", "");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(api));
            sha.update(Files.readAllBytes(core));
            return base + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name, String version) {
        try (InputStream in = TemplateExport.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("%GRADER_VERSION%", version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }
}
