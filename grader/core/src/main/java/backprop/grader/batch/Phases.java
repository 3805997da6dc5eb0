package backprop.grader.batch;

import backprop.grader.sandbox.ChildRun;
import backprop.grader.sandbox.Frames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a grading run's time goes: the grader's own clock read around each phase where it happens, summed by
 * phase name, for {@code grader bench --only profile}. {@link #OFF} (what {@code grader grade} uses) reads no clock.
 *
 * <p>Phase names start with {@link #RUN} for what a run does once, and with {@link #CHILD} for what the grader saw of
 * a child from outside: the arrival of each frame, so the child itself is neither asked nor trusted for a time.
 */
public final class Phases {
    /** Records nothing. */
    public static final Phases OFF = new Phases(false);
    /** The prefix of phases done once per run. */
    public static final String RUN = "run: ";
    /** The prefix of phases seen in a child's frames. */
    public static final String CHILD = "child: ";

    /**
     * A phase's total over the run.
     *
     * @param nanos the time summed over every time it was entered (parallel jobs add up)
     * @param count how many times it was entered
     */
    public record Total(long nanos, int count) {}

    private final boolean on;
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    private Phases(boolean on) {
        this.on = on;
    }

    /** A fresh recorder. */
    public static Phases recording() {
        return new Phases(true);
    }

    /** The clock now, for {@link #end}; 0 when recording nothing. */
    long start() {
        return on ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code start} (from {@link #start}) to {@code phase}. */
    void end(String phase, long start) {
        if (on) {
            add(phase, System.nanoTime() - start);
        }
    }

    private synchronized void add(String phase, long nanos) {
        long[] t = totals.computeIfAbsent(phase, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    /** Every phase's total, in the order each was first entered. */
    public synchronized Map<String, Total> totals() {
        Map<String, Total> out = new LinkedHashMap<>();
        totals.forEach((k, v) -> out.put(k, new Total(v[0], (int) v[1])));
        return out;
    }

    /**
     * A clock for one child: from its start to its hello (the JVM, the harness and the job read), from each frame
     * to the next trace (one assignment, named), and from the last frame to the process's end.
     */
    ChildRun.FrameClock child(List<String> assignmentIds) {
        if (!on) {
            return ChildRun.FrameClock.NONE;
        }
        return new ChildRun.FrameClock() {
            private long last;

            @Override
            public void started(long nanos) {
                last = nanos;
            }

            @Override
            public void arrived(byte type, int index, long nanos) {
                if (type == Frames.HELLO) {
                    add(CHILD + "start to hello (JVM, harness, job read)", nanos - last);
                } else if (type == Frames.TRACE && index >= 0 && index < assignmentIds.size()) {
                    add(CHILD + assignmentIds.get(index), nanos - last);
                } else {
                    return;
                }
                last = nanos;
            }

            @Override
            public void ended(long nanos) {
                add(CHILD + "last frame to exit", nanos - last);
            }
        };
    }
}
