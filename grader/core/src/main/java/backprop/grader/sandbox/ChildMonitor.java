package backprop.grader.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Polices a running child from the grader's process, where student code cannot reach it: reads the child's
 * process tree and its JVM's {@code /proc} entries, and says which limit the child broke, if any. Nothing the
 * child does inside its JVM (a security manager, stopping threads, reflection, native code) can switch it off.
 *
 * <ul>
 *   <li>Processes: the child's JVM is the first process in the tree that runs the harness; the processes above
 *       it are the sandbox's wrappers (bubblewrap, unshare). Any other process in the tree was started by the
 *       submission, as is any process that ran and ended: a process that reaps a child grows its
 *       {@code cminflt} (the page faults of its waited-for children), so even one that lived a millisecond is
 *       seen at the next look.</li>
 *   <li>Threads: the JVM's task count ({@code Threads} in {@code /proc/PID/status}), against
 *       {@link Limits#totalThreads}.</li>
 *   <li>Memory: the JVM's peak resident memory ({@code VmHWM}), against {@link Limits#residentMb}: the heap and
 *       every other pool, and native memory however it was taken.</li>
 * </ul>
 * Linux only; elsewhere {@code /proc} is missing and it finds nothing.
 */
final class ChildMonitor {
    /** The class every child runs: how the JVM is told apart from the wrappers above it. */
    private static final String HARNESS = ChildMain.class.getName();
    /**
     * Milliseconds between two looks. Memory touched in between is still seen, since the peak resident size is
     * read, and the address-space limit keeps it within reach of the bound meanwhile.
     */
    static final int LOOK_MS = 40;
    /**
     * The tree is read at one look in this many (every 480 ms): it costs a scan of every process on the host,
     * a few milliseconds. A process that ends between two readings is still seen, by the page faults its parent
     * reaped.
     */
    private static final int TREE_EVERY = 12;
    private static final Set<String> STATUS_FIELDS = Set.of("Threads", "VmHWM", "VmRSS");

    /**
     * A limit the child broke.
     *
     * @param kind {@link ChildMain#MEMORY}, {@link ChildMain#THREADS} or {@link ChildMain#PROCESS}
     * @param message what it did and what the limit is, one line
     */
    record Breach(byte kind, String message) {}

    private final ProcessHandle root;
    private final Limits limits;
    private long jvm = -1;
    /** The JVM and its wrappers, each with its {@code cminflt} when the JVM was found. */
    private final Map<Long, Long> known = new LinkedHashMap<>();
    private int looks;

    ChildMonitor(ProcessHandle root, Limits limits) {
        this.root = root;
        this.limits = limits;
    }

    /** Looks at the child once: a few reads of {@code /proc}, and now and then a scan of the tree. */
    Optional<Breach> look() {
        if (jvm < 0 && runsHarness(root.pid())) {
            found(root.pid(), Map.of()); // a plain child: the JVM is the process the grader started
        }
        if (looks++ % TREE_EVERY == 0) {
            Optional<Breach> b = tree();
            if (b.isPresent()) {
                return b;
            }
        }
        if (jvm < 0) {
            return Optional.empty();
        }
        boolean reaped = false;
        for (Map.Entry<Long, Long> e : known.entrySet()) {
            Optional<Long> now = reapedFaults(e.getKey());
            reaped |= now.isPresent() && now.get() > e.getValue();
        }
        // read after the counts: a wrapper that has reaped the JVM itself has counted it, but then the JVM is gone
        if (reaped && Files.exists(proc(jvm, "stat"))) {
            return Optional.of(new Breach(ChildMain.PROCESS, "started a process (not allowed)"));
        }
        Map<String, Long> status = status(jvm);
        Long threads = status.get("Threads");
        if (threads != null && threads > limits.totalThreads()) {
            return Optional.of(new Breach(ChildMain.THREADS, "ran " + threads + " threads, more than the "
                    + limits.threads() + " allowed beyond the JVM's own " + Limits.JVM_THREADS));
        }
        long peakKb = Math.max(status.getOrDefault("VmHWM", 0L), status.getOrDefault("VmRSS", 0L));
        if (peakKb > limits.residentMb() << 10) {
            return Optional.of(new Breach(ChildMain.MEMORY, "used " + ((peakKb + 1023) >> 10) + " MiB of memory, more "
                    + "than the " + limits.residentMb() + " MiB allowed (the " + limits.heapMb() + " MiB heap and the "
                    + "JVM's other memory)"));
        }
        return Optional.empty();
    }

    /** Finds the JVM on the first looks; afterwards, any process that is neither it nor a wrapper. */
    private Optional<Breach> tree() {
        List<ProcessHandle> all;
        try (Stream<ProcessHandle> d = root.descendants()) {
            all = new ArrayList<>();
            all.add(root);
            all.addAll(d.toList());
        }
        if (jvm < 0) {
            Map<Long, Long> parents = new HashMap<>();
            all.forEach(h -> h.parent().ifPresent(p -> parents.put(h.pid(), p.pid())));
            for (ProcessHandle h : all) {
                if (runsHarness(h.pid()) && !belowHarness(h.pid(), parents)) {
                    found(h.pid(), parents);
                    break;
                }
            }
            return Optional.empty();
        }
        for (ProcessHandle h : all) {
            if (!known.containsKey(h.pid()) && h.isAlive()) {
                return Optional.of(new Breach(ChildMain.PROCESS, "started a process (" + name(h.pid())
                        + "; not allowed)"));
            }
        }
        return Optional.empty();
    }

    /** Takes {@code pid} for the JVM, and the processes above it for the wrappers, with their reaped counts. */
    private void found(long pid, Map<Long, Long> parents) {
        jvm = pid;
        for (Long p = jvm; p != null; p = p == root.pid() ? null : parents.get(p)) {
            known.put(p, reapedFaults(p).orElse(0L));
        }
    }

    /** True when a process above {@code pid}, up to the root, runs the harness too: then that one is the JVM. */
    private boolean belowHarness(long pid, Map<Long, Long> parents) {
        if (pid == root.pid()) {
            return false;
        }
        for (Long p = parents.get(pid); p != null; p = p == root.pid() ? null : parents.get(p)) {
            if (runsHarness(p)) {
                return true;
            }
        }
        return false;
    }

    /** True for a Java launcher running the harness; a wrapper names both in its arguments, but runs itself. */
    private static boolean runsHarness(long pid) {
        try {
            String[] argv = new String(Files.readAllBytes(proc(pid, "cmdline")), StandardCharsets.UTF_8).split("\0");
            if (argv.length == 0 || !(argv[0].equals("java") || argv[0].endsWith("/java"))) {
                return false;
            }
            for (String arg : argv) {
                if (arg.equals(HARNESS)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // gone, or not ours to read
        }
        return false;
    }

    private static String name(long pid) {
        try {
            return Files.readString(proc(pid, "comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "pid " + pid;
        }
    }

    /** The {@code cminflt} field of {@code /proc/PID/stat}: page faults of the children it has reaped. */
    private static Optional<Long> reapedFaults(long pid) {
        try {
            String stat = Files.readString(proc(pid, "stat"), StandardCharsets.UTF_8);
            // the command name, in parentheses, may hold spaces: the fields count from the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(f[11 - 3]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The fields of {@code /proc/PID/status} the limits need (sizes in KiB), or none once the process is gone. */
    private static Map<String, Long> status(long pid) {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(proc(pid, "status"), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && STATUS_FIELDS.contains(line.substring(0, colon))) {
                    String v = line.substring(colon + 1).strip();
                    int space = v.indexOf(' ');
                    out.put(line.substring(0, colon), Long.parseLong(space < 0 ? v : v.substring(0, space)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // it ended between two looks
        }
        return out;
    }

    /**
     * The live processes of {@code uid}. Zombies are left out: the init of an ended PID namespace waits as one
     * until the host's init reaps it, which in some containers takes a second or more.
     */
    static List<Long> processesOf(int uid) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                try {
                    // a process's folder belongs to its uid: one stat per process, then one read for those of uid
                    if (name.chars().allMatch(Character::isDigit) && Files.getAttribute(p, "unix:uid").equals(uid)
                            && !zombie(p)) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return out;
    }

    private static boolean zombie(Path procDir) throws IOException {
        String stat = Files.readString(procDir.resolve("stat"), StandardCharsets.UTF_8);
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }

    private static Path proc(long pid, String entry) {
        return Path.of("/proc", Long.toString(pid), entry);
    }
}
