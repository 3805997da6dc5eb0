package backprop.grader.report;

import backprop.grader.files.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The class report of a batch run: {@code index.html}, the class at a glance in a browser, and
 * {@code summary.md}, its figures as Markdown. Both are a function of the assignment columns and the results
 * alone, read once, in order: each student is counted into small tallies and written to the page's table and
 * sections (kept in two temporary files beside the page until the figures that head it are known), then dropped.
 * The same results give the same bytes, and a class of any size never sits in memory.
 */
public final class ClassReport {
    /** The page's file name. */
    public static final String PAGE = "index.html";
    /** The summary's file name. */
    public static final String SUMMARY = "summary.md";

    private ClassReport() {}

    /**
     * Writes {@code dir/index.html} and {@code dir/summary.md}, replaced together.
     *
     * @param columns the assignments, in the scorecards' order, with their points possible
     * @param results every student's result, read once
     */
    public static void write(Path dir, List<ScoreCards.Column> columns, Iterable<StudentResult> results)
            throws IOException {
        try (AtomicFiles.Group g = new AtomicFiles.Group()) {
            stage(g, dir, columns, results);
            g.commit();
        }
    }

    /**
     * Writes {@code dir/index.html} and {@code dir/summary.md} beside their targets, to be renamed into place when
     * {@code g} commits (with the other reports of the same run).
     */
    public static void stage(AtomicFiles.Group g, Path dir, List<ScoreCards.Column> columns,
            Iterable<StudentResult> results) throws IOException {
        Files.createDirectories(dir);
        Path rows = Files.createTempFile(dir, "." + PAGE + ".rows.", ".tmp");
        Path sections = Files.createTempFile(dir, "." + PAGE + ".sections.", ".tmp");
        try {
            ClassTally t = new ClassTally(columns);
            try (Writer rw = Files.newBufferedWriter(rows, StandardCharsets.UTF_8);
                    Writer sw = Files.newBufferedWriter(sections, StandardCharsets.UTF_8)) {
                Html table = new Html(rw);
                Html students = new Html(sw);
                for (StudentResult r : results) {
                    t.add(r);
                    StudentSections.row(table, r);
                    StudentSections.section(students, r);
                }
            }
            g.stage(dir.resolve(PAGE), w -> ClassPage.write(w, t, rows, sections));
            g.stage(dir.resolve(SUMMARY), w -> ClassSummary.write(w, t));
        } finally {
            Files.deleteIfExists(rows);
            Files.deleteIfExists(sections);
        }
    }
}
