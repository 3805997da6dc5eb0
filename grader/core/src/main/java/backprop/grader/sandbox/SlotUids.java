package backprop.grader.sandbox;

import backprop.grader.files.FolderLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The uids children run under when the grader runs as root, one per parallel slot, leased for the life of this
 * grader process. A uid is held with a lock file, which the kernel lets go when the process ends however it ends,
 * so two graders on one host never share a uid: they would share its process limit, and one would kill the
 * other's children when it clears its slot. A uid some process still runs under is passed over.
 */
final class SlotUids {
    /** The lowest uid leased. */
    static final int BASE = 1_990_000;
    /** How many uids there are to lease. */
    static final int RANGE = 10_000;

    private static final Map<Integer, Integer> LEASED = new HashMap<>();
    /** The lock files' channels: closing one, or losing it to the garbage collector, would let its lock go. */
    private static final List<FileChannel> HELD = new ArrayList<>();

    private SlotUids() {}

    /** The uid of {@code slot}, leased now if it has none yet. */
    static synchronized int of(int slot) throws IOException {
        Integer leased = LEASED.get(slot);
        if (leased != null) {
            return leased;
        }
        Path dir = lockFolder();
        // start where this process's id points: a grader that takes uids without leasing them (an older
        // version) starts at the base, and is unlikely to meet ours
        int start = (int) (ProcessHandle.current().pid() % (RANGE / 16)) * 16;
        for (int i = 0; i < RANGE; i++) {
            int uid = BASE + (start + i) % RANGE;
            if (LEASED.containsValue(uid)) {
                continue;
            }
            FileChannel ch = FileChannel.open(dir.resolve(uid + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = FolderLock.tryLock(ch);
            if (lock == null || !ChildMonitor.processesOf(uid).isEmpty()) {
                ch.close();
                continue;
            }
            HELD.add(ch);
            LEASED.put(slot, uid);
            return uid;
        }
        throw new IOException("no free uid for children between " + BASE + " and " + (BASE + RANGE));
    }

    /** Where the lock files are: a folder of root's that nobody else can write to. */
    private static Path lockFolder() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "backprop-grader-uids");
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwxr-xr-x")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another grader made it first
            }
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                || !Integer.valueOf(0).equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is not a folder of root's that only root can write to");
        }
        return dir;
    }
}
