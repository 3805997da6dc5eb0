package backprop.grader.compile;

import backprop.grader.files.FileTrees;
import backprop.grader.sandbox.HarnessJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Warm compile processes, one for every few parallel jobs, each compiling one submission at a time and reused for
 * the next, so the JVM's start and javac's warm-up are paid once per process, not per student. A process that
 * passes a limit is killed and a fresh one started in the background; one that has worked long is replaced
 * before its CPU-time limit. Whatever a submission's sources do to the compiler ends as a {@link CompileException} for that
 * submission; only a compile process that cannot be started at all is the grader's failure.
 */
public final class Compilers implements AutoCloseable {
    /**
     * What one compilation may use.
     *
     * @param time wall time for one submission
     * @param heapMb the compile process's Java heap, in MiB
     */
    public record Limits(Duration time, int heapMb) {
        /** The defaults: a minute and 512 MiB. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 512);

        /** The same limits with another time. */
        public Limits withTime(Duration t) {
            return new Limits(t, heapMb);
        }
    }

    /** Parallel jobs one compile process serves. */
    static final int JOBS_PER_PROCESS = 4;

    /**
     * How many compile processes {@code jobs} parallel jobs need: one for every {@link #JOBS_PER_PROCESS}. A warm
     * compilation takes a fraction of what running a submission takes, so a job rarely waits for a compile
     * process, and each process more is a JVM's memory and javac's warm-up paid again on the same cores.
     */
    public static int processesFor(int jobs) {
        return Math.max(1, (jobs + JOBS_PER_PROCESS - 1) / JOBS_PER_PROCESS);
    }

