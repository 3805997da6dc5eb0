package backprop.grader.batch;

import backprop.grader.report.ConsoleReport;
import java.io.PrintWriter;
import java.util.Locale;

/** The progress line on stderr: one line per finished submission, with the count, failures and time left. */
final class Progress {
    private final PrintWriter err;
    private final int total;
    private final int alreadyDone;
    private final long start = System.nanoTime();
    private int done;
    private int notGraded;

    Progress(PrintWriter err, int total, int alreadyDone) {
        this.err = err;
        this.total = total;
        this.alreadyDone = alreadyDone;
    }

    synchronized void finished(String student, String status, double total, double max, double seconds) {
        done++;
        if (!status.equals(SubmissionStatus.GRADED.word())) {
            notGraded++;
        }
        int remaining = this.total - alreadyDone - done;
        double elapsed = (System.nanoTime() - start) / 1e9;
        String left = remaining == 0 ? "done" : "about " + duration(elapsed / done * remaining) + " left";
        int width = Integer.toString(this.total).length();
        err.printf(Locale.ROOT, "[%" + width + "d/%d] %-20s %-14s %7s/%-5s %5.1f s   %d not graded so far · %s%n",
                alreadyDone + done, this.total, student, status, ConsoleReport.points(total), ConsoleReport.points(max),
                seconds, notGraded, left);
        err.flush();
    }

    synchronized void failed(String student, String message) {
        done++;
        err.printf(Locale.ROOT, "[%d/%d] %s: the GRADER failed on it: %s%n", alreadyDone + done, total, student,
                message);
        err.flush();
    }

    static String duration(double s) {
        if (s < 60) {
            return Math.round(s) + " s";
        }
        long m = Math.round(s) / 60;
        return m < 60 ? m + " min " + Math.round(s) % 60 + " s" : m / 60 + " h " + m % 60 + " min";
    }
}
