package backprop.grader.compile;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A folder opened without following symbolic links. Where the platform offers a {@link SecureDirectoryStream}
 * (Linux, macOS), every entry is looked at, opened and read relative to the open folder ({@code openat} with
 * {@code O_NOFOLLOW}), so a folder on the way cannot be swapped for a link between the look and the read.
 * Elsewhere it falls back to paths checked without following links, which leaves that race open.
 */
final class Folder implements Closeable {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /** What an entry is, seen without following it. */
    enum Kind { FOLDER, FILE, LINK, OTHER, MISSING }

    /**
     * One entry of a folder.
     *
     * @param name its name
     * @param kind what it is
     */
    record Entry(String name, Kind kind) {}

    private final Path path;
    private final String label;
    private final SecureDirectoryStream<Path> secure;
    private final List<Folder> opened = new ArrayList<>();
    private List<Entry> listing;

    private Folder(Path path, String label, SecureDirectoryStream<Path> secure) {
        this.path = path;
        this.label = label;
        this.secure = secure;
    }

    /**
     * Opens {@code dir}, which must be a real folder, not a link to one.
     *
     * @param label how messages name it
     * @throws CompileException when {@code dir} is a link or not a folder
     */
    static Folder openRoot(Path dir, String label) throws IOException, CompileException {
        return openRoot(dir, label, true);
    }

    /** As {@link #openRoot(Path, String)}; with {@code secure} false, by paths only, as where no secure stream is. */
    static Folder openRoot(Path dir, String label, boolean secure) throws IOException, CompileException {
        Path abs = dir.toAbsolutePath();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(abs, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            throw CompileException.of("no such folder: " + SourceFiles.printable(label));
        }
        if (a.isSymbolicLink()) {
            String target = readLink(abs).map(t -> " (to " + SourceFiles.printable(t) + ")").orElse("");
            throw CompileException.of("refused: the submission " + SourceFiles.printable(label)
                    + " is a symbolic link" + target + "; the grader follows no link in a submission");
        }
        if (!a.isDirectory()) {
            throw CompileException.of("not a folder: " + SourceFiles.printable(label));
        }
        Path parent = abs.getParent();
        if (parent != null && secure) {
            try (DirectoryStream<Path> up = Files.newDirectoryStream(parent)) {
                if (up instanceof SecureDirectoryStream<Path> s) {
                    // opened relative to its parent with O_NOFOLLOW: a link swapped in since the look fails here
                    return new Folder(abs, "", s.newDirectoryStream(abs.getFileName(), NOFOLLOW));
                }
            }
        }
        return new Folder(abs, "", null);
    }

    /** The path of an entry below the root, for messages ({@code ""} names this folder). */
    String relative(String name) {
        return label.isEmpty() ? (name.isEmpty() ? "." : name) : name.isEmpty() ? label : label + "/" + name;
    }

    /** The entries, sorted by name; read once and kept. */
    List<Entry> list() throws IOException {
        if (listing != null) {
            return listing;
        }
        List<Entry> out = new ArrayList<>();
        try {
            if (secure != null) {
                // a secure stream lists once, and stays open for the lookups relative to it
                for (Path p : secure) {
                    out.add(entry(p));
                }
            } else {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(path)) {
                    for (Path p : s) {
                        out.add(entry(p));
                    }
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        out.sort(Comparator.comparing(Entry::name));
        listing = out;
        return out;
    }

    private Entry entry(Path p) throws IOException {
        String name = p.getFileName().toString();
        return new Entry(name, kind(name));
    }

    /** What the entry {@code name} is, without following it. */
    Kind kind(String name) throws IOException {
        BasicFileAttributes a;
        try {
            a = secure != null ? secure.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes() : Files.readAttributes(path.resolve(name), BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return Kind.MISSING;
        }
        return a.isSymbolicLink() ? Kind.LINK : a.isDirectory() ? Kind.FOLDER : a.isRegularFile() ? Kind.FILE
                : Kind.OTHER;
    }

    /** Opens the sub-folder {@code name}, without following a link; closed with this folder. */
    Folder open(String name) throws IOException {
        Folder f;
        if (secure != null) {
            f = new Folder(path.resolve(name), relative(name), (SecureDirectoryStream<Path>)
                    secure.newDirectoryStream(Path.of(name), NOFOLLOW));
        } else {
            if (kind(name) != Kind.FOLDER) {
                throw new IOException(relative(name) + " is not a folder");
            }
            f = new Folder(path.resolve(name), relative(name), null);
        }
        opened.add(f);
        return f;
    }

    /** The bytes of the file {@code name}, read without following a link; null when it has more than {@code max}. */
    byte[] read(String name, long max) throws IOException {
        try (SeekableByteChannel ch = secure != null ? secure.newByteChannel(Path.of(name), READ)
                : Files.newByteChannel(path.resolve(name), READ)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (ch.read(b) > 0) {
                b.flip();
                if (out.size() + b.remaining() > max) {
                    return null;
                }
                out.write(b.array(), 0, b.remaining());
                b.clear();
            }
            return out.toByteArray();
        }
    }

    /** Where the link {@code name} points, for messages; never followed. */
    Optional<String> linkTarget(String name) {
        return readLink(path.resolve(name));
    }

    private static Optional<String> readLink(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        for (Folder f : opened) {
            f.close();
        }
        opened.clear();
        if (secure != null) {
            secure.close();
        }
    }
}
