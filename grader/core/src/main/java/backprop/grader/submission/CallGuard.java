package backprop.grader.submission;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Supplier;

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

    /** A unit starts again at most this often: each start follows a new hang, so this is only a backstop. */
    private static final int MAX_ATTEMPTS = 64;

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
        if (Thread.currentThread() instanceof CallWorker.Worker) {
            return unit.get();
        }
        Object key = new Object();
        for (int attempt = 1; ; attempt++) {
            CallWorker.Task<T> task = new CallWorker.Task<>(unit, key);
            CallWorker.Worker w = CallWorker.acquire();
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
        if (Thread.currentThread() instanceof CallWorker.Worker w) {
            return w.call(c, method, body);
        }
        if (c.callLimit().isZero()) {
            StudentFault refused = c.refusal(method, null, -1);
            return refused != null ? new Done<>(null, refused) : inline(body);
        }
        CallWorker.Task<Done<T>> task = new CallWorker.Task<>(
                () -> ((CallWorker.Worker) Thread.currentThread()).call(c, method, body), null);
        CallWorker.Worker w = CallWorker.acquire();
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

    private static <T> Done<T> inline(Supplier<T> body) {
        try {
            return new Done<>(body.get(), null);
        } catch (Throwable t) {
            return new Done<>(null, t);
        }
    }

    /** Whether a debugger was seen: then no call ever hangs. */
    static boolean debugging() {
        return debugging;
    }

    /** Whether a debugger is attached, asked of the JVM (at some cost) until one is seen. */
    static boolean debuggerAttached() {
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
}
