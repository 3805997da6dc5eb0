package backprop.grader.submission;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import backprop.grader.submission.CallGuard.Done;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** The threads behind {@link CallGuard}: workers that run the submission's code, and the work they are handed. */
final class CallWorker {
    /** How long each side spins before it parks: longer than a small call, shorter than a thread wake-up. */
    private static final long SPIN_NANOS = 20_000;
    /** An idle worker ends after this long, so that callers that come and go leave no threads behind. */
    private static final long IDLE_NANOS = Duration.ofSeconds(5).toNanos();
    /** How often a watcher looks when no limit is running (a call without one, or none in progress). */
    private static final long TICK_NANOS = Duration.ofSeconds(1).toNanos();

    private static final ConcurrentLinkedDeque<Worker> POOL = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger NAMES = new AtomicInteger();

    private CallWorker() {}

    /** An idle worker, or a new one. */
    static Worker acquire() {
        for (Worker w; (w = POOL.pollFirst()) != null; ) {
            // a worker the submission's code stopped (Thread.stop) is dead though still marked idle
            if (w.isAlive() && w.state.compareAndSet(Worker.IDLE, Worker.BUSY)) {
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
     * @param components the submission called
     * @param method the method called, as a student knows it
     * @param outer the call it was made from, or null
     * @param start when the outermost call began ({@link System#nanoTime})
     * @param limit the outermost call's limit, which every call inside it shares
     * @param unit the unit it belongs to, or null for a call handed over alone
     * @param index how many calls to the same method the unit's current run made before this one
     */
    record Call(Components components, String method, Call outer, long start, long limit, Object unit,
            int index) {}

    /** Work handed to a worker; its state says who had the last word, the worker or the watcher's deadline. */
    static final class Task<T> {
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
         * call as hung, abandons {@code w} and returns the hang's fault. Keeps the watcher's interrupt, but not one
         * that came with a stop by the submission's code.
         */
        StudentFault await(Worker w) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        while (state.get() == RUNNING) {
                            long now = System.nanoTime();
                            if (now - spinUntil < 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            Call top = w.top;
                            long wait = TICK_NANOS;
                            if (top != null && top.limit() > 0 && !CallGuard.debugging()) {
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
                    } catch (ThreadDeath stopped) {
                        // only the submission's code stops threads (Thread.stop), and it runs on the worker: the
                        // watcher carries on watching, so that stopping it wins nothing; the interrupt that comes
                        // with a stop goes with it
                        Thread.interrupted();
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private StudentFault hang(Worker w, Call top) {
            Call inner = w.calls;
            StackTraceElement[] stack = w.getStackTrace();
            if (inner == null || CallGuard.debuggerAttached() || !state.compareAndSet(RUNNING, ABANDONED)) {
                return null;
            }
            w.abandon(stack);
            Stuck where = Stuck.at(stack);
            StudentFault f = new StudentFault(inner.method() + " did not return within "
                    + CallGuard.describe(Duration.ofNanos(top.limit())) + "; it was " + where.text());
            inner.components().markHung(inner.method(), f, where.first(), inner.unit(), inner.index());
            return f;
        }
    }

    /** A daemon thread that runs the tasks handed to it, one at a time, until it is idle too long or abandoned. */
    static final class Worker extends Thread {
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
            POOL.offerFirst(this);
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
                return new Done<>(null, new CallGuard.Abandoned());
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
                return state.get() == ENDED ? new Done<>(null, new CallGuard.Abandoned()) : new Done<>(value, null);
            } catch (Throwable t) {
                return new Done<>(null, state.get() == ENDED ? new CallGuard.Abandoned() : t);
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
                Task<?> t;
                try {
                    t = take();
                } catch (ThreadDeath stopped) {
                    Thread.interrupted();
                    continue; // stopped by the submission's code while idle: still a worker
                }
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
                    POOL.remove(this);
                    return null;
                } else {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                    // An idle worker asked to stop (a host cleaning up its threads, say) ends.
                    if (Thread.interrupted() && state.compareAndSet(IDLE, ENDED)) {
                        POOL.remove(this);
                        return null;
                    }
                }
            }
        }
    }
}
