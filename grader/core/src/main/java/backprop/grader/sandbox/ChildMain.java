package backprop.grader.sandbox;

import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.sandbox.Codec.Job;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import backprop.grader.submission.SubmissionLoader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM's entry point: {@code java -cp HARNESS backprop.grader.sandbox.ChildMain CLASSES}. Reads one
 * {@link Job} from stdin, loads the submission's classes from {@code CLASSES} in a class loader that sees only
 * the contracts, traces each assignment with {@link Tracer} and writes one frame per assignment on stdout. The
 * student's {@code System.out} goes to stderr, so the frame channel carries only what the student writes to
 * the raw descriptor, and that cannot look like a frame without the nonce.
 *
 * <p>It stops itself, after a {@link Frames#FAULT} frame, when the submission runs out of heap, starts more
 * threads than allowed or starts a process. It ends with {@link Runtime#halt}, so the student's shutdown
 * hooks never run; a {@code System.exit} from student code runs the harness's hook, which sends a
 * {@link Frames#EXIT} frame.
 */
public final class ChildMain {
    /** Fault kinds in a {@link Frames#FAULT} frame. */
    public static final byte MEMORY = 1;
    /** Too many threads. */
    public static final byte THREADS = 2;
    /** A process was started. */
    public static final byte PROCESS = 3;
    /** Something else went wrong in the harness (a bug, or a JVM error). */
    public static final byte CRASH = 4;
    /** Exit code after a fault. */
    static final int FAULT_EXIT = 86;
    /** Exit code when the job cannot be read. */
    static final int BAD_JOB = 87;
    /** The argument that makes the child answer a probe: read the job, say hello, trace nothing. */
    public static final String PROBE = "--probe";

    private static volatile byte[] reserve = new byte[2 << 20];

    private ChildMain() {}

    /** Runs one job; see the class comment. */
    public static void main(String[] args) {
        FileOutputStream channel = new FileOutputStream(FileDescriptor.out);
        PrintStream err = System.err;
        System.setOut(err);
        Job job;
        try {
            job = Codec.readJob(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        } catch (IOException | RuntimeException e) {
            err.println("grader harness: cannot read the job: " + e);
            err.flush();
            Runtime.getRuntime().halt(BAD_JOB);
            return;
        }
        System.setIn(new ByteArrayInputStream(new byte[0]));
        Sender send = new Sender(channel, job.nonce());
        AtomicInteger current = new AtomicInteger(-1);
        send.frame(Frames.HELLO, d -> Codec.str(d, System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version")));
        if (args.length > 1 && args[1].equals(PROBE)) {
            send.frame(Frames.DONE, d -> d.writeInt(0));
            Runtime.getRuntime().halt(0);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> send.frame(Frames.EXIT,
                d -> d.writeInt(current.get()))));
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof OutOfMemoryError oom) {
                outOfMemory(send, current.get(), oom);
            }
            err.println("Exception in thread \"" + t.getName() + "\" " + e);
        });
        watchdog(send, current, job.maxThreads());
        Components components = SubmissionLoader.load(job.label(), Path.of(args[0]));
        int i = 0;
        for (Assignment a : job.assignments()) {
            current.set(i);
            int index = i;
            try {
                Trace t = Tracer.trace(a, components);
                byte[] body = Codec.trace(t);
                send.frame(Frames.TRACE, d -> {
                    d.writeInt(index);
                    d.write(body);
                });
            } catch (OutOfMemoryError e) {
                outOfMemory(send, index, e);
            } catch (Throwable e) {
                fault(send, index, CRASH, e.getClass().getName() + ": " + e.getMessage());
            }
            i++;
        }
        int n = i;
        send.frame(Frames.DONE, d -> d.writeInt(n));
        Runtime.getRuntime().halt(0);
    }

    private static void outOfMemory(Sender send, int index, OutOfMemoryError e) {
        reserve = null;
        String m = String.valueOf(e.getMessage());
        fault(send, index, m.contains("native thread") ? THREADS : MEMORY, m);
    }

    private static void fault(Sender send, int index, byte kind, String message) {
        reserve = null;
        send.frame(Frames.FAULT, d -> {
            d.writeInt(index);
            d.writeByte(kind);
            Codec.str(d, message.length() > 300 ? message.substring(0, 300) : message);
        });
        Runtime.getRuntime().halt(FAULT_EXIT);
    }

    /**
     * Stops the child when it runs more Java threads than allowed or starts a process. The kernel's limits
     * (a separate uid) catch the same things where the host allows them; this works everywhere.
     */
    private static void watchdog(Sender send, AtomicInteger current, int maxThreads) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        ThreadGroup top = root;
        Thread w = new Thread(top, () -> {
            int baseline = top.activeCount();
            java.util.Set<Long> before = new java.util.HashSet<>();
            ProcessHandle.current().children().forEach(c -> before.add(c.pid()));
            long tick = 0;
            while (true) {
                if (top.activeCount() > baseline + maxThreads) {
                    fault(send, current.get(), THREADS, "started more than " + maxThreads + " threads");
                }
                if (++tick % 8 == 0 && ProcessHandle.current().children()
                        .anyMatch(c -> !before.contains(c.pid()))) {
                    fault(send, current.get(), PROCESS, "started a process");
                }
                try {
                    Thread.sleep(4);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "grader-watchdog");
        w.setDaemon(true);
        w.setPriority(Thread.MAX_PRIORITY);
        w.start();
    }

    /** Writes frames on the raw stdout, one whole frame per write, from any thread. */
    private static final class Sender {
        private final FileOutputStream out;
        private final byte[] nonce;

        Sender(FileOutputStream out, byte[] nonce) {
            this.out = out;
            this.nonce = nonce;
        }

        interface Body {
            void write(DataOutputStream d) throws IOException;
        }

        synchronized void frame(byte type, Body body) {
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                DataOutputStream d = new DataOutputStream(b);
                d.writeByte(type);
                body.write(d);
                d.flush();
                out.write(Frames.frame(nonce, b.toByteArray()));
                out.flush();
            } catch (IOException e) {
                Runtime.getRuntime().halt(BAD_JOB);
            }
        }
    }
}
