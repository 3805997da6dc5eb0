package backprop.grader.files;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that a reader never sees half of one: the bytes go to a temporary file beside the target,
 * are forced to disk, and the temporary file is renamed over the target in one atomic step, after which the
 * folder is forced too. A write that fails (a full disk, a file-size limit) leaves the target as it was and
 * removes its temporary file; temporary files a killed process left behind are removed by {@link #removeStale}.
 * A {@link Group} replaces several files only once all of them are written.
 */
public final class AtomicFiles {
    /** Temporary files are {@code .NAME.PID.RANDOM.tmp}: the PID tells a live writer's from a dead one's. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(\\d+)\\.\\d+\\.tmp");

    private AtomicFiles() {}

    /** What writes a file's text, one piece at a time. */
    @FunctionalInterface
    public interface Body {
        /** Writes the text to {@code w}. */
        void writeTo(Writer w) throws IOException;
    }

    /**
     * Replaces {@code target} with the UTF-8 text {@code body} writes, atomically, streaming it to the temporary
     * file so that a large file never sits in memory whole.
     */
    public static void write(Path target, Body body) throws IOException {
        try (Group g = new Group()) {
            g.stage(target, body);
            g.commit();
        }
    }

    /** Replaces {@code target} with {@code bytes}, atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        try (Group g = new Group()) {
            g.stage(target, bytes);
            g.commit();
        }
    }

    /**
     * Deletes the temporary files in {@code dir} that no live process is writing: those of a process that was
     * killed half-way, and any from before temporary files carried their writer's PID. Whole files are never
     * touched.
     */
    public static void removeStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") || !n.endsWith(".tmp") || !Files.isRegularFile(p,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Matcher m = TEMPORARY.matcher(n);
                if (m.matches() && alive(m.group(1))) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A file written beside its target, not yet in place.
     *
     * @param target where it goes
     * @param temporary where it is
     * @param bytes its size
     * @param sha256 its SHA-256, in hex
     */
    public record Staged(Path target, Path temporary, long bytes, String sha256) {}

    /**
     * Several files replaced together: each is written and forced beside its target first ({@link #stage}); only
     * when every one is written are they renamed into place, in the order staged ({@link #commit}). A failure
     * while staging leaves every target as it was; closing the group removes every temporary file not renamed.
     * A rename can still fail half-way through a commit (rarely: the disk is full only for writing); then
     * {@link NotAllReplaced} says which targets were replaced and which were not.
     */
    public static final class Group implements AutoCloseable {
        private final List<Staged> staged = new ArrayList<>();
        private boolean committed;

        /** An empty group. */
        public Group() {}

        /** Writes the UTF-8 text {@code body} writes beside {@code target}; throws, leaving nothing, if it cannot. */
        public Staged stage(Path target, Body body) throws IOException {
            return stageBytes(target, out -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                body.writeTo(w);
                w.flush();
            });
        }

        /** Writes {@code bytes} beside {@code target}; throws, leaving nothing, if it cannot. */
        public Staged stage(Path target, byte[] bytes) throws IOException {
            return stageBytes(target, out -> out.write(bytes));
        }

        private interface Bytes {
            void writeTo(OutputStream out) throws IOException;
        }

        private Staged stageBytes(Path target, Bytes body) throws IOException {
            if (committed) {
                throw new IllegalStateException("this group is committed");
            }
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "." + ProcessHandle.current().pid()
                    + ".", ".tmp");
            try {
                if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                }
                MessageDigest sha = sha256();
                long size;
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), sha);
                    body.writeTo(out);
                    out.flush();
                    ch.force(true);
                    size = ch.size();
                }
                Staged s = new Staged(target, tmp, size, HexFormat.of().formatHex(sha.digest()));
                staged.add(s);
                return s;
            } catch (IOException e) {
                deleteQuietly(tmp, e);
                throw new IOException("cannot write " + target + ": " + reason(e), e);
            } catch (RuntimeException | Error e) {
                deleteQuietly(tmp, e);
                if (e instanceof UncheckedIOException u) {
                    throw new IOException("cannot write " + target + ": " + reason(u.getCause()), u.getCause());
                }
                throw e;
            }
        }

        /** The files staged so far, in order. */
        public List<Staged> staged() {
            return List.copyOf(staged);
        }

        /**
         * Renames every staged file over its target, in order, then forces their folders to disk.
         *
         * @throws NotAllReplaced when a rename fails: the targets before it are replaced, it and the rest are not
         */
        public void commit() throws IOException {
            if (committed) {
                throw new IllegalStateException("this group is committed");
            }
            committed = true;
            List<Path> replaced = new ArrayList<>();
            Set<Path> dirs = new LinkedHashSet<>();
            for (Staged s : staged) {
                try {
                    move(s.temporary(), s.target());
                } catch (IOException e) {
                    List<Path> kept = staged.subList(replaced.size(), staged.size()).stream().map(Staged::target)
                            .toList();
                    throw new NotAllReplaced(replaced, kept, e);
                }
                replaced.add(s.target());
                dirs.add(s.target().toAbsolutePath().getParent());
            }
            for (Path d : dirs) {
                forceFolder(d);
            }
        }

        /** Removes the temporary files of a group that was not committed, or not wholly. */
        @Override
        public void close() throws IOException {
            IOException first = null;
            for (Staged s : staged) {
                try {
                    Files.deleteIfExists(s.temporary());
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            staged.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    /** A commit that replaced only some of its targets. */
    public static final class NotAllReplaced extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient List<Path> replaced;
        private final transient List<Path> kept;

        NotAllReplaced(List<Path> replaced, List<Path> kept, IOException cause) {
            super("cannot replace " + kept.get(0) + ": " + reason(cause) + "; " + (replaced.isEmpty()
                    ? "no file was replaced" : "replaced " + names(replaced) + ", but not " + names(kept)), cause);
            this.replaced = List.copyOf(replaced);
            this.kept = List.copyOf(kept);
        }

        /** The targets that now hold the new content. */
        public List<Path> replaced() {
            return replaced;
        }

        /** The targets that still hold what they held before (or do not exist). */
        public List<Path> kept() {
            return kept;
        }

        private static String names(List<Path> ps) {
            return String.join(", ", ps.stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces a folder's entries to disk, so a rename survives a power cut; a system that cannot open a folder is skipped. */
    private static void forceFolder(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (ch) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path tmp, Throwable cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** An exception's message, with the file it names when that is all it says ({@code NoSuchFileException}). */
    static String reason(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file " + n.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
