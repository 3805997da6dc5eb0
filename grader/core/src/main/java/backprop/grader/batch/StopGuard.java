package backprop.grader.batch;

import backprop.grader.files.AtomicFiles;
import backprop.grader.sandbox.Shutdown;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a grade run does when it is stopped (SIGTERM, SIGINT, Ctrl-C). The JVM's shutdown hooks kill the
 * children, so a submission in flight would come back as if it had crashed: from the moment the shutdown begins,
 * no result is saved (the next run grades those submissions), no child is started, and the reports are left as
 * they were. A save or a commit of the reports that has begun is finished first, so no file is cut short and the
 * three reports never come from two runs; the stop then names the submissions it abandoned.
 */
final class StopGuard implements AutoCloseable {
    /** Thrown where a run stops because the grader is being stopped. */
    static final class Stopped extends IOException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }
    }

    /** Writes a file. */
    @FunctionalInterface
    interface Save {
        void run() throws IOException;
    }

    private final Object lock = new Object();
    private final Set<String> inFlight = new LinkedHashSet<>();
    private final Thread hook;
    private volatile boolean stopping;

    /** Guards a run writing into {@code out}; says on {@code err} what is kept when it is stopped. */
    StopGuard(PrintWriter err, Path out) {
        hook = new Thread(() -> {
            List<String> abandoned;
            synchronized (lock) {
                stopping = true;
                abandoned = new ArrayList<>(inFlight);
            }
            err.println("grader: stopping. " + (abandoned.isEmpty() ? "" : "Abandoned, with nothing saved: "
                    + String.join(", ", abandoned) + ". ") + "The results saved in " + out.resolve(BatchGrader.RESULTS)
                    + " are kept and the reports are left as they were; run the same command again to grade the "
                    + "rest.");
            err.flush();
        }, "grade-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the grader is being stopped: nothing from now on is saved. */
    boolean stopping() {
        return stopping || Shutdown.inProgress();
    }

    /** Throws {@link Stopped} when the grader is being stopped. */
    void check(String what) throws Stopped {
        if (stopping()) {
            throw new Stopped("stopped before " + what + ": the grader is being stopped");
        }
    }

    /** A submission is being graded. */
    void started(String student) {
        synchronized (lock) {
            inFlight.add(student);
        }
    }

    /** A submission's grading ended without a result to save (the grader failed on it). */
    void ended(String student) {
        synchronized (lock) {
            if (!stopping()) {
                inFlight.remove(student);
            }
        }
    }

    /**
     * Saves a submission's result unless the grader is being stopped: its child may then have been killed by the
     * stop rather than by its own code, so no status would be true.
     *
     * @throws Stopped when it is not saved
     */
    void save(String student, Save save) throws IOException {
        synchronized (lock) {
            check("the result of " + student + " was saved");
            save.run();
            inFlight.remove(student);
        }
    }

    /** Commits {@code g} unless the grader is being stopped; a stop waits for a commit that has begun. */
    void commit(AtomicFiles.Group g) throws IOException {
        synchronized (lock) {
            check("the reports were replaced");
            g.commit();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running or has run
        }
    }
}
