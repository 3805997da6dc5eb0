package backprop.grader.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a child sees of the file system under bubblewrap and under the uid mechanism alike: the system's
 * {@code /usr} (and the links or folders {@code /lib}, {@code /bin}, … at the top), its Java runtime, the harness
 * jar and its compiled classes, all read-only; a scratch folder of bounded size in memory, which is also its
 * {@code /tmp}; a few devices; its own {@code /proc}. Nothing else exists there: not the reference, the
 * assignments, the reports, other submissions, the home folders or the host's temporary folders.
 *
 * <p>{@link #bwrapArgs} gives it to bubblewrap; {@link #script} builds it without bubblewrap, as root, in a
 * private mount namespace: a fresh tmpfs as root, bind mounts into it, then {@code unshare --root} enters it and
 * {@code setpriv} drops to the slot's uid without capabilities, without new privileges, and with a parent-death
 * signal, since changing the uid clears the one {@code unshare --kill-child} set.
 *
 * @param entries the read-only binds and links, in order
 * @param scratchBytes the size of the in-memory scratch folder
 */
record View(List<Entry> entries, long scratchBytes) {
    /** Where the harness jar appears. */
    static final String HARNESS = "/grader/harness.jar";
    /** Where the child's Java runtime appears when it is the jlinked image. */
    static final String RUNTIME = "/grader/runtime";
    /** Where the submission's classes appear. */
    static final String CLASSES = "/submission";
    /** Where the scratch folder appears; {@code /tmp} links to it. */
    static final String SCRATCH = "/scratch";
    /** Devices a JVM uses. */
    static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom");

    /** One thing in the view. */
    sealed interface Entry {}

    /**
     * A host folder or file, read-only.
     *
     * @param from where it is on the host
     * @param to where the child sees it
     * @param file true for a file
     */
    record Bind(Path from, String to, boolean file) implements Entry {}

    /**
     * A symbolic link.
     *
     * @param target what it points to
     * @param at where it is
     */
    record Link(String target, String at) implements Entry {}

    /** The arguments that make bubblewrap build this view, up to the command. */
    List<String> bwrapArgs(boolean sizedTmpfs, boolean remountRo, Path hostScratch) {
        List<String> a = new ArrayList<>();
        for (Entry e : entries) {
            if (e instanceof Bind b) {
                a.addAll(List.of("--ro-bind", b.from().toString(), b.to()));
            } else if (e instanceof Link l) {
                a.addAll(List.of("--symlink", l.target(), l.at()));
            }
        }
        if (sizedTmpfs) {
            // a scratch folder of bounded size in memory: files written there cannot fill the host's disk
            a.addAll(List.of("--size", Long.toString(scratchBytes), "--tmpfs", SCRATCH));
        } else {
            a.addAll(List.of("--bind", hostScratch.toString(), SCRATCH));
        }
        a.addAll(List.of("--symlink", SCRATCH, "/tmp", "--dev", "/dev"));
        if (remountRo) {
            a.addAll(List.of("--remount-ro", "/dev")); // no files in /dev/shm; the devices still work
        }
        a.addAll(List.of("--proc", "/proc", "--chdir", SCRATCH));
        return a;
    }

    /**
     * A shell script that, run as root in a new mount and PID namespace with the mount point as {@code $1} and
     * the child's command after it, builds this view on the mount point (an empty folder, private to the grader)
     * and runs the command inside it as {@code uid}.
     *
     * @param unshare the host's {@code unshare}, which enters the view
     * @param setpriv {@code setpriv} as the child sees it (under {@code /usr})
     */
    String script(Path unshare, Path setpriv, int uid) {
        StringBuilder s = new StringBuilder("set -e\nR=\"$1\"\nshift\n");
        s.append("mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev grader-view \"$R\"\n");
        for (Entry e : entries) {
            if (e instanceof Bind b) {
                String to = "\"$R\"" + q(b.to());
                String parent = "\"$R\"" + q(Path.of(b.to()).getParent().toString());
                s.append("mkdir -p ").append(b.file() ? parent : to).append('\n');
                if (b.file()) {
                    s.append(": > ").append(to).append('\n');
                }
                s.append("mount --bind -o ro,nosuid,nodev ").append(q(b.from().toString())).append(' ').append(to)
                        .append('\n');
            } else if (e instanceof Link l) {
                s.append("ln -s ").append(q(l.target())).append(" \"$R\"").append(q(l.at())).append('\n');
            }
        }
        s.append("mkdir \"$R\"").append(SCRATCH).append('\n');
        s.append("mount -t tmpfs -o size=").append(scratchBytes).append(",mode=0700,uid=").append(uid)
                .append(",gid=").append(uid).append(",nosuid,nodev grader-scratch \"$R\"").append(SCRATCH).append('\n');
        s.append("ln -s ").append(SCRATCH).append(" \"$R/tmp\"\n");
        s.append("mkdir \"$R/dev\"\n");
        for (String d : DEVICES) {
            s.append(": > \"$R/dev/").append(d).append("\"\nmount --bind /dev/").append(d).append(" \"$R/dev/")
                    .append(d).append("\"\n");
        }
        s.append("mkdir \"$R/proc\"\nmount -t proc -o nosuid,nodev,noexec proc \"$R/proc\"\n");
        s.append("mount -o remount,ro,nosuid,nodev \"$R\"\n");
        s.append("exec ").append(q(unshare.toString())).append(" --root=\"$R\" --wd=").append(SCRATCH).append(" -- ")
                .append(q(setpriv.toString())).append(" --reuid=").append(uid).append(" --regid=").append(uid)
                .append(" --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all --pdeathsig KILL")
                .append(" -- \"$@\"\n");
        return s.toString();
    }

    /** Quotes a word for the shell. */
    static String q(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
