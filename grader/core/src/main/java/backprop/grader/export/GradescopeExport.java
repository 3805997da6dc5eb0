package backprop.grader.export;

import backprop.grader.spec.AssignmentSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the autograder zip an instructor uploads to Gradescope: {@code setup.sh} and {@code run_autograder} at
 * its root, and beside them the grader as it is installed here (the launcher, the shaded jar, the compiled
 * reference) with every assignment, hidden ones included. Gradescope unpacks it into {@code /autograder/source}.
 */
public final class GradescopeExport {
    private static final String RESOURCES = "/backprop/grader/export/gradescope/";

    private GradescopeExport() {}

    /** Writes the zip from the grader repository at {@code root}, with all of its assignments folder. */
    public static List<String> export(Path root, Path zip) throws IOException {
        return export(root, zip, List.of());
    }

    /**
     * Writes the zip from the grader repository at {@code root}; returns the entries written. The zip holds the
     * assignment files under {@code assignments} (files or folders), or, when that is empty, the repository's whole
     * {@code assignments/} folder.
     */
    public static List<String> export(Path root, Path zip, List<Path> assignments) throws IOException {
        Path jar;
        try (Stream<Path> s = Files.list(root.resolve("grader/core/target"))) {
            jar = s.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
                    .orElseThrow(() -> new IOException("no shaded grader jar: build the grader first (./mvnw -B "
                            + "package)"));
        }
        Path reference = root.resolve("grader/reference/target/classes");
        if (!Files.isDirectory(reference.resolve("homework"))) {
            throw new IOException("the reference is not compiled: build the grader first (./mvnw -B package)");
        }
        List<String> names = new ArrayList<>();
        if (zip.getParent() != null) {
            Files.createDirectories(zip.getParent());
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            resource(out, names, "setup.sh");
            resource(out, names, "run_autograder");
            file(out, names, root.resolve("grader/bin/grader"), "grader/bin/grader");
            file(out, names, jar, "grader/core/target/" + jar.getFileName());
            tree(out, names, reference, "grader/reference/target/classes/");
            if (assignments.isEmpty()) {
                tree(out, names, root.resolve("assignments"), "assignments/");
            } else {
                chosen(out, names, root.resolve("assignments"), assignments);
            }
        }
        return names;
    }

    private static void resource(ZipOutputStream out, List<String> names, String name) throws IOException {
        try (InputStream in = GradescopeExport.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            out.putNextEntry(new ZipEntry(name));
            in.transferTo(out);
            out.closeEntry();
            names.add(name);
        }
    }

    private static void file(ZipOutputStream out, List<String> names, Path from, String name) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        Files.copy(from, out);
        out.closeEntry();
        names.add(name);
    }

    /** The chosen files, each where it is under the repository's assignments folder, else at its top. */
    private static void chosen(ZipOutputStream out, List<String> names, Path home, List<Path> assignments)
            throws IOException {
        Path base = home.toAbsolutePath().normalize();
        for (Path f : AssignmentSet.files(assignments)) {
            Path abs = f.toAbsolutePath().normalize();
            String name = "assignments/" + (abs.startsWith(base) ? base.relativize(abs) : abs.getFileName())
                    .toString().replace('\\', '/');
            if (names.contains(name)) {
                throw new IOException("two assignment files would be " + name + " in the zip");
            }
            file(out, names, f, name);
        }
    }

    private static void tree(ZipOutputStream out, List<String> names, Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                file(out, names, p, prefix + dir.relativize(p).toString().replace('\\', '/'));
            }
        }
    }
}
