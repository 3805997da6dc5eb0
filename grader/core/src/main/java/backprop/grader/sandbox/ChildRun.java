package backprop.grader.sandbox;

import backprop.grader.run.Trace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one child JVM to the end: sends its job on stdin, drains stdout (frames and stray output) and stderr on
 * threads of their own with a cap, watches its processes, threads and memory from here ({@link ChildMonitor}),
 * and kills the whole process tree with SIGKILL at the wall-time limit, when the output cap is passed, or when
 * the monitor sees a limit broken.
 */
public final class ChildRun {
    private static final int KEEP = 8192;
    /** Children running now: killed if the grader is stopped (Ctrl-C, SIGTERM). */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildRun::killTree), "kill-children"));
    }

    private final Limits limits;
    private final byte[] nonce;
    private final AtomicLong output = new AtomicLong();
    private volatile boolean flooded;
    private final List<Trace> traces = new ArrayList<>();
    private boolean hello;
    private boolean done;
    private ChildResult.Fault fault;
    private Integer exitedDuring;
    private String protocolProblem;

    private final FrameClock clock;

    private ChildRun(Limits limits, byte[] nonce, FrameClock clock) {
        this.limits = limits;
        this.nonce = nonce;
        this.clock = clock;
    }

    /** Told when the child starts, when each of its frames arrives and when it has ended, for a profile. */
    public interface FrameClock {
        /** Tells nothing. */
        FrameClock NONE = new FrameClock() {
            @Override
            public void started(long nanos) {}

            @Override
            public void arrived(byte type, int index, long nanos) {}

            @Override
            public void ended(long nanos) {}
        };

        /** The process is about to start, at {@code nanos} ({@link System#nanoTime}). */
        void started(long nanos);

        /** A frame of {@code type} arrived; {@code index} is a trace's assignment, else -1. */
        void arrived(byte type, int index, long nanos);

        /** The process has ended and its output is read. */
        void ended(long nanos);
    }

    /**
     * Runs the harness on {@code classes} under {@code sandbox} in slot {@code slot} and returns what came back.
     *
     * @throws IOException when the child cannot be started at all
     */
    public static ChildResult run(Sandbox sandbox, Path classes, Path scratch, int slot, Limits limits, Codec.Job job,
            boolean probe) throws IOException {
        return run(sandbox, classes, scratch, slot, limits, job, probe, FrameClock.NONE);
    }

    /** As {@link #run(Sandbox, Path, Path, int, Limits, Codec.Job, boolean)}, telling {@code clock} the times. */
    public static ChildResult run(Sandbox sandbox, Path classes, Path scratch, int slot, Limits limits, Codec.Job job,
            boolean probe, FrameClock clock) throws IOException {
        ChildResult r = new ChildRun(limits, job.nonce(), clock).go(sandbox.command(classes, scratch, slot, limits, probe), job);
        if (r.ending() != ChildResult.Ending.EXITED) {
            sandbox.clearSlot(slot); // killed: its threads take a moment to go, and count against the slot's limit
        }
        return r;
    }

    private ChildResult go(Sandbox.Command cmd, Codec.Job job) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd.argv()).directory(cmd.directory().toFile());
        pb.environment().clear();
        pb.environment().putAll(cmd.env());
        long t0 = System.nanoTime();
        clock.started(t0);
        Process p = pb.start();
        LIVE.add(p);
        if (Shutdown.inProgress()) {
            killTree(p); // the hook that kills children may have run already: this one must not outlive the grader
        }
        try {
            return collect(p, job, t0);
        } finally {
            LIVE.remove(p);
        }
    }

    private ChildResult collect(Process p, Codec.Job job, long t0) throws IOException {
        Frames.Scanner scanner = new Frames.Scanner(nonce, this::onFrame);
        Thread in = daemon("child-stdin", () -> {
            try (OutputStream os = p.getOutputStream()) {
                Codec.writeJob(os, job);
            } catch (IOException e) {
                // the child died before reading its job: its exit tells why
            }
        });
        Thread out = daemon("child-stdout", () -> drain(p.getInputStream(), (b, n) -> {
            long stray;
            synchronized (this) {
                long before = scanner.strayBytes();
                scanner.feed(b, 0, n);
                stray = scanner.strayBytes() - before;
            }
            counted(stray);
        }));
        Tail err = new Tail();
        Thread errT = daemon("child-stderr", () -> drain(p.getErrorStream(), (b, n) -> {
            err.add(b, n);
            counted(n);
        }));
        long deadline = t0 + limits.wall().toNanos();
        ChildResult.Ending ending = ChildResult.Ending.EXITED;
        ChildMonitor monitor = new ChildMonitor(p.toHandle(), limits);
        Optional<ChildMonitor.Breach> breach = Optional.empty();
        try {
            while (true) {
                if (p.waitFor(ChildMonitor.LOOK_MS, TimeUnit.MILLISECONDS)) {
                    break;
                }
                // a broken limit first: it is often the cause of the rest (the JVM warns at every thread the
                // kernel refuses, which floods the output)
                breach = monitor.look();
                if (breach.isPresent()) {
                    ending = ChildResult.Ending.LIMIT;
                    break;
                }
                if (flooded) {
                    ending = ChildResult.Ending.OUTPUT_FLOOD;
                    break;
                }
                if (System.nanoTime() > deadline) {
                    ending = ChildResult.Ending.TIMEOUT;
                    break;
                }
            }
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        killTree(p); // at a limit; or, when it ended by itself, anything it left behind
        try {
            p.waitFor(5, TimeUnit.SECONDS);
            out.join(10_000);
            errT.join(2000);
            in.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long end = System.nanoTime();
        clock.ended(end);
        Duration elapsed = Duration.ofNanos(end - t0);
        synchronized (this) {
            scanner.finish();
            if (flooded && ending == ChildResult.Ending.EXITED && !done) {
                ending = ChildResult.Ending.OUTPUT_FLOOD;
            }
            // what the grader saw outranks any fault the child reported of itself
            breach.ifPresent(b -> fault = new ChildResult.Fault(traces.size(), b.kind(), b.message()));
            int code = ending == ChildResult.Ending.EXITED && !p.isAlive() ? p.exitValue() : -1;
            return new ChildResult(hello, List.copyOf(traces), done, Optional.ofNullable(fault),
                    exitedDuring == null ? OptionalInt.empty() : OptionalInt.of(exitedDuring), ending, code,
                    output.get(), Optional.ofNullable(protocolProblem).or(scanner::problem), err.head(), err.tail(),
                    new String(scanner.strayHead(), StandardCharsets.UTF_8), elapsed);
        }
    }

    private void counted(long n) {
        if (output.addAndGet(n) > limits.outputBytes()) {
            flooded = true;
        }
    }

    private synchronized void onFrame(byte[] payload) {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        try {
            DataInputStream d = new DataInputStream(new ByteArrayInputStream(payload));
            byte type = d.readByte();
            switch (type) {
                case Frames.HELLO -> {
                    hello = true;
                    clock.arrived(type, -1, now);
                }
                case Frames.TRACE -> {
                    int index = d.readInt();
                    if (index != traces.size()) {
                        throw new IOException("trace of assignment " + index + " where " + traces.size()
                                + " was expected");
                    }
                    traces.add(Codec.readTrace(d));
                    clock.arrived(type, index, now);
                    if (d.available() != 0) {
                        throw new IOException("trailing bytes after a trace");
                    }
                }
                case Frames.FAULT -> fault = new ChildResult.Fault(d.readInt(), d.readByte(), Codec.str(d));
                case Frames.EXIT -> exitedDuring = d.readInt();
                case Frames.DONE -> done = true;
                default -> throw new IOException("unknown frame type " + type);
            }
        } catch (IOException | RuntimeException e) {
            if (protocolProblem == null) {
                protocolProblem = "an unreadable result frame (" + e.getMessage() + ")";
            }
        }
    }

    /**
     * Kills a process and every descendant with SIGKILL, again while new ones appear. Signals go through process
     * handles, which (unlike {@link Process#destroyForcibly}) leave the pipes open, so the frames already
     * written are still read.
     */
    public static void killTree(Process p) {
        ProcessHandle h = p.toHandle();
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> kids = h.descendants().toList();
            h.destroyForcibly();
            kids.forEach(ProcessHandle::destroyForcibly);
            if (kids.stream().noneMatch(ProcessHandle::isAlive) && h.descendants().findAny().isEmpty()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private interface Sink {
        void accept(byte[] b, int n);
    }

    private static void drain(InputStream s, Sink sink) {
        byte[] b = new byte[16384];
        try (s) {
            int n;
            while ((n = s.read(b)) > 0) {
                sink.accept(b, n);
            }
        } catch (IOException e) {
            // the stream closed under us when the process was killed
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first and last few KiB of a stream. */
    private static final class Tail {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private byte[] tail = new byte[0];

        synchronized void add(byte[] b, int n) {
            int h = Math.min(n, KEEP - head.size());
            if (h > 0) {
                head.write(b, 0, h);
            }
            if (h < n) {
                byte[] joined = Arrays.copyOf(tail, tail.length + n - h);
                System.arraycopy(b, h, joined, tail.length, n - h);
                tail = joined.length > KEEP ? Arrays.copyOfRange(joined, joined.length - KEEP, joined.length) : joined;
            }
        }

        synchronized String head() {
            return head.toString(StandardCharsets.UTF_8);
        }

        synchronized String tail() {
            return new String(tail, StandardCharsets.UTF_8);
        }
    }
}