    /** Compilations before a process is replaced anyway, so nothing javac keeps can pile up. */
    static final int MAX_COMPILES = 2_000;
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final Limits limits;
    private final Launcher launcher;
    private final Launcher.Isolation isolation;
    private final Path dir;
    private final boolean ownDir;
    private final BlockingQueue<Slot> idle;
    /** Compile processes started so far. */
    private final AtomicInteger started = new AtomicInteger(1);
    private final List<Slot> slots = new ArrayList<>();
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "compiler-start");
        t.setDaemon(true);
        return t;
    });

    /** One process's place in the pool; its process may still be starting. */
    private static final class Slot {
        CompletableFuture<CompilerProcess> process;
    }

    private Compilers(Limits limits, Launcher launcher, Launcher.Isolation isolation, Path dir, boolean ownDir,
            int size) {
        this.limits = limits;
        this.launcher = launcher;
        this.isolation = isolation;
        this.dir = dir;
        this.ownDir = ownDir;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * Starts {@code size} compile processes, under bubblewrap when it works here. The first is started at once
     * (it tells whether bubblewrap works); the others start in the background.
     *
     * @param work a folder of the grader's own for the processes' jar and logs, or null for a temporary one
     *     deleted at {@link #close()}
     * @param log told which isolation is used, and why a stronger one was passed over
     * @throws IOException when no compile process can be started
     */
    public static Compilers start(int size, Limits limits, Path work, Consumer<String> log) throws IOException {
        boolean own = work == null;
        Path dir = own ? Files.createTempDirectory("grader-compiler")
                : Files.createDirectories(work.resolve("compiler"));
        try {
            Path jar = HarnessJar.write(dir.resolve("compiler.jar"), CompileServer.class);
            Path contracts = Files.copy(ContractsJar.get(), dir.resolve("contracts.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            Launcher launcher = new Launcher(jar, contracts, dir, limits);
            Launcher.Isolation iso = Launcher.Isolation.PLAIN;
            CompilerProcess first = null;
            if (launcher.hasBwrap()) {
                try {
                    first = CompilerProcess.start(launcher.command(Launcher.Isolation.BWRAP), START_LIMIT);
                    iso = Launcher.Isolation.BWRAP;
                } catch (IOException e) {
                    log.accept("note: the compile process runs without bubblewrap, which does not work here ("
                            + e.getMessage() + ")");
                }
            }
            if (first == null) {
                first = CompilerProcess.start(launcher.command(Launcher.Isolation.PLAIN), START_LIMIT);
            }
            Compilers c = new Compilers(limits, launcher, iso, dir, own, Math.max(1, size));
            for (int i = 0; i < Math.max(1, size); i++) {
                Slot s = new Slot();
                s.process = i == 0 ? CompletableFuture.completedFuture(first) : c.startAsync();
                c.slots.add(s);
                c.idle.add(s);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            if (own) {
                FileTrees.delete(dir);
            }
            throw e;
        }
    }

    private CompletableFuture<CompilerProcess> startAsync() {
        started.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CompilerProcess.start(launcher.command(isolation), START_LIMIT);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, starter);
    }

    /** One line for the console and the provenance: isolation and limits. */
    public String description() {
        return launcher.describe(isolation);
    }

    /** How many compile processes were started: the pool's size, and one more for each replaced. */
    int started() {
        return started.get();
    }

    /** The limits of one compilation. */
    public Limits limits() {
        return limits;
    }

    /**
     * Compiles {@code sources} in a compile process and writes the classes under {@code classes}.
     *
     * @throws CompileException when the sources do not compile, or the compiler passed a limit on them
     * @throws IOException when no compile process can be started, or the classes cannot be written
     */
    public void compile(SourceFiles sources, Path classes) throws CompileException, IOException,
            InterruptedException {
        Javac.Result r = null;
        for (int attempt = 0; r == null; attempt++) {
            try {
                r = once(sources);
            } catch (CompilerProcess.Stopped e) {
                // a process that died for no reason the sources explain gets one more chance on a fresh process
                if (e.why() != CompilerProcess.Why.DIED || attempt > 0) {
                    throw CompileException.of(reason(e));
                }
            }
        }
        finish(r, classes, memory());
    }

    /**
     * Compiles {@code sources} in this JVM and writes the classes under {@code classes}: for the grader's own
     * sources (the reference, test fixtures), never a submission's.
     */
    public static void compileHere(SourceFiles sources, Path classes) throws CompileException, IOException {
        finish(Javac.compile(sources, ContractsJar.get()), classes, "the compiler ran out of memory");
    }

    private static void finish(Javac.Result r, Path classes, String memory) throws CompileException, IOException {
        switch (r.status()) {
            case COMPILED -> Javac.write(r.classes(), classes);
            case ERRORS -> throw CompileException.errors(r.errors().stream().map(Javac.Error::text).toList(),
                    r.errorCount(), r.errorCount() >= Javac.MAX_REPORTED);
            case MEMORY -> throw CompileException.of(memory);
            case STACK -> throw CompileException.of("the compiler ran out of stack on these sources (an expression "
                    + "or a nesting too deep?)");
            case TOO_BIG -> throw CompileException.of("the compiled classes would be larger than "
                    + (Javac.MAX_CLASS_BYTES >> 20) + " MiB");
            case CRASHED -> throw CompileException.of("the compiler failed on these sources: "
                    + SourceFiles.printable(r.detail()));
            default -> throw new IllegalStateException(r.status().toString());
        }
    }

    private Javac.Result once(SourceFiles sources) throws CompilerProcess.Stopped, IOException,
            InterruptedException {
        Slot slot = idle.take();
        CompilerProcess p = null;
        try {
            p = slot.process.join();
            return p.compile(sources, limits.time());
        } catch (CompletionException e) {
            throw new IOException("cannot start a compile process: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | RuntimeException e) {
            if (p != null) {
                p.kill(); // it may still be compiling: its answer must never be taken for the next request's
            }
            throw e;
        } finally {
            boolean worn = p != null && (p.compiles() >= MAX_COMPILES
                    || p.busyNanos() / 1e9 > launcher.cpuSeconds() / 4.0);
            if (p == null || !p.usable() || worn) {
                if (p != null) {
                    p.close();
                }
                slot.process = startAsync();
            }
            idle.add(slot);
        }
    }

    private String memory() {
        return "the compiler ran out of its " + limits.heapMb() + " MiB on these sources";
    }

    private String reason(CompilerProcess.Stopped e) {
        return switch (e.why()) {
            case TIME -> "the compiler took longer than " + seconds(limits.time()) + " on these sources";
            case MEMORY -> memory();
            case CPU -> "the compiler used more than its CPU time on these sources";
            case DIED -> "the compiler process died on these sources (" + e.getMessage() + ")";
        };
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return (s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f", s) : String.format(Locale.ROOT, "%.1f", s))
                + " s";
    }

    /** Ends every compile process. */
    @Override
    public void close() {
        for (Slot s : slots) {
            // a process still starting is closed when it is up, or killed by the interrupt below
            s.process.thenAccept(CompilerProcess::close);
        }
        starter.shutdownNow();
        if (ownDir) {
            FileTrees.delete(dir);
        }
    }
}
