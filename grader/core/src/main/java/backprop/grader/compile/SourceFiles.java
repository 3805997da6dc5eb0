package backprop.grader.compile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A submission's Java sources, read into memory once and compiled from there, so nothing on disk can change or
 * redirect them between the check and the use. No symbolic link is ever followed: a link met where sources are
 * looked for (the submission folder itself, the folders on the way to its sources, anything below them) stops
 * the read with a {@link CompileException} that names it. Folders are opened relative to their parent without
 * following links ({@link Folder}), so a link swapped in while reading is not followed either.
 */
public final class SourceFiles {
    /** The most source bytes read from one submission. */
    public static final long MAX_BYTES = 16L << 20;
    /** The most {@code .java} files read from one submission. */
    public static final int MAX_FILES = 2_000;
    /** The most folder entries looked at, so a huge tree cannot keep the reader busy. */
    static final int MAX_ENTRIES = 100_000;
    /** The deepest folder nesting followed. */
    static final int MAX_DEPTH = 64;
    /** Folders never read as sources: build output, IDE and tool folders. Hidden folders are skipped too. */
    public static final Set<String> SKIP = Set.of(".git", ".idea", ".gradle", ".mvn", "target", "build", "out",
            "bin", "node_modules", "__MACOSX");

    /**
     * One source file.
     *
     * @param path its path below the source root, {@code /}-separated ({@code homework/Relu.java})
     * @param bytes its contents
     */
    public record Source(String path, byte[] bytes) {
        /** The file's name, without folders. */
        public String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final List<Source> files;

    private SourceFiles(List<Source> files) {
        this.files = List.copyOf(files);
    }

    /** The files, in path order. */
    public List<Source> files() {
        return files;
    }

    /** Wraps sources already in memory. */
    public static SourceFiles of(List<Source> files) {
        return new SourceFiles(files);
    }

    /** Returns true for a folder name that is never read as sources. */
    public static boolean skipped(String name) {
        return SKIP.contains(name) || (name.startsWith(".") && !name.equals("."));
    }

    /**
     * Reads a submission folder's sources: its {@code src/main/java} (a copy of the template), the folder itself
     * when it holds {@code homework/} or {@code .java} files, or the one sub-folder a zip or a download wraps
     * them in, a few levels down.
     *
     * @throws CompileException when a link is met, no {@code .java} file is found, a file is not named like a
     *     class, a limit is passed or a file cannot be read: the submission's fault, told in one line
     */
    public static SourceFiles read(Path submission) throws CompileException {
        return read(submission, true);
    }

    /** As {@link #read(Path)}; with {@code secure} false, by paths only, as on a platform without openat. */
    static SourceFiles read(Path submission, boolean secure) throws CompileException {
        String name = submission.getFileName() == null ? submission.toString() : submission.getFileName().toString();
        try (Folder root = Folder.openRoot(submission, name, secure)) {
            Reader r = new Reader();
            r.walk(r.discover(root), "");
            return r.result(submission.toString());
        } catch (IOException e) {
            throw CompileException.of("cannot read the submission: " + printable(e.getMessage()));
        }
    }

    /**
     * Reads the sources under each of {@code roots} as they are (no looking for {@code src/main/java}); a file
     * under a later root replaces the file with the same path under an earlier one. For the grader's own sources
     * and test fixtures; links are refused here too.
     */
    public static SourceFiles readRoots(List<Path> roots) throws CompileException {
        Map<String, Source> merged = new LinkedHashMap<>();
        for (Path root : roots) {
            try (Folder f = Folder.openRoot(root, root.toString())) {
                Reader r = new Reader();
                r.walk(f, "");
                r.files.forEach(s -> merged.put(s.path(), s));
            } catch (IOException e) {
                throw CompileException.of("cannot read " + root + ": " + printable(e.getMessage()));
            }
        }
        if (merged.isEmpty()) {
            throw CompileException.of("no .java files under " + roots);
        }
        return new SourceFiles(merged.values().stream().sorted((a, b) -> a.path().compareTo(b.path())).toList());
    }

    /** Returns true for a file name javac can compile: a class name, or {@code package-info}, then {@code .java}. */
    static boolean javaName(String fileName) {
        if (!fileName.endsWith(".java")) {
            return false;
        }
        String base = fileName.substring(0, fileName.length() - ".java".length());
        if (base.equals("package-info")) {
            return true;
        }
        if (base.isEmpty() || !Character.isJavaIdentifierStart(base.codePointAt(0))) {
            return false;
        }
        return base.codePoints().allMatch(c -> Character.isJavaIdentifierPart(c)
                && !Character.isIdentifierIgnorable(c));
    }

