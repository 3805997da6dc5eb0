package backprop.grader.batch;

import backprop.grader.files.FileTrees;
import backprop.grader.spec.Location;
import backprop.grader.spec.SpecException;
import backprop.grader.spec.Spelling;
import backprop.grader.spec.Yaml;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The bundled sample class, made from the repository's own sources so that it cannot drift from them: each
 * student is the reference solution or the student template's stubs, with a unified-diff patch of their bugs on
 * top, laid out the way students hand work in. {@code students.yaml} in the recipe folder lists them:
 *
 * <pre>
 * bob: {from: reference, layout: package, patch: bob.patch}
 * </pre>
 *
 * <p>{@code from} is {@code reference} ({@code grader/reference}) or {@code stubs} ({@code student-template});
 * {@code layout} is {@code template} ({@code bob/src/main/java/homework/*.java}), {@code package}
 * ({@code bob/homework/*.java}) or {@code zip} ({@code bob.zip} holding {@code bob/src/main/java/homework});
 * {@code patch}, optional, is a unified diff of paths under {@code src/main/java} ({@code diff -u}, {@code git
 * diff}), applied strictly: when the reference has changed under it, the class is not made and the error names
 * the patch and the file. The class is made once per change of its inputs (a stamp of their hash), with fixed
 * zip timestamps, so its submissions hash the same each time and a second {@code grade} reuses their results.
 */
public final class SampleClass {
    private static final List<String> FROM = List.of("reference", "stubs");
    private static final List<String> LAYOUTS = List.of("template", "package", "zip");
    private static final List<String> FIELDS = List.of("from", "layout", "patch");
    private static final String STAMP = ".made-from";
    /** Bumped when this class lays the sample out differently, so an old sample is made again. */
    private static final String FORMAT = "sample class 1";
    private static final FileTime EPOCH = FileTime.fromMillis(1_767_225_600_000L); // 2026-01-01T00:00:00Z

    private SampleClass() {}

    /** The sample class of the repository at {@code root}, made (when its inputs changed) in its build folder. */
    public static Path of(Path root) throws IOException {
        return make(root.resolve("grader/samples/class"), root.resolve("grader/reference/src/main/java"),
                root.resolve("student-template/src/main/java"), root.resolve("grader/samples/target/class"));
    }

    /**
     * Makes the class described in {@code recipe} into {@code into}, unless {@code into} holds it already.
     *
     * @param recipe the folder of {@code students.yaml} and the patches
     * @param reference the reference's source root (holding {@code homework/})
     * @param stubs the template's source root
     * @param into the class folder to make
     * @return {@code into}
     * @throws IOException when the recipe is broken or a patch no longer applies, naming the file
     */
    public static Path make(Path recipe, Path reference, Path stubs, Path into) throws IOException {
        Path manifest = recipe.resolve("students.yaml");
        Map<String, Student> students = read(manifest);
        String stamp = stamp(manifest, students, Map.of("reference", reference, "stubs", stubs));
        Path stampFile = into.resolve(STAMP);
        if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return into;
        }
        Files.createDirectories(into.toAbsolutePath().getParent());
        Path fresh = Files.createTempDirectory(into.toAbsolutePath().getParent(), into.getFileName() + ".new-");
        try {
            for (Map.Entry<String, Student> s : students.entrySet()) {
                Map<String, String> files = sources(s.getValue().from().equals("reference") ? reference : stubs);
                if (s.getValue().patch().isPresent()) {
                    applyAll(recipe.resolve(s.getValue().patch().get()), files);
                }
                write(fresh, s.getKey(), s.getValue().layout(), files);
            }
            Files.writeString(fresh.resolve(STAMP), stamp);
            replace(fresh, into);
        } finally {
            FileTrees.delete(fresh);
        }
        return into;
    }

    /** One student of the recipe. */
    private record Student(String from, String layout, Optional<String> patch) {}

    private static Map<String, Student> read(Path manifest) throws IOException {
        Yaml.Node root;
        try {
            root = Yaml.parse(manifest, Files.readString(manifest, StandardCharsets.UTF_8));
        } catch (SpecException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!(root instanceof Yaml.MapNode students)) {
            throw new IOException(root.location() + ": a mapping of students is expected");
        }
        Map<String, Student> out = new TreeMap<>();
        for (Map.Entry<String, Yaml.Node> e : students.fields().entrySet()) {
            if (!(e.getValue() instanceof Yaml.MapNode fields)) {
                throw new IOException(e.getValue().location() + ": " + e.getKey() + " needs from and layout");
            }
            for (String f : fields.fields().keySet()) {
                if (!FIELDS.contains(f)) {
                    throw new IOException(fields.keyLocations().get(f) + ": unknown field '" + f + "'"
                            + Spelling.suggest(f, FIELDS));
                }
            }
            String patch = text(fields, "patch");
            if (patch != null && !Files.isRegularFile(manifest.resolveSibling(patch))) {
                throw new IOException(fields.fields().get("patch").location() + ": no patch file "
                        + manifest.resolveSibling(patch));
            }
            out.put(e.getKey(), new Student(word(fields, "from", FROM), word(fields, "layout", LAYOUTS),
                    Optional.ofNullable(patch)));
        }
        return out;
    }

    private static String word(Yaml.MapNode fields, String name, List<String> allowed) throws IOException {
        String v = text(fields, name);
        if (v == null || !allowed.contains(v)) {
            Location at = v == null ? fields.location() : fields.fields().get(name).location();
            throw new IOException(at + ": " + name + " must be " + String.join(" or ", allowed)
                    + (v == null ? "" : ", not '" + v + "'" + Spelling.suggest(v, allowed)));
        }
        return v;
    }

    private static String text(Yaml.MapNode fields, String name) {
        return fields.fields().get(name) instanceof Yaml.ScalarNode s ? s.text() : null;
    }

    /** The {@code .java} files under {@code root}, by path relative to it ({@code homework/Relu.java}). */
    private static Map<String, String> sources(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root.resolve("homework"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        return files;
    }

    private static void applyAll(Path patchFile, Map<String, String> files) throws IOException {
        UnifiedDiff diff;
        try (InputStream in = Files.newInputStream(patchFile)) {
            diff = UnifiedDiffReader.parseUnifiedDiff(in);
        } catch (RuntimeException e) {
            throw new IOException(patchFile + ": not a readable unified diff: " + e.getMessage(), e);
        }
        if (diff.getFiles().isEmpty()) {
            throw new IOException(patchFile + ": changes no file (a unified diff, as diff -u or git diff writes it)");
        }
        for (UnifiedDiffFile f : diff.getFiles()) {
            String from = path(patchFile, f.getFromFile());
            String to = path(patchFile, f.getToFile());
            String name = from == null ? to : from;
            String text = from == null ? "" : files.get(from);
            if (name == null || text == null) {
                throw new IOException(patchFile + ": patches " + name + ", which the sources do not have");
            }
            List<String> patched;
            try {
                patched = f.getPatch().applyTo(new ArrayList<>(text.lines().toList()));
            } catch (PatchFailedException | RuntimeException e) {
                throw new IOException(patchFile + ": no longer applies to " + name + " (" + e.getMessage() + "): "
                        + "its source changed; remake the patch as grader/samples/README.md says", e);
            }
            files.remove(name);
            if (to != null) {
                files.put(to, String.join("\n", patched) + "\n");
            }
        }
    }

    /**
     * A patch's path without git's {@code a/} or {@code b/}; null for {@code /dev/null} (a file made or deleted).
     * It must stay inside the package folder: a patch never writes outside the class.
     */
    private static String path(Path patchFile, String p) throws IOException {
        if (p == null || p.equals("/dev/null")) {
            return null;
        }
        String rel = p.startsWith("a/") || p.startsWith("b/") ? p.substring(2) : p;
        if (!rel.startsWith("homework/") || !rel.endsWith(".java") || rel.contains("..") || rel.contains("\\")) {
            throw new IOException(patchFile + ": the path '" + p + "' is not a homework/*.java file");
        }
        return rel;
    }

    private static void write(Path dir, String id, String layout, Map<String, String> files) throws IOException {
        if (layout.equals("zip")) {
            try (OutputStream o = Files.newOutputStream(dir.resolve(id + ".zip"));
                    ZipOutputStream z = new ZipOutputStream(o)) {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    ZipEntry e = new ZipEntry(id + "/src/main/java/" + f.getKey());
                    e.setLastModifiedTime(EPOCH);
                    z.putNextEntry(e);
                    z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                    z.closeEntry();
                }
            }
            return;
        }
        Path root = layout.equals("template") ? dir.resolve(id).resolve("src/main/java") : dir.resolve(id);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
    }

    /** The SHA-256 of everything the class is made from. */
    private static String stamp(Path manifest, Map<String, Student> students, Map<String, Path> bases)
            throws IOException {
        MessageDigest md = Sources.sha256();
        md.update(FORMAT.getBytes(StandardCharsets.UTF_8));
        md.update(Files.readAllBytes(manifest));
        for (Student s : students.values()) {
            if (s.patch().isPresent()) {
                md.update(Files.readAllBytes(manifest.resolveSibling(s.patch().get())));
            }
        }
        for (Path base : bases.values()) {
            for (Map.Entry<String, String> f : sources(base).entrySet()) {
                md.update((f.getKey() + "\u0000" + f.getValue() + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Puts the freshly made class in place of the old one; a run that made the same class meanwhile is fine. */
    private static void replace(Path fresh, Path into) throws IOException {
        Path old = into.resolveSibling(into.getFileName() + ".old-" + System.nanoTime());
        if (Files.exists(into)) {
            Files.move(into, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(fresh, into, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(fresh, into);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // another run made it at the same moment, from the same inputs
        } finally {
            FileTrees.delete(old);
        }
    }
}
