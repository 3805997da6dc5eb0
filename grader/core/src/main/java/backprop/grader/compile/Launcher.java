package backprop.grader.compile;

import backprop.grader.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of a compile process: the JVM's own bounds (heap, metaspace, code cache, exit on the first
 * {@link OutOfMemoryError}), the kernel's ({@code prlimit}: address space, CPU time, open files, file size, no core
 * dump), and, where bubblewrap works, a view of the system that holds only the JDK, the compile process's jar
 * and the contracts, with no network and nothing of the grader, the reference or other submissions. javac runs
 * no student code, so bubblewrap here is defence in depth; it costs a few milliseconds once per process.
 */
final class Launcher {
    /** How the compile process is isolated. */
    enum Isolation { BWRAP, PLAIN }

    /**
     * A command to start.
     *
     * @param argv the program and its arguments
     * @param env the whole environment
     * @param directory its working folder
     */
    record Command(List<String> argv, Map<String, String> env, Path directory) {}

    /** Address space beyond the heap: class space, code cache, thread stacks, malloc arenas, the JDK's mappings. */
    static final long NATIVE_MB = 1024;
    private static final String VIEW = "/grader";

    private final Path java;
    private final Path jar;
    private final Path contracts;
    private final Path dir;
    private final Compilers.Limits limits;
    private final Optional<Path> prlimit;
    private final Optional<Path> bwrap;
    private final List<Path> jdkBinds;

    /**
     * A launcher for compile processes that run {@code jar} and compile against {@code contracts}.
     *
     * @param dir the processes' own folder outside bubblewrap (error logs)
     */
    Launcher(Path jar, Path contracts, Path dir, Compilers.Limits limits) throws IOException {
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        this.java = home.resolve("bin/java");
        this.jar = jar;
        this.contracts = contracts;
        this.dir = dir;
        this.limits = limits;
        this.prlimit = linux ? Sandbox.which("prlimit") : Optional.empty();
        this.bwrap = linux ? Sandbox.which("bwrap") : Optional.empty();
        this.jdkBinds = Sandbox.jdkBinds(home);
    }

    /** True when bubblewrap is installed (whether it works here is found by starting a process). */
    boolean hasBwrap() {
        return bwrap.isPresent();
    }

    /** True when the kernel's limits apply. */
    boolean hasPrlimit() {
        return prlimit.isPresent();
    }

    /** The CPU seconds a compile process may use in its whole life; it is replaced well before. */
    long cpuSeconds() {
        return Math.max(600, 10 * limits.time().toSeconds());
    }

    /** The command for a compile process isolated by {@code isolation}. */
    Command command(Isolation isolation) {
        List<String> argv = new ArrayList<>();
        prlimit.ifPresent(p -> argv.addAll(List.of(p.toString(),
                "--as=" + ((limits.heapMb() + NATIVE_MB) << 20), "--cpu=" + cpuSeconds(), "--nofile=1024",
                "--fsize=" + (16L << 20), "--core=0", "--")));
        boolean box = isolation == Isolation.BWRAP;
        String tmp = box ? "/tmp" : dir.toString();
        if (box) {
            argv.addAll(List.of(bwrap.orElseThrow().toString(), "--unshare-all", "--die-with-parent",
                    "--new-session", "--cap-drop", "ALL", "--clearenv"));
            env().forEach((k, v) -> argv.addAll(List.of("--setenv", k, v)));
            argv.addAll(Sandbox.systemView(jdkBinds));
            argv.addAll(List.of("--ro-bind", jar.toString(), VIEW + "/compiler.jar",
                    "--ro-bind", contracts.toString(), VIEW + "/contracts.jar",
                    "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc", "--chdir", "/tmp", "--"));
        }
        argv.add(java.toString());
        // C1 alone, as the grader itself runs: C2 compiling javac's hot paths costs more CPU than it saves over a
        // class's worth of submissions on a machine whose cores also run the children (measured: 2-3 times
        // slower warm compiles with full tiering over the first few dozen)
        argv.addAll(List.of("-Xmx" + limits.heapMb() + "m", "-Xms" + Math.min(128, limits.heapMb()) + "m",
                "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=128m", "-XX:CompressedClassSpaceSize=64m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-XX:+DisableAttachMechanism",
                "-XX:+DisplayVMOutputToStderr", "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + tmp + "/hs_err_%p.log",
                "-Djava.io.tmpdir=" + tmp, "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true",
                "-cp", box ? VIEW + "/compiler.jar" : jar.toString(), CompileServer.class.getName(),
                box ? VIEW + "/contracts.jar" : contracts.toString()));
        Map<String, String> env = new LinkedHashMap<>(env());
        if (!box) {
            env.put("HOME", tmp);
        }
        return new Command(List.copyOf(argv), env, box ? Path.of("/") : dir);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", "/tmp");
        env.put("LANG", "C.UTF-8");
        // fewer malloc arenas: each reserves 64 MiB of address space, which the address-space limit counts
        env.put("MALLOC_ARENA_MAX", "2");
        return env;
    }

    /** One line for the console and the provenance. */
    String describe(Isolation isolation) {
        return (isolation == Isolation.BWRAP ? "bwrap (no network; sees only the JDK and the contracts)"
                : "a plain process") + ", heap " + limits.heapMb() + " MiB, " + limits.time().toSeconds() + " s a "
                + "submission" + (prlimit.isPresent() ? ", address space " + (limits.heapMb() + NATIVE_MB) + " MiB"
                : "");
    }
}
