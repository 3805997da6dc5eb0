package backprop.grader.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer at a time in a folder: an exclusive kernel lock on the file {@code .grader.lock} in it, held for as
 * long as the writer runs. The kernel drops the lock when the process ends, however it ends, so the file a
 * killed run leaves behind blocks no one. The file also says who holds the lock (PID, command, since when), for
 * the message the next writer gets.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name. */
    public static final String FILE = ".grader.lock";
    /**
     * Folders locked by this JVM. A second channel on the file must not be opened here: on Linux, closing any
     * descriptor of a file drops every lock the process holds on it.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** The folder is held by another writer. */
    public static final class Held extends IOException {
        private static final long serialVersionUID = 1L;
        private final Path dir;
        private final transient OptionalLong pid;

        Held(Path dir, OptionalLong pid, String holder) {
            super(dir + " is in use by another " + holder);
            this.dir = dir;
            this.pid = pid;
        }

        /** The folder. */
        public Path dir() {
            return dir;
        }

        /** The holder's PID, when its lock file says. */
        public OptionalLong pid() {
            return pid;
        }
    }

    /**
     * Locks {@code dir} (created if missing) for {@code command}, or throws at once if another process, or this
     * one, holds it.
     *
     * @throws Held when it is held
     */
    public static FolderLock acquire(Path dir, String command) throws IOException {
        Path real = Files.createDirectories(dir).toRealPath();
        long me = ProcessHandle.current().pid();
        if (!HELD_HERE.add(real)) {
            throw new Held(real, OptionalLong.of(me), "run in this process (PID " + me + ")");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(real.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(ch);
            if (lock == null) {
                Optional<String> who = read(ch);
                OptionalLong pid = who.flatMap(FolderLock::pid).map(OptionalLong::of).orElse(OptionalLong.empty());
                throw new Held(real, pid, who.map(w -> "run: " + w).orElse("process (its lock file says no more)"));
            }
            String who = "PID " + me + ", " + command + ", since " + Instant.now();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((who + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            FolderLock held = new FolderLock(real, ch, lock);
            ch = null;
            return held;
        } finally {
            if (ch != null) {
                HELD_HERE.remove(real);
                ch.close();
            }
        }
    }

    /** The folder, as its real path. */
    public Path dir() {
        return dir;
    }

    /** Releases the lock (the file stays: deleting it would let two writers lock two different files). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD_HERE.remove(dir);
        }
    }

    private static Optional<String> read(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s.lines().findFirst().orElse(s));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> pid(String who) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^PID (\\d+)").matcher(who);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /**
     * The kernel's lock on the whole of {@code ch}, or null when another process, or another channel of this
     * one, holds it.
     */
    public static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }
}
