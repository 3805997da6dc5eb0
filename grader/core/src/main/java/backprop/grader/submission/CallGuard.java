package backprop.grader.submission;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a submission's code under a per-call time limit, so that a method that loops or is very slow costs only
 * the checks that call it.
 *
 * <p>A unit of grading work ({@link #supervise}: tracing one assignment) runs on a worker thread while the
 * calling thread watches it. Each call into the submission ({@link #run}) is timed on the worker at no more
 * cost than a clock read. When one runs past its limit, the watcher takes the worker's stack, reports the
 * innermost call in progress (a reverse pass stuck in an op's backward names the op) and where in the
 * submission's classes it was, marks that method of that submission as hung, and abandons the worker (stopped
 * where the JVM still allows it, else left running as a daemon at the lowest priority). The unit
 * then starts again on a fresh worker; being deterministic, it makes the same calls, and the one that hung now
 * fails at once with the hang's message, later ones with "skipped: … hung earlier", and the calls made before
 * it run as they did. A call made outside any unit is handed to a worker on its own and watched the same way.
 */
public final class CallGuard {
    /** System property with the per-call limit in seconds; {@code 0} means none. */
    public static final String PROPERTY = "backprop.callTimeout";
    /** The limit when the property is not set. */
    public static final Duration DEFAULT = Duration.ofSeconds(5);

    /** How long each side spins before it parks: longer than a small call, shorter than a thread wake-up. */
    private static final long SPIN_NANOS = 20_000;
    /** An idle worker ends after this long, so that callers that come and go leave no threads behind. */
    private static final long IDLE_NANOS = Duration.ofSeconds(5).toNanos();
    /** How often a watcher looks when no limit is running (a call without one, or none in progress). */
    private static final long TICK_NANOS = Duration.ofSeconds(1).toNanos();
    /** A unit starts again at most this often: each start follows a new hang, so this is only a backstop. */
    private static final int MAX_ATTEMPTS = 64;
    private static final int SHOWN_FRAMES = 3;

    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static volatile Duration configured;
    private static volatile boolean debugging;

    private CallGuard() {}

    /**
     * How a call ended.
     *
     * @param value what it returned
     * @param thrown what it threw (a {@link StudentFault} when it hung or was refused), or null
     */
    public record Done<T>(T value, Throwable thrown) {}

    /**
     * Runs a unit of grading work on a worker, under the watch of the calling thread, and returns its result; a
     * unit started from inside another runs inline. The unit must be deterministic: after a hang it runs again.
     */
    public static <T> T supervise(Supplier<T> unit) {
        if (Thread.currentThread() instanceof Worker) {
            return unit.get();
        }
        Object key = new Object();
        for (int attempt = 1; ; attempt++) {
            Task<T> task = new Task<>(unit, key);
            Worker w = acquire();
            w.hand(task);
            if (task.await(w) == null) {
                w.release();
                return task.result();
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("calls into the submission hung " + attempt + " times");
            }
        }
    }

    /**
     * Calls {@code body}, code of submission {@code c}, as method {@code method} ({@code Relu.forward}) under
     * {@code c}'s call limit; a method of {@code c} that hung before is not called again.
     */
    public static <T> Done<T> run(Components c, String method, Supplier<T> body) {
        if (Thread.currentThread() instanceof Worker w) {
            return w.call(c, method, body);
        }
        if (c.callLimit().isZero()) {
            StudentFault refused = c.refusal(method, null, -1);
            return refused != null ? new Done<>(null, refused) : inline(body);
        }
        Task<Done<T>> task = new Task<>(() -> ((Worker) Thread.currentThread()).call(c, method, body), null);
        Worker w = acquire();
        w.hand(task);
        StudentFault hung = task.await(w);
        if (hung != null) {
            return new Done<>(null, hung);
        }
        w.release();
        return task.result();
    }

    /**
     * The limit of a submission that sets none: the {@value #PROPERTY} property in seconds, else {@link #DEFAULT}.
     * Under a debugger no call ever hangs (a breakpoint is not a loop); that is found out at the first call past
     * its limit, since asking the JVM costs more than the rest of a student's start-up.
     *
     * @throws IllegalArgumentException when the property is not a number of seconds
     */
    public static Duration configuredLimit() {
        Duration d = configured;
        if (d == null) {
            d = parse(System.getProperty(PROPERTY));
            configured = d;
        }
        return d;
    }

    /** Reads a limit in seconds ({@code 2.5}); null or blank means the default. */
    static Duration parse(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT;
        }
        double s;
        try {
            s = Double.parseDouble(seconds.trim());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s >= 0 && s <= 86_400)) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + seconds + " is not a time limit in seconds "
                    + "(for example 5, or 0 for none)");
        }
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /**
     * What a call returns instead of its result when its worker was abandoned meanwhile (a very slow call that
     * returned after all), and what every later call on that worker returns: it unwinds the abandoned run, whose
     * results nobody reads, without leaving any trace on the submission.
     */
    public static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("this run was abandoned after a call hung", null, false, false);
        }
    }

    /** A limit as a student reads it: {@code 5 s}, {@code 0.25 s}. */
    public static String describe(Duration limit) {
        return BigDecimal.valueOf(limit.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * Where a stuck thread was, by its top frames in the submission's classes: {@code at Relu.java:17
     * (Relu.forward)}, preceded by the method outside them it was in, if any ({@code in java.lang.Thread.sleep,
     * called from …}).
     */
    static Where where(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        String outside = null;
        for (int i = 0; i < stack.length && frames.size() < SHOWN_FRAMES; i++) {
            StackTraceElement e = stack[i];
            if (e.getClassName().contains("$$Lambda")) {
                continue; // a lambda's own frame says nothing the frames around it do not
            }
            if (!e.getClassName().startsWith(Op.PACKAGE + ".")) {
                if (frames.isEmpty() && outside == null) {
                    outside = e.getClassName() + "." + e.getMethodName();
                }
                continue;
            }
            String cls = e.getClassName().substring(Op.PACKAGE.length() + 1).replace('$', '.');
            String method = switch (e.getMethodName()) {
                case "<init>" -> "new " + cls + "()";
                case "<clinit>" -> "static initialiser of " + cls;
                default -> cls + "." + e.getMethodName();
            };
            frames.add((e.getFileName() == null ? cls + ".java" : e.getFileName())
                    + (e.getLineNumber() > 0 ? ":" + e.getLineNumber() : "") + " (" + method + ")");
        }
        if (frames.isEmpty()) {
            String text = "outside the submission's classes" + (outside == null ? "" : ", in " + outside);
            return new Where(text, text);
        }
        return new Where((outside == null ? "at " : "in " + outside + ", called from ")
                + String.join(", called from ", frames), "at " + frames.get(0));
    }

    /**
     * Where a stuck thread was.
     *
     * @param text the top frames in the submission's classes, and the method outside them it was in, if any
     * @param first the top frame in the submission's classes alone
     */
    record Where(String text, String first) {}

    private static <T> Done<T> inline(Supplier<T> body) {
        try {
            return new Done<>(body.get(), null);
        } catch (Throwable t) {
            return new Done<>(null, t);
        }
    }

    private static boolean debuggerAttached() {
        if (debugging) {
            return true;
        }
        try {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .anyMatch(a -> a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp"))
                    && (debugging = true);
        } catch (LinkageError | RuntimeException e) {
            return false; // no java.management module: no debugger we could see either
        }
    }

    private static Worker acquire() {
        for (Worker w; (w = IDLE.pollFirst()) != null; ) {
            if (w.state.compareAndSet(Worker.IDLE, Worker.BUSY)) {
                return w;
            }
        }
        Worker w = new Worker();
        w.start();
        return w;
    }

    /**
     * A call in progress on a worker.
     *
     * @param outer the call it was made from, or null
     * @param start when the outermost call began ({@link System#nanoTime})
     * @param limit the outermost call's limit, which every call inside it shares
     * @param unit the unit it belongs to, or null for a call handed over alone
     * @param index how many calls to the same method the unit's current run made before this one
     */
    private record Call(Components components, String method, Call outer, long start, long limit, Object unit,
            int index) {}

    /** Work handed to a worker; its state says who had the last word, the worker or the watcher's deadline. */
    private static final class Task<T> {
        static final int RUNNING = 0;
        static final int DONE = 1;
        static final int ABANDONED = 2;

        final Supplier<T> body;
        final Object unit;
        final Thread watcher = Thread.currentThread();
        final ClassLoader loader = watcher.getContextClassLoader();
        final AtomicInteger state = new AtomicInteger(RUNNING);
        /** Calls per method in this run of the unit, so that a rerun knows which call hung. */
        final Map<String, Integer> counts = new HashMap<>();
        T value;
        Throwable thrown;

        Task(Supplier<T> body, Object unit) {
            this.body = body;
            this.unit = unit;
        }

        void execute() {
            try {
                value = body.get();
            } catch (Throwable t) {
                thrown = t;
            }
            if (state.compareAndSet(RUNNING, DONE)) {
                LockSupport.unpark(watcher);
            }
        }

        T result() {
            if (thrown instanceof RuntimeException e) {
                throw e;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
            return value;
        }

        /**
         * Waits until the task is done (null) or a call on {@code w} runs past its limit: then marks the innermost
         * call as hung, abandons {@code w} and returns the hang's fault. Keeps the watcher's interrupt.
         */
        StudentFault await(Worker w) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            boolean interrupted = false;
            try {
                while (state.get() == RUNNING) {
                    long now = System.nanoTime();
                    if (now - spinUntil < 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    Call top = w.top;
                    long wait = TICK_NANOS;
                    if (top != null && top.limit() > 0 && !debugging) {
                        long left = top.start() + top.limit() - now;
                        if (left <= 0) {
                            StudentFault f = hang(w, top);
                            if (f != null) {
                                return f;
                            }
                            continue; // it finished as the limit passed: its result stands
                        }
                        wait = Math.min(wait, left);
                    }
                    LockSupport.parkNanos(this, wait);
                    interrupted |= Thread.interrupted();
                }
                return null;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private StudentFault hang(Worker w, Call top) {
            Call inner = w.calls;
            StackTraceElement[] stack = w.getStackTrace();
            if (inner == null || debuggerAttached() || !state.compareAndSet(RUNNING, ABANDONED)) {
                return null;
            }
            w.abandon(stack);
            Where where = where(stack);
            StudentFault f = new StudentFault(inner.method() + " did not return within "
                    + describe(Duration.ofNanos(top.limit())) + "; it was " + where.text());
            inner.components().markHung(inner.method(), f, where.first(), inner.unit(), inner.index());
            return f;
        }
    }

    /** A daemon thread that runs the tasks handed to it, one at a time, until it is idle too long or abandoned. */
    private static final class Worker extends Thread {
        static final int IDLE = 0;
        static final int BUSY = 1;
        static final int ENDED = 2;

        final AtomicInteger state = new AtomicInteger(BUSY);
        final AtomicReference<Task<?>> next = new AtomicReference<>();
        private Task<?> task;
        /** The innermost call in progress, and the outermost: read by the watcher. */
        private volatile Call calls;
        private volatile Call top;

        Worker() {
            super("grader-call-" + NAMES.incrementAndGet());
            setDaemon(true);
        }

        void hand(Task<?> t) {
            setContextClassLoader(t.loader);
            next.set(t);
            LockSupport.unpark(this);
        }

        void release() {
            state.set(IDLE);
            CallGuard.IDLE.offerFirst(this);
        }

        /**
         * Leaves this worker to its stuck call: wakes it if it sleeps or waits; stops it if it was running the
         * submission's code ({@code stack}) and the JVM still can (before Java 20); else it runs on, a daemon at the
         * lowest priority, until the JVM exits.
         */
        void abandon(StackTraceElement[] stack) {
            state.set(ENDED);
            setPriority(Thread.MIN_PRIORITY);
            interrupt();
            String top = stack.length == 0 ? "" : stack[0].getClassName();
            if (top.startsWith(Op.PACKAGE + ".") || top.startsWith(Matrix.class.getPackageName() + ".")) {
                stopIfSupported();
            }
        }

        @SuppressWarnings({"removal", "deprecation"})
        private void stopIfSupported() {
            try {
                stop();
            } catch (UnsupportedOperationException e) {
                // Java 20 and later: it cannot be stopped
            }
        }

        <T> Done<T> call(Components c, String method, Supplier<T> body) {
            if (state.get() == ENDED) {
                return new Done<>(null, new Abandoned());
            }
            Object unit = task.unit;
            int index = unit == null ? -1 : task.counts.merge(method, 1, Integer::sum) - 1;
            StudentFault refused = c.refusal(method, unit, index);
            if (refused != null) {
                return new Done<>(null, refused);
            }
            Call outer = calls;
            Call mine = outer == null
                    ? new Call(c, method, null, System.nanoTime(), c.callLimit().toNanos(), unit, index)
                    : new Call(c, method, outer, outer.start(), outer.limit(), unit, index);
            if (outer == null) {
                top = mine;
            }
            calls = mine;
            try {
                T value = body.get();
                // what a call that was given up on returns is dropped here, before the grader can keep it
                return state.get() == ENDED ? new Done<>(null, new Abandoned()) : new Done<>(value, null);
            } catch (Throwable t) {
                return new Done<>(null, state.get() == ENDED ? new Abandoned() : t);
            } finally {
                calls = outer;
                if (outer == null) {
                    top = null;
                }
            }
        }

        @Override
        public void run() {
            while (true) {
                Task<?> t = take();
                if (t == null) {
                    return;
                }
                task = t;
                t.execute();
                task = null;
                Thread.interrupted(); // the submission's code may have left it set
                if (state.get() == ENDED) {
                    return; // abandoned: its watcher has moved on to another worker
                }
            }
        }

        /** The next task, spinning briefly then parking; null when idle too long or abandoned. */
        private Task<?> take() {
            long start = System.nanoTime();
            while (true) {
                Task<?> t = next.getAndSet(null);
                if (t != null) {
                    return t;
                }
                if (state.get() == ENDED) {
                    return null;
                }
                long idle = System.nanoTime() - start;
                if (idle < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (idle > IDLE_NANOS && state.compareAndSet(IDLE, ENDED)) {
                    CallGuard.IDLE.remove(this);
                    return null;
                } else {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                    // An idle worker asked to stop (a host cleaning up its threads, say) ends.
                    if (Thread.interrupted() && state.compareAndSet(IDLE, ENDED)) {
                        CallGuard.IDLE.remove(this);
                        return null;
                    }
                }
            }
        }
    }
}
