package backprop.grader.compile;

import backprop.grader.sandbox.ChildRun;
import backprop.grader.sandbox.Frames;
import backprop.grader.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The grader's side of one compile process ({@link CompileServer}): starts it, sends it one submission at a time,
 * reads its answer, and kills it with SIGKILL when it takes longer than the limit. A process that was killed,
 * died, or ran out of memory is not used again.
 */
final class CompilerProcess {
    /** The exit code of a JVM ended by {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int OUT_OF_MEMORY_EXIT = 3;
    /** The exit code of a process killed by SIGXCPU, its CPU-time limit. */
    static final int CPU_LIMIT_EXIT = 128 + 24;
    private static final int KEEP = 4096;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "compile-timer");
        t.setDaemon(true);
        return t;
    });

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildRun::killTree), "kill-compilers"));
    }

    /** Why a compilation gave no answer. */
    enum Why { TIME, MEMORY, CPU, DIED }

    /** A compilation that ended without an answer; the process is gone. */
    static final class Stopped extends Exception {
        private static final long serialVersionUID = 1L;
        private final Why why;

        Stopped(Why why, String detail) {
            super(detail);
            this.why = why;
        }

        Why why() {
            return why;
        }
    }

    private final Process process;
    private final byte[] nonce;
    /** Frames from the process, then an empty value when its output ends. */
    private final BlockingQueue<Optional<byte[]>> frames = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private volatile boolean usable = true;
    private int compiles;
    private long busyNanos;

    private CompilerProcess(Process process, byte[] nonce) {
        this.process = process;
        this.nonce = nonce;
    }

    /**
     * Starts a compile process and waits for its hello.
     *
     * @throws IOException when it cannot be started or does not say hello within {@code startLimit}
     */
    static CompilerProcess start(Launcher.Command cmd, Duration startLimit) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd.argv()).directory(cmd.directory().toFile());
        pb.environment().clear();
        pb.environment().putAll(cmd.env());
        Process p = pb.start();
        LIVE.add(p);
        CompilerProcess c = new CompilerProcess(p, Sandbox.nonce());
        c.listen();
        try {
            OutputStream in = p.getOutputStream();
            in.write(c.nonce);
            in.flush();
            Optional<byte[]> hello = c.frames.poll(startLimit.toMillis(), TimeUnit.MILLISECONDS);
            if (hello == null || hello.isEmpty() || Wire.type(hello.get()) != Wire.HELLO) {
                c.kill();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("the compile process did not start" + (hello == null ? " within "
                        + startLimit.toSeconds() + " s" : "") + c.stderrLine().map(l -> ": " + l).orElse(""));
            }
        } catch (IOException e) {
            c.kill();
            throw e;
        } catch (InterruptedException e) {
            c.kill();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return c;
    }

    private void listen() {
        Frames.Scanner scanner = new Frames.Scanner(nonce, payload -> frames.add(Optional.of(payload)));
        daemon("compiler-stdout", () -> {
            try (InputStream s = process.getInputStream()) {
                byte[] b = new byte[1 << 16];
                int n;
                while ((n = s.read(b)) > 0) {
                    scanner.feed(b, 0, n);
                }
            } catch (IOException e) {
                // closed when the process was killed
            }
            frames.add(Optional.empty());
        });
        daemon("compiler-stderr", () -> {
            try (InputStream s = process.getErrorStream()) {
                byte[] b = new byte[8192];
                int n;
                while ((n = s.read(b)) > 0) {
                    synchronized (stderr) {
                        if (stderr.length() < KEEP) {
                            int keep = Math.min(n, KEEP - stderr.length());
                            stderr.append(new String(b, 0, keep, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // closed when the process was killed
            }
        });
    }

    /**
     * Compiles {@code sources}, killing the process when it takes longer than {@code limit}.
     *
     * @throws Stopped when no answer came: the time limit, memory, or the process died
     */
    Javac.Result compile(SourceFiles sources, Duration limit) throws Stopped, InterruptedException {
        long t0 = System.nanoTime();
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> killer = TIMER.schedule(() -> {
            late.set(true);
            kill();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        Optional<byte[]> answer;
        int id = compiles;
        try {
            try {
                OutputStream in = process.getOutputStream();
                in.write(Frames.frame(nonce, Wire.request(id, sources)));
                in.flush();
            } catch (IOException e) {
                // it died before reading everything: its end, read below, says why
            }
            // the killer closes the output at the limit; the margin only guards against a descendant holding it
            answer = frames.poll(limit.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } finally {
            killer.cancel(false);
            compiles++;
            busyNanos += System.nanoTime() - t0;
        }
        if (answer != null && answer.isPresent()) {
            try {
                Javac.Result r = Wire.readAnswer(answer.get(), id);
                if (r.status() == Javac.Status.MEMORY) {
                    usable = false; // it ends itself
                }
                return r;
            } catch (IOException e) {
                kill();
                throw new Stopped(Why.DIED, "an unreadable answer (" + e.getMessage() + ")");
            }
        }
        kill();
        process.waitFor(5, TimeUnit.SECONDS);
        if (late.get() || answer == null) {
            throw new Stopped(Why.TIME, "");
        }
        return ended();
    }

    /** Why the process ended during a compilation, from its exit code and what it printed. */
    private Javac.Result ended() throws Stopped {
        String err;
        synchronized (stderr) {
            err = stderr.toString();
        }
        int code = process.isAlive() ? -1 : process.exitValue();
        if (code == OUT_OF_MEMORY_EXIT || err.contains("OutOfMemoryError") || err.contains("insufficient memory")
                || err.contains("Cannot allocate memory") || err.contains("Native memory allocation")) {
            throw new Stopped(Why.MEMORY, "");
        }
        if (code == CPU_LIMIT_EXIT) {
            throw new Stopped(Why.CPU, "");
        }
        throw new Stopped(Why.DIED, "exit code " + code + stderrLine().map(l -> ": " + l).orElse(""));
    }

    private Optional<String> stderrLine() {
        synchronized (stderr) {
            return stderr.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .map(SourceFiles::printable);
        }
    }

    /** False once the process was killed, died, or ended itself. */
    boolean usable() {
        return usable && process.isAlive();
    }

    /** Compilations done. */
    int compiles() {
        return compiles;
    }

    /** Wall time spent compiling, in nanoseconds. */
    long busyNanos() {
        return busyNanos;
    }

    /** Kills the process (and anything it started) with SIGKILL. */
    void kill() {
        usable = false;
        ChildRun.killTree(process);
        LIVE.remove(process);
    }

    /** Asks the process to end by closing its input, and kills it if it does not. */
    void close() {
        usable = false;
        try {
            process.getOutputStream().close();
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
