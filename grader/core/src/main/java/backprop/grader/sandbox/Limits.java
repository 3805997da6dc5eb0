package backprop.grader.sandbox;

import backprop.grader.submission.CallGuard;
import java.time.Duration;

/**
 * What one child JVM may use.
 *
 * @param wall wall-clock time for the whole submission (every assignment); the process tree is killed after
 * @param heapMb the Java heap, {@code -Xmx}, in MiB
 * @param stackKb each thread's stack, {@code -Xss}, in KiB
 * @param threads Java threads the child may run at once (the harness stops it beyond); with a separate uid
 *     also the kernel's process/thread limit (plus room for the JVM's own threads)
 * @param openFiles open file descriptors ({@code RLIMIT_NOFILE})
 * @param fileBytes the largest file it may write ({@code RLIMIT_FSIZE})
 * @param outputBytes what it may print on stdout and stderr together; beyond, it is stopped
 * @param call each call into the submission's code ({@link CallGuard}): a method that runs longer is reported as
 *     hung and costs only the checks that need it; zero for no limit. At most half the wall time is used
 *     ({@link #perCall}), so that a hang leaves time to grade the rest
 */
public record Limits(Duration wall, int heapMb, int stackKb, int threads, int openFiles, long fileBytes,
        long outputBytes, Duration call) {

    /** The defaults of {@code grader grade}. */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 256, 1024, 64, 256, 16L << 20,
            1L << 20, CallGuard.DEFAULT);

    /** Checks the values. */
    public Limits {
        if (wall.isNegative() || wall.isZero()) {
            throw new IllegalArgumentException("the time limit must be positive");
        }
        if (call.isNegative()) {
            throw new IllegalArgumentException("the time limit of a call must not be negative");
        }
        if (heapMb < 16 || stackKb < 256 || threads < 1 || openFiles < 64 || fileBytes < 0 || outputBytes < 1024) {
            throw new IllegalArgumentException("limits too small: " + heapMb + "m heap, " + stackKb + "k stack, "
                    + threads + " threads, " + openFiles + " files");
        }
    }

    /** The same limits with another wall time. */
    public Limits withWall(Duration d) {
        return new Limits(d, heapMb, stackKb, threads, openFiles, fileBytes, outputBytes, call);
    }

    /** The same limits with another heap. */
    public Limits withHeapMb(int mb) {
        return new Limits(wall, mb, stackKb, threads, openFiles, fileBytes, outputBytes, call);
    }

    /** The same limits with another limit per call. */
    public Limits withCall(Duration d) {
        return new Limits(wall, heapMb, stackKb, threads, openFiles, fileBytes, outputBytes, d);
    }

    /** The limit each call gets in the child: {@link #call}, but at most half the wall time; zero for none. */
    public Duration perCall() {
        Duration half = wall.dividedBy(2);
        return call.compareTo(half) > 0 ? half : call;
    }

    /** CPU seconds ({@code RLIMIT_CPU}): twice the wall time, so only a child burning several cores hits it. */
    public long cpuSeconds() {
        return 2 * Math.max(1, (wall.toMillis() + 999) / 1000) + 5;
    }

    /** The kernel's thread/process limit for a child under its own uid: the JVM itself needs about 20. */
    public int processes() {
        return threads + 48;
    }

    /** One line for reports. */
    public String describe() {
        return "wall " + wall.toMillis() / 1000.0 + " s, heap " + heapMb + " MiB, stack " + stackKb + " KiB, "
                + threads + " threads, " + openFiles + " open files, files up to " + (fileBytes >> 10)
                + " KiB, output up to " + (outputBytes >> 10) + " KiB, cpu " + cpuSeconds() + " s, each call "
                + CallGuard.describe(perCall());
    }
}
