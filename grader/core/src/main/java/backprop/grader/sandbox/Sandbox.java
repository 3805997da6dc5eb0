package backprop.grader.sandbox;

import backprop.grader.submission.CallGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How a child JVM is started: the isolation mechanism found on this host, and the command line for one child.
 *
 * <ul>
 *   <li>{@link Mechanism#BWRAP}: bubblewrap puts the child in its own mount, PID, network, IPC and UTS
 *       namespaces, with the {@link View} alone to see; killing bubblewrap kills everything inside. When the
 *       grader runs as root, the child also runs under a uid of its own per parallel slot, so that the kernel's
 *       process limit holds.</li>
 *   <li>{@link Mechanism#UID}: no bubblewrap, but the grader runs as root: the same {@link View}, built with
 *       {@code unshare}, mounts and {@code setpriv}, in new mount, PID, network, IPC and UTS namespaces, under a
 *       uid of its own per slot.</li>
 *   <li>{@link Mechanism#PLAIN}: a plain child JVM with the same limits. Student code can read and write whatever
 *       the grader's user can, use the network, and leave a process behind that escapes the process tree. Said
 *       loudly.</li>
 * </ul>
 * Every mechanism runs the child on a runtime of {@code java.base} alone ({@link ChildRuntime}), with no security
 * manager allowed, every pool of the JVM's memory bounded ({@link Limits}), and, with {@code prlimit}, the
 * kernel's limits on open files, file size, core dumps, CPU time and address space; every child, and every
 * wrapper between it and the grader, dies with the grader ({@code setpriv --pdeathsig}).
 */
public final class Sandbox {
    /** Isolation mechanisms, strongest first. */
    public enum Mechanism {
        /** Bubblewrap namespaces. */
        BWRAP("bwrap"),
        /** The same view without bubblewrap: namespaces, mounts and a separate uid, as root. */
        UID("uid"),
        /** A plain child JVM. */
        PLAIN("plain");

        private final String word;

        Mechanism(String word) {
            this.word = word;
        }

        /** The word used in options and reports. */
        public String word() {
            return word;
        }
    }

    /** What the user asked for. */
    public enum Choice {
        /** Bubblewrap, or refuse with a message that says how to get it or name a weaker mechanism. */
        AUTO,
        /**
         * The strongest that works here, weaker ones with a warning: for code the grader's user trusts (the
         * bundled sample class, benchmarks), never for students' code unless they are named.
         */
        ANY,
        /** Bubblewrap or fail. */
        BWRAP,
        /** The uid mechanism or fail. */
        UID,
        /** A plain child JVM. */
        NONE;

        /**
         * The choice a command line names: {@code auto}, {@code bwrap}, {@code uid} or {@code none}. For {@code
         * trusted} code (the bundled sample class) {@code auto} also takes a weaker mechanism, with a warning.
         *
         * @throws IllegalArgumentException for any other word, naming the ones there are
         */
        public static Choice parse(String word, boolean trusted) {
            return switch (word.toLowerCase(Locale.ROOT)) {
                case "auto" -> trusted ? ANY : AUTO;
                case "bwrap", "bubblewrap" -> BWRAP;
                case "uid" -> UID;
                case "none", "plain" -> NONE;
                default -> throw new IllegalArgumentException("--sandbox must be auto, bwrap, uid or none, not '"
                        + word + "'");
            };
        }
    }

    /** How to get bubblewrap, for messages. */
    static final String INSTALL = "apt-get install bubblewrap (Debian, Ubuntu), dnf install bubblewrap (Fedora)";

    private final Mechanism mechanism;
    private final HostTools tools;
    private final ChildRuntime runtime;
    private final Path harness;
    private final boolean slotUids;
    private final Optional<ChildArchive> archive;
    private final List<String> extraOptions;

    private Sandbox(Mechanism mechanism, HostTools tools, ChildRuntime runtime, Path harness, boolean slotUids) {
        this(mechanism, tools, runtime, harness, slotUids, Optional.empty(), List.of());
    }

    private Sandbox(Mechanism mechanism, HostTools tools, ChildRuntime runtime, Path harness, boolean slotUids,
            Optional<ChildArchive> archive, List<String> extraOptions) {
        this.mechanism = mechanism;
        this.tools = tools;
        this.runtime = runtime;
        this.harness = harness;
        this.slotUids = slotUids;
        this.archive = archive;
        this.extraOptions = extraOptions;
    }

    /** This sandbox with its children on the runtime's own class-data archive, not the harness's: for benchmarks. */
    public Sandbox withoutArchive() {
        return new Sandbox(mechanism, tools, runtime, harness, slotUids, Optional.empty(), extraOptions);
    }

    /** This sandbox with its children mapping {@code archive}. */
    Sandbox withArchive(ChildArchive archive) {
        return new Sandbox(mechanism, tools, runtime, harness, slotUids, Optional.of(archive), extraOptions);
    }

    /** This sandbox with {@code options} added to every child's JVM options: for benchmarks. */
    public Sandbox withJvmOptions(List<String> options) {
        return new Sandbox(mechanism, tools, runtime, harness, slotUids, archive, List.copyOf(options));
    }

    HostTools tools() {
        return tools;
    }

    ChildRuntime runtime() {
        return runtime;
    }

    Path harness() {
        return harness;
    }

    /** The class-data archive of the harness that children map, if there is one. */
    public Optional<Path> archive() {
        return archive.map(ChildArchive::archive);
    }

    /** The mechanism in use. */
    public Mechanism mechanism() {
        return mechanism;
    }

    /** True when each parallel slot runs under a uid of its own. */
    public boolean slotUids() {
        return slotUids;
    }

    /** The Java launcher children run, as the grader sees it. */
    public Path java() {
        return runtime.java();
    }

    /** One line saying what protects the grader, for the console and the provenance file. */
    public String description() {
        String limits = tools.prlimit().isPresent() ? "kernel limits on open files, file size, core dumps, CPU "
                + "time and address space" + (slotUids ? " and processes" : "")
                : "no kernel limits (prlimit not found)";
        String common = "; runtime: " + runtime.describe() + (archive.isPresent() ? " with a class-data archive of "
                + "the harness" : "") + ", no security manager; " + limits
                + "; threads, processes and memory watched by the grader";
        return switch (mechanism) {
            case BWRAP -> "bwrap: own mount, PID, network, IPC and UTS namespaces; sees only /usr, its runtime, "
                    + "its classes and a scratch folder" + (tools.bwrapOptions().contains("--size")
                            ? " (in memory, bounded)" : "") + "; no network" + (slotUids ? "; a uid of its own per slot"
                            : "") + common;
            case UID -> "uid: own mount, PID, network, IPC and UTS namespaces (unshare); sees only /usr, its "
                    + "runtime, its classes and a scratch folder (in memory, bounded); no network; a uid of its own "
                    + "per slot" + common;
            case PLAIN -> "plain child JVM: NOT isolated (reads and writes what the grader's user can, may use the "
                    + "network, may leave processes behind)" + common;
        };
    }

    /** A warning to print when the isolation is weaker than bubblewrap. */
    public Optional<String> warning() {
        return switch (mechanism) {
            case BWRAP -> Optional.empty();
            case UID -> Optional.of("WARNING: bubblewrap (bwrap) is not available: student code runs in namespaces "
                    + "built by the grader as root (--sandbox uid), which hide the same files, but with more of the "
                    + "grader's own code between the student and root. Install bubblewrap (" + INSTALL + ").");
            case PLAIN -> Optional.of("WARNING: NO SANDBOX. Student code runs as your user, can read and write your "
                    + "files (the reference, every expected value, other students' work), use the network and leave "
                    + "processes behind; only time, memory, threads and output are limited. Install bubblewrap ("
                    + INSTALL + ") before grading untrusted code.");
        };
    }

    /**
     * A child's command line.
     *
     * @param argv the program and its arguments
     * @param env the whole environment
     * @param directory its working folder
     */
    public record Command(List<String> argv, Map<String, String> env, Path directory) {}

    /**
     * The command that runs the harness on {@code classes} with {@code scratch} as its only writable folder. Under
     * the uid mechanism {@code scratch} (empty, and private to the grader) is where the child's view is mounted,
     * in the child's own mount namespace; its scratch folder is then in memory.
     *
     * @param probe when true the child only says hello (used to test a mechanism)
     */
    public Command command(Path classes, Path scratch, int slot, Limits limits, boolean probe) throws IOException {
        List<String> argv = new ArrayList<>();
        int uid = slotUids ? SlotUids.of(slot) : -1;
        tools.setpriv().ifPresent(s -> {
            argv.add(s.toString());
            if (slotUids && mechanism == Mechanism.BWRAP) {
                argv.addAll(List.of("--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs"));
            }
            // a child outlives a grader killed with SIGKILL unless the kernel kills it too
            argv.addAll(List.of("--pdeathsig", "KILL", "--"));
        });
        tools.prlimit().ifPresent(p -> {
            argv.addAll(List.of(p.toString(), "--nofile=" + limits.openFiles(), "--fsize=" + limits.fileBytes(),
                    "--core=0", "--cpu=" + limits.cpuSeconds(), "--as=" + (limits.addressSpaceMb() << 20)));
            if (slotUids) {
                argv.add("--nproc=" + limits.processes());
            }
            argv.add("--");
        });
        boolean viewed = mechanism != Mechanism.PLAIN;
        String sc = viewed ? View.SCRATCH : scratch.toString();
        View view = view(classes, limits);
        if (mechanism == Mechanism.BWRAP) {
            argv.addAll(List.of(tools.bwrap().orElseThrow().toString(), "--unshare-all", "--die-with-parent",
                    "--new-session", "--cap-drop", "ALL", "--clearenv"));
            childEnv(sc).forEach((k, v) -> argv.addAll(List.of("--setenv", k, v)));
            argv.addAll(view.bwrapArgs(tools.bwrapOptions().contains("--size"),
                    tools.bwrapOptions().contains("--remount-ro"), scratch));
            argv.add("--");
        } else if (mechanism == Mechanism.UID) {
            argv.addAll(List.of(tools.unshare().orElseThrow().toString(), "--mount", "--propagation", "private",
                    "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--", "/bin/sh", "-c",
                    view.script(tools.unshare().orElseThrow(), tools.setpriv().orElseThrow(), uid), "grader-view",
                    scratch.toString()));
        }
        argv.add(viewed && runtime.jlinked() ? View.RUNTIME + "/bin/java" : runtime.java().toString());
        argv.addAll(jvmOptions(limits, sc));
        String classPath = archive.map(ChildArchive::classPath).orElse(viewed ? View.HARNESS : harness.toString());
        argv.addAll(List.of("-cp", classPath, ChildMain.class.getName(),
                viewed ? View.CLASSES : classes.toString()));
        if (probe) {
            argv.add(ChildMain.PROBE);
        }
        return new Command(List.copyOf(argv), childEnv(sc), mechanism == Mechanism.PLAIN ? scratch : Path.of("/"));
    }

    /** The JVM's options: every pool of its memory bounded, no security manager, no internals. */
    private List<String> jvmOptions(Limits limits, String scratch) {
        List<String> o = new ArrayList<>(List.of("-Xmx" + limits.heapMb() + "m", "-Xms16m",
                "-Xss" + limits.stackKb() + "k", "-XX:MaxMetaspaceSize=" + Limits.METASPACE_MB + "m",
                "-XX:CompressedClassSpaceSize=" + Limits.CLASS_SPACE_MB + "m",
                "-XX:ReservedCodeCacheSize=" + Limits.CODE_CACHE_MB + "m",
                "-XX:MaxDirectMemorySize=" + Limits.DIRECT_MB + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-XX:+DisableAttachMechanism", "-Djava.security.manager=disallow",
                "-XX:ErrorFile=" + scratch + "/hs_err.log", "-Djava.io.tmpdir=" + scratch, "-Duser.home=" + scratch,
                "-Dfile.encoding=UTF-8", "-D" + CallGuard.PROPERTY + "=" + limits.perCall().toMillis() / 1000.0,
                // the JVM's own line for each thread the kernel refuses: a thread bomb is a breach of the thread
                // limit, which the monitor reports, not output of the student's
                "-Xlog:os+thread=off"));
        o.addAll(runtime.options());
        archive.ifPresent(a -> o.addAll(a.options()));
        o.addAll(extraOptions);
        return o;
    }

    /** The child's whole environment; one malloc arena keeps what the JVM maps small and predictable. */
    private static Map<String, String> childEnv(String scratch) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", scratch);
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", scratch);
        env.put("MALLOC_ARENA_MAX", "1");
        return env;
    }

    /** What the child sees under bubblewrap and the uid mechanism. */
    private View view(Path classes, Limits limits) {
        List<View.Entry> e = new ArrayList<>(systemEntries());
        if (runtime.jlinked()) {
            e.add(new View.Bind(runtime.home(), View.RUNTIME, false));
        } else {
            HostTools.jdkBinds(runtime.home()).forEach(b -> e.add(new View.Bind(b, b.toString(), false)));
        }
        e.add(new View.Bind(archive.map(ChildArchive::jar).orElse(harness), View.HARNESS, true));
        archive.ifPresent(a -> e.add(new View.Bind(a.archive(), ChildArchive.VIEW_ARCHIVE, true)));
        e.add(new View.Bind(classes, View.CLASSES, false));
        return new View(List.copyOf(e), scratchBytes(limits));
    }

    /** {@code /usr} and the links or folders at the top that lead into it ({@code /lib}, {@code /bin}, …). */
    private static List<View.Entry> systemEntries() {
        List<View.Entry> e = new ArrayList<>();
        e.add(new View.Bind(Path.of("/usr"), "/usr", false));
        for (String top : List.of("/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin")) {
            Path p = Path.of(top);
            if (Files.isSymbolicLink(p)) {
                try {
                    e.add(new View.Link(Files.readSymbolicLink(p).toString(), top));
                } catch (IOException ex) {
                    // not readable: leave it out
                }
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                e.add(new View.Bind(p, top, false));
            }
        }
        return e;
    }

    /**
     * The bubblewrap options that show a process the system read-only, as a child sees it, and the JDK's folders
     * outside {@code /usr}: shared with the compile process.
     */
    public static List<String> systemView(List<Path> jdkBinds) {
        List<String> a = new ArrayList<>();
        for (View.Entry e : systemEntries()) {
            if (e instanceof View.Bind b) {
                a.addAll(List.of("--ro-bind", b.from().toString(), b.to()));
            } else if (e instanceof View.Link l) {
                a.addAll(List.of("--symlink", l.target(), l.at()));
            }
        }
        for (Path b : jdkBinds) {
            a.addAll(List.of("--ro-bind", b.toString(), b.toString()));
        }
        return a;
    }

    /** The JDK itself when it is not under /usr, and the folders outside it that its symbolic links point to. */
    public static List<Path> jdkBinds(Path home) {
        return HostTools.jdkBinds(home);
    }

    /** The program {@code name} on the PATH or in the usual system folders, if there is one. */
    public static Optional<Path> which(String name) {
        return HostTools.which(name);
    }

    /** The size of the in-memory scratch folder: four times the largest file allowed. */
    static long scratchBytes(Limits limits) {
        return Math.max(1L << 20, 4 * limits.fileBytes());
    }

    /**
     * Makes a submission's files usable by its slot's uid where that uid opens them itself: only bubblewrap, run
     * under the slot's uid, does. The submission's folder is opened to that uid's group alone, so the uids of
     * other slots cannot pass through it; the classes inside are readable; the scratch folder is the slot's own.
     * Under the uid mechanism the grader mounts everything as root, and the folders stay private to it.
     */
    public void prepare(Path workRoot, Path submissionDir, Path classes, Path scratch, int slot) throws IOException {
        if (!slotUids || mechanism != Mechanism.BWRAP) {
            return;
        }
        int uid = SlotUids.of(slot);
        for (Path p = submissionDir.getParent(); p != null && p.startsWith(workRoot) && !p.equals(workRoot);
                p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Files.setAttribute(submissionDir, "unix:gid", uid);
        Files.setPosixFilePermissions(submissionDir, PosixFilePermissions.fromString("rwx--x---"));
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Files.setAttribute(scratch, "unix:uid", uid);
        Files.setAttribute(scratch, "unix:gid", uid);
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Waits, up to two seconds, until no process runs under the uid of {@code slot}: the threads of a child
     * killed a moment ago still count against the kernel's process limit of that uid, and would stop the next
     * child of the slot from starting. Nothing to do when children run as the grader's user.
     */
    void clearSlot(int slot) throws IOException {
        if (!slotUids) {
            return;
        }
        int uid = SlotUids.of(slot);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!ChildMonitor.processesOf(uid).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- detection

    /**
     * Finds the strongest mechanism allowed by {@code choice} that actually runs a child here (each candidate is
     * tried with a probe child), and sets the permissions of {@code workRoot} and {@code harness} it needs.
     *
     * @param log told why a stronger mechanism was passed over
     * @throws IOException when the mechanism asked for does not work here, with what to do about it
     */
    public static Sandbox detect(Choice choice, Path harness, Path workRoot, Limits limits,
            Consumer<String> log) throws IOException {
        HostTools tools = HostTools.find();
        return detect(choice, tools, ChildRuntime.of(tools.javaHome(), log), harness, workRoot, limits, log);
    }

    /**
     * As {@link #detect(Choice, Path, Path, Limits, Consumer)}, with children on {@code runtime}; on the JDK limited
     * to {@code java.base} if nothing runs on a jlinked image (it lives in the temporary folder, which some hosts
     * mount noexec).
     */
    static Sandbox detect(Choice choice, HostTools tools, ChildRuntime runtime, Path harness, Path workRoot,
            Limits limits, Consumer<String> log) throws IOException {
        try {
            return archived(strongest(choice, tools, runtime, harness, workRoot, limits, log), workRoot, limits, log);
        } catch (IOException e) {
            if (!runtime.jlinked()) {
                throw e;
            }
            log.accept("note: children run on the JDK with --limit-modules java.base, since nothing ran on the image "
                    + "in " + runtime.home() + " (" + e.getMessage() + ")");
            return strongest(choice, tools, ChildRuntime.limited(tools.javaHome()), harness, workRoot, limits, log);
        }
    }

    /**
     * {@code sb} with its children mapping the class-data archive of the harness, made now if it is not cached,
     * where one can be made and a probe child runs with it; else {@code sb}, with a note.
     */
    private static Sandbox archived(Sandbox sb, Path workRoot, Limits limits, Consumer<String> log) {
        if (Boolean.getBoolean("grader.child.noArchive")) {
            return sb;
        }
        Optional<ChildArchive> a = ChildArchive.of(sb.tools, sb.runtime, sb.harness, sb.mechanism != Mechanism.PLAIN,
                log);
        if (a.isEmpty()) {
            return sb;
        }
        Sandbox with = sb.withArchive(a.get());
        Optional<String> failure = with.probe(workRoot, sb.harness, limits);
        if (failure.isPresent()) {
            log.accept("note: children start without the class-data archive " + a.get().archive() + ", since a child "
                    + "did not run with it (" + failure.get() + ")");
            return sb;
        }
        return with;
    }

    private static Sandbox strongest(Choice choice, HostTools tools, ChildRuntime runtime, Path harness,
            Path workRoot, Limits limits, Consumer<String> log) throws IOException {
        List<Mechanism> candidates = switch (choice) {
            case AUTO, BWRAP -> List.of(Mechanism.BWRAP);
            case ANY -> List.of(Mechanism.BWRAP, Mechanism.UID, Mechanism.PLAIN);
            case UID -> List.of(Mechanism.UID);
            case NONE -> List.of(Mechanism.PLAIN);
        };
        List<String> why = new ArrayList<>();
        for (Mechanism m : candidates) {
            Optional<String> missing = missing(m, tools);
            if (missing.isPresent()) {
                why.add(m.word() + ": " + missing.get());
                continue;
            }
            boolean slotUids = tools.root() && m != Mechanism.PLAIN;
            List<Sandbox> variants = new ArrayList<>(List.of(new Sandbox(m, tools, runtime, harness, slotUids)));
            if (m == Mechanism.BWRAP && slotUids) {
                // hosts that refuse bubblewrap under a separate uid (containers, mostly)
                variants.add(new Sandbox(m, tools, runtime, harness, false));
            }
            Optional<String> firstFailure = Optional.empty();
            for (Sandbox sb : variants) {
                Optional<String> failure = sb.probe(workRoot, harness, limits);
                if (failure.isEmpty()) {
                    why.forEach(w -> log.accept("note: not using " + w));
                    firstFailure.ifPresent(f -> log.accept("note: bwrap does not work under a separate uid here ("
                            + f + ")"));
                    return sb;
                }
                firstFailure = firstFailure.or(() -> failure);
            }
            why.add(m.word() + ": " + firstFailure.orElseThrow());
        }
        String reasons = String.join("; ", why);
        throw new IOException(switch (choice) {
            case AUTO -> "bubblewrap, the sandbox for student code, does not work here (" + reasons + "). Install "
                    + "it (" + INSTALL + "), or name a weaker mechanism: --sandbox uid (as root: namespaces without "
                    + "bubblewrap) or --sandbox none (no isolation at all)";
            default -> "no usable sandbox: " + reasons;
        });
    }

    private static Optional<String> missing(Mechanism m, HostTools tools) {
        return switch (m) {
            case BWRAP -> tools.bwrap().isEmpty() ? Optional.of("bwrap is not installed") : Optional.empty();
            case UID -> !tools.root() ? Optional.of("it needs the grader to run as root")
                    : tools.setpriv().isEmpty() ? Optional.of("setpriv is not installed")
                    : tools.unshare().isEmpty() ? Optional.of("unshare is not installed")
                    : !tools.setpriv().get().startsWith("/usr") ? Optional.of("setpriv is not under /usr")
                    : Optional.empty();
            case PLAIN -> Optional.empty();
        };
    }

    private Optional<String> probe(Path workRoot, Path harness, Limits limits) {
        try {
            // bubblewrap under a slot's uid opens the work folder itself; everything else leaves it the grader's
            boolean shared = mechanism == Mechanism.BWRAP && slotUids;
            String folders = shared ? "rwx--x--x" : "rwx------";
            Files.setPosixFilePermissions(workRoot, PosixFilePermissions.fromString(folders));
            Files.setPosixFilePermissions(harness.getParent(), PosixFilePermissions.fromString(folders));
            Files.setPosixFilePermissions(harness, PosixFilePermissions.fromString("rw-r--r--"));
            Path dir = Files.createTempDirectory(workRoot, "probe-");
            Path classes = Files.createDirectories(dir.resolve("classes"));
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            prepare(workRoot, dir, classes, scratch, 0);
            ChildResult r = ChildRun.run(this, classes, scratch, 0, limits.withWall(Duration.ofSeconds(30)),
                    new Codec.Job(nonce(), "probe", limits.threads(), List.of(), List.of()), true);
            if (r.hello() && r.done()) {
                return Optional.empty();
            }
            String err = r.fault().map(ChildResult.Fault::message)
                    .orElse((r.stderrHead() + " " + r.stdoutHead()).strip().lines().findFirst().orElse(""));
            return Optional.of("the probe child did not answer (" + (r.ending() == ChildResult.Ending.EXITED
                    ? "exit code " + r.exitCode() : "stopped: " + r.ending().name().toLowerCase(Locale.ROOT))
                    + ")" + (err.isEmpty() ? "" : ": " + err));
        } catch (IOException | RuntimeException e) {
            return Optional.of("the probe failed: " + e.getMessage());
        }
    }

    /** A fresh frame nonce. */
    public static byte[] nonce() {
        byte[] n = new byte[Frames.NONCE_BYTES];
        new SecureRandom().nextBytes(n);
        return n;
    }
}
