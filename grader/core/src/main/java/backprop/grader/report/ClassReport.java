package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The class report of a batch run: {@code index.html}, the class at a glance in a browser, and
 * {@code summary.md}, its figures as Markdown. Both are a function of the assignment columns and the results
 * alone, read as a stream (one pass for the figures, then one each for the page's table and its student
 * sections), so the same results give the same bytes, and a class of any size never sits in memory.
 */
public final class ClassReport {
    /** The page's file name. */
    public static final String PAGE = "index.html";
    /** The summary's file name. */
    public static final String SUMMARY = "summary.md";

    private ClassReport() {}

    /**
     * Writes {@code dir/index.html} and {@code dir/summary.md}, each replaced atomically.
     *
     * @param columns the assignments, in the scorecards' order, with their points possible
     * @param results every student's result; iterated more than once, in the same order each time
     */
    public static void write(Path dir, List<ScoreCards.Column> columns, Iterable<StudentResult> results)
            throws IOException {
        ClassTally t = ClassTally.of(columns, results);
        AtomicFiles.write(dir.resolve(PAGE), w -> ClassPage.write(w, t, results));
        AtomicFiles.write(dir.resolve(SUMMARY), w -> ClassSummary.write(w, t));
    }
}