    /** A name or message made one printable line: control characters become {@code \\uXXXX}. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** The message for a link: names it, says where it points, and that it is not followed. */
    static String linkMessage(String where, Folder folder, String name) {
        String target = folder.linkTarget(name).map(t -> " (to " + printable(t) + ")").orElse("");
        return "refused: " + printable(where) + " is a symbolic link" + target
                + "; the grader follows no link in a submission";
    }

    /** One read: what was found so far, and the limits. */
    private static final class Reader {
        final List<Source> files = new ArrayList<>();
        long bytes;
        int entries;

        /** Where the sources start, as described in {@link SourceFiles#read}. */
        Folder discover(Folder d) throws IOException, CompileException {
            Folder at = d;
            for (int depth = 0; depth < 4; depth++) {
                Optional<Folder> smj = descend(at, "src", "main", "java");
                if (smj.isPresent()) {
                    return smj.get();
                }
                Folder.Kind homework = at.kind("homework");
                if (homework == Folder.Kind.LINK) {
                    throw CompileException.of(linkMessage(at.relative("homework"), at, "homework"));
                }
                if (homework == Folder.Kind.FOLDER) {
                    return at;
                }
                List<String> subdirs = new ArrayList<>();
                boolean javaHere = false;
                for (Folder.Entry e : listed(at)) {
                    if (e.kind() == Folder.Kind.FOLDER) {
                        subdirs.add(e.name());
                    } else if (e.kind() == Folder.Kind.FILE && e.name().endsWith(".java")) {
                        javaHere = true;
                    }
                }
                if (javaHere || subdirs.size() != 1) {
                    return at;
                }
                at = at.open(subdirs.get(0));
            }
            return at;
        }

        /** Opens {@code names} one below the other; empty when one is missing; refuses a link on the way. */
        private Optional<Folder> descend(Folder from, String... names) throws IOException, CompileException {
            Folder at = from;
            for (String n : names) {
                Folder.Kind k = at.kind(n);
                if (k == Folder.Kind.LINK) {
                    throw CompileException.of(linkMessage(at.relative(n), at, n));
                }
                if (k != Folder.Kind.FOLDER) {
                    return Optional.empty();
                }
                at = at.open(n);
            }
            return Optional.of(at);
        }

        /** A folder's entries that are not skipped, refusing any link among them. */
        private List<Folder.Entry> listed(Folder f) throws IOException, CompileException {
            List<Folder.Entry> out = new ArrayList<>();
            for (Folder.Entry e : f.list()) {
                if (++entries > MAX_ENTRIES) {
                    throw CompileException.of("refused: more than " + MAX_ENTRIES + " files and folders where "
                            + "sources are looked for");
                }
                if (skipped(e.name())) {
                    continue;
                }
                if (e.kind() == Folder.Kind.LINK) {
                    throw CompileException.of(linkMessage(f.relative(e.name()), f, e.name()));
                }
                out.add(e);
            }
            return out;
        }

        /** Reads every {@code .java} file below {@code f}, whose path below the source root is {@code prefix}. */
        void walk(Folder f, String prefix) throws IOException, CompileException {
            if (prefix.chars().filter(c -> c == '/').count() > MAX_DEPTH) {
                throw CompileException.of("refused: folders nested deeper than " + MAX_DEPTH + " at "
                        + printable(f.relative("")));
            }
            for (Folder.Entry e : listed(f)) {
                String name = e.name();
                if (e.kind() == Folder.Kind.FOLDER) {
                    try (Folder sub = f.open(name)) {
                        walk(sub, prefix + name + "/");
                    }
                } else if (e.kind() == Folder.Kind.FILE && name.endsWith(".java") && !name.equals("module-info.java")) {
                    add(f, name, prefix + name);
                }
            }
        }

        private void add(Folder f, String name, String path) throws IOException, CompileException {
            if (!javaName(name)) {
                throw CompileException.of("refused: '" + printable(f.relative(name)) + "' is not a Java source "
                        + "name (a class name followed by .java)");
            }
            if (files.size() >= MAX_FILES) {
                throw CompileException.of("refused: more than " + MAX_FILES + " .java files");
            }
            byte[] b = f.read(name, MAX_BYTES - bytes);
            if (b == null) {
                throw CompileException.of("refused: the sources are larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            bytes += b.length;
            files.add(new Source(path, b));
        }

        SourceFiles result(String where) throws CompileException {
            if (files.isEmpty()) {
                throw CompileException.of("no .java files in " + printable(where));
            }
            return new SourceFiles(files);
        }
    }
}
