package backprop.grader.sandbox;

import backprop.grader.submission.CallGuard;
import java.time.Duration;

/**
 * What one child JVM may use. The heap, stack, thread, file and output limits are options; the other pools of
 * the JVM's memory have fixed bounds here, and from all of them come the two totals that hold whatever route
 * the memory takes: the resident memory the grader lets the child reach ({@link #residentMb}), and the address
 * space the kernel lets it map ({@link #addressSpaceMb}).
 *
 * @param wall wall-clock time for the whole submission (every assignment); the process tree is killed after
 * @param heapMb the Java heap, {@code -Xmx}, in MiB
 * @param stackKb each thread's stack, {@code -Xss}, in KiB
 * @param threads threads the submission may run beyond the JVM's own {@link #JVM_THREADS}; the grader kills
 *     the child past them, and with a separate uid the kernel's process limit holds them too
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

    /** Class metadata, {@code -XX:MaxMetaspaceSize}: the harness and a submission load about 6 MiB. */
    public static final int METASPACE_MB = 64;
    /** The part of the metaspace for class pointers, {@code -XX:CompressedClassSpaceSize}: reserved, not used. */
    public static final int CLASS_SPACE_MB = 16;
    /** Compiled code, {@code -XX:ReservedCodeCacheSize}: the C1 compiler alone fills a few MiB. */
    public static final int CODE_CACHE_MB = 32;
    /** Direct byte buffers, {@code -XX:MaxDirectMemorySize}: the harness uses none. */
    public static final int DIRECT_MB = 16;
    /** Threads of the JVM itself (GC, compiler, reference handler, …): 13 in an idle child, room for a few more. */
    public static final int JVM_THREADS = 24;
    /** The JVM's own native memory outside the pools above (GC tables, symbols, malloc): about 25 MiB idle. */
    public static final int JVM_NATIVE_MB = 64;
    /**
     * Address space a child maps beyond its heap without ever making it resident: the runtime image, libraries and
     * class-data archive, and the reservations of the code cache, metaspace and class space (about 155 MiB
     * measured on an idle child, which maps 190 MiB besides its heap and keeps 35 MiB resident), with room to
     * spare.
     */
    public static final int RESERVED_MB = 224;

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

    /** Threads the child's JVM may run in all: the submission's and the JVM's own. */
    public int totalThreads() {
        return threads + JVM_THREADS;
    }

    /**
     * The kernel's thread/process limit for a child under its own uid: every thread counts, and bubblewrap's two
     * processes run under that uid too. A little above {@link #totalThreads}, so that the grader, which names the
     * limit, usually sees the excess first.
     */
    public int processes() {
        return totalThreads() + 8;
    }

    /**
     * The resident memory (RSS) a child may reach before the grader kills it: the sum of the bounds the JVM's
     * flags set (heap, metaspace, code cache, direct buffers, a stack per thread) and its own native memory. Native
     * memory taken past the JVM's accounting ({@code Unsafe}, JNI) counts here as well.
     */
    public long residentMb() {
        return heapMb + METASPACE_MB + CODE_CACHE_MB + DIRECT_MB + (long) totalThreads() * stackKb / 1024
                + JVM_NATIVE_MB;
    }

    /**
     * The address space ({@code RLIMIT_AS}) a child may map, a backstop under the grader's resident-memory check:
     * an allocation that would map more fails at once. The heap is mapped whole from the start, so it counts here
     * beside {@link #residentMb}: a submission that takes native memory instead of heap meets the grader's bound
     * first, with about 60 MiB to spare for what it touches between two looks of the grader.
     */
    public long addressSpaceMb() {
        return residentMb() + heapMb + RESERVED_MB;
    }

    /** One line for reports. */
    public String describe() {
        return "wall " + wall.toMillis() / 1000.0 + " s, heap " + heapMb + " MiB, stack " + stackKb + " KiB, "
                + threads + " threads (+" + JVM_THREADS + " of the JVM), memory " + residentMb() + " MiB resident, "
                + addressSpaceMb() + " MiB mapped, " + openFiles + " open files, files up to " + (fileBytes >> 10)
                + " KiB, output up to " + (outputBytes >> 10) + " KiB, cpu " + cpuSeconds() + " s, each call "
                + CallGuard.describe(perCall());
    }
}
