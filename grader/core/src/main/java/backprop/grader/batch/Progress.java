package backprop.grader.batch;

import backprop.grader.report.ConsoleReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The progress line on stderr: one line per finished submission, with the count, the statuses so far and the
 * time left; the last one says the run is done and how its submissions ended.
 *
 * <pre>
 * [ 3/40] s0042                graded           205/272     1.1 s   so far 1 compile-error · about 25 s left
 * [40/40] s0099                graded           272/272     0.9 s   done: 37 graded, 2 compile-error, 1 timeout
 * </pre>
 */
final class Progress {
    private final PrintWriter err;
    private final int total;
    private final int alreadyDone;
    private final long start = System.nanoTime();
    private final Map<SubmissionStatus, Integer> byStatus = new EnumMap<>(SubmissionStatus.class);
    private int done;
    private int graderFailures;

    Progress(PrintWriter err, int total, int alreadyDone) {
        this.err = err;
        this.total = total;
        this.alreadyDone = alreadyDone;
    }

    synchronized void finished(String student, String status, double total, double max, double seconds) {
        done++;
        SubmissionStatus.of(status).ifPresent(s -> byStatus.merge(s, 1, Integer::sum));
        int width = Integer.toString(this.total).length();
        err.printf(Locale.ROOT, "[%" + width + "d/%d] %-20s %-14s %7s/%-5s %5.1f s   %s%n", alreadyDone + done,
                this.total, student, status, ConsoleReport.points(total), ConsoleReport.points(max), seconds, tail());
        err.flush();
    }

    synchronized void failed(String student, String message) {
        done++;
        graderFailures++;
        err.printf(Locale.ROOT, "[%d/%d] %s: the GRADER failed on it: %s%s%n", alreadyDone + done, total, student,
                message, remaining() == 0 ? "   " + tail() : "");
        err.flush();
    }

    private int remaining() {
        return total - alreadyDone - done;
    }

    /** While running, the statuses other than graded and the time left; at the end, how every submission ended. */
    private String tail() {
        List<String> counts = new ArrayList<>();
        boolean end = remaining() <= 0;
        byStatus.forEach((s, n) -> {
            if (end || s != SubmissionStatus.GRADED) {
                counts.add(n + " " + s.word());
            }
        });
        String failures = graderFailures == 0 ? "" : "the grader failed on " + graderFailures;
        String so = String.join(", ", counts) + (counts.isEmpty() || failures.isEmpty() ? "" : "; ") + failures;
        if (end) {
            return "done: " + so;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        String left = "about " + duration(elapsed / done * remaining()) + " left";
        return so.isEmpty() ? left : "so far " + so + " · " + left;
    }

    static String duration(double s) {
        if (s < 60) {
            return Math.round(s) + " s";
        }
        long m = Math.round(s) / 60;
        return m < 60 ? m + " min " + Math.round(s) % 60 + " s" : m / 60 + " h " + m % 60 + " min";
    }
}
