package backprop.grader.batch;

import backprop.grader.files.AtomicFiles;
import backprop.grader.report.ClassReport;
import backprop.grader.report.ScoreCards;
import backprop.grader.report.StudentResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reports of a grade run — {@code scores.csv}, {@code details.csv}, the class page {@code index.html} and
 * {@code summary.md}, and {@code provenance.json} — made from one set of saved results and replaced together: every file is written beside its target first, and only when all
 * are written are they renamed into place, {@code provenance.json} last, with the SHA-256 of the other two. A
 * write that fails (a full disk, a file-size limit) leaves all three as the previous run left them; a rename
 * that fails half-way says which files were replaced.
 */
final class Reports {
    static final String SCORES = "scores.csv";
    static final String DETAILS = "details.csv";
    static final String PROVENANCE = "provenance.json";

    private Reports() {}

    /** {@code provenance.json}, given the count of each status and the hash of each other report. */
    @FunctionalInterface
    interface ProvenanceJson {
        byte[] json(Map<String, Integer> byStatus, Map<String, String> reports) throws IOException;
    }

    /**
     * Writes the reports of the students in {@code found} that have a saved result for their key.
     *
     * @return the count of each status in them
     * @throws StopGuard.Stopped when the grader is being stopped: nothing was replaced
     * @throws IOException when they could not all be written, saying which were and what to do
     */
    static Map<String, Integer> write(Path out, ResultStore store, List<Found> found, Map<String, String> keys,
            List<ScoreCards.Column> columns, ProvenanceJson provenance, StopGuard stop) throws IOException {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> byStatus = new TreeMap<>();
        for (Found f : found) {
            store.load(f.id()).filter(r -> r.key().equals(keys.get(f.id()))).ifPresent(r -> {
                ids.add(f.id());
                byStatus.merge(r.status(), 1, Integer::sum);
            });
        }
        // read back one student at a time while writing: a class of any size never sits in memory whole
        Iterable<StudentResult> results = () -> ids.stream().map(id -> reload(store, id, keys.get(id))).iterator();
        try (AtomicFiles.Group g = new AtomicFiles.Group()) {
            AtomicFiles.Staged scores = g.stage(out.resolve(SCORES), ScoreCards.scores(columns, results));
            AtomicFiles.Staged details = g.stage(out.resolve(DETAILS), ScoreCards.details(results));
            ClassReport.stage(g, out, columns, results);
            Map<String, String> hashes = new LinkedHashMap<>();
            hashes.put(SCORES, scores.sha256());
            hashes.put(DETAILS, details.sha256());
            g.stage(out.resolve(PROVENANCE), provenance.json(Collections.unmodifiableMap(byStatus), hashes));
            stop.commit(g);
        } catch (StopGuard.Stopped e) {
            throw e;
        } catch (AtomicFiles.NotAllReplaced e) {
            throw new IOException("the reports in " + out + " are not all from this run: " + e.getMessage()
                    + ". Run the same command again to write them all from the saved results.", e);
        } catch (IOException e) {
            throw new IOException("could not write the reports in " + out + ": " + e.getMessage() + ". "
                    + String.join(", ", SCORES, DETAILS, ClassReport.PAGE, ClassReport.SUMMARY, PROVENANCE)
                    + " are left as they were; the results are "
                    + "saved in " + store.dir() + ", so the same command, run again once the cause is fixed, "
                    + "writes the reports without grading again.", e);
        }
        return byStatus;
    }

    private static StudentResult reload(ResultStore store, String id, String key) {
        return store.load(id).filter(r -> r.key().equals(key)).orElseThrow(() -> new UncheckedIOException(
                new IOException("the saved result of " + id + " changed or vanished while the reports were written")));
    }
}
