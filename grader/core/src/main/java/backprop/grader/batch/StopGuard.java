package backprop.grader.batch;

import backprop.grader.files.AtomicFiles;
import backprop.grader.sandbox.Shutdown;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a grade run does when it is stopped (SIGTERM, SIGINT, Ctrl-C). The JVM's shutdown hooks kill the
 * children, so a submission in flight would come back as if it had crashed: from the moment the shutdown begins,
 * no result is saved (the next run grades those submissions), no child is started, and the reports are left as
 * they were. A commit of the reports that has begun is finished first, so the three files never come from two
 * runs.
 */
final class StopGuard implements AutoCloseable {
    /** Thrown where a run stops because the grader is being stopped. */
    static final class Stopped extends IOException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }
    }

    private final Object commit = new Object();
    private final Thread hook;
    private volatile boolean stopping;

    /** Guards a run writing into {@code out}; says on {@code err} what is kept when it is stopped. */
    StopGuard(PrintWriter err, Path out) {
        hook = new Thread(() -> {
            synchronized (commit) {
                stopping = true;
            }
            err.println("grader: stopping; the submissions being graded now are abandoned (nothing is saved for "
                    + "them), the results saved in " + out.resolve(BatchGrader.RESULTS) + " are kept, and the "
                    + "reports are left as they were. Run the same command again to grade the rest.");
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

    /** Commits {@code g} unless the grader is being stopped; a stop waits for a commit that has begun. */
    void commit(AtomicFiles.Group g) throws IOException {
        synchronized (commit) {
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
