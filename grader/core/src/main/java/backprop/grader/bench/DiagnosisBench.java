package backprop.grader.bench;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Grader;
import backprop.grader.files.FileTrees;
import backprop.grader.spec.Assignment;
import backprop.grader.compile.CompileException;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How often the diagnosis is right, on a catalogue of one-bug submissions and correct variants
 * ({@code grader/core/src/test/resources/catalogue/catalogue.yaml}), each the reference solution plus one change.
 * A bug is <em>detected</em> when some check loses points, <em>localized</em> when every failed check of a graph
 * assignment names the method the catalogue says is at fault, and its cause <em>fits</em> when every such check's
 * likely cause contains the catalogue's phrase (or, for a mistake no known one fits, when none gives a likely cause
 * at all: a wrong cause is worse than none). A correct variant raises a <em>false alarm</em> when any check loses
 * points or gets a "where" or a likely cause. Each entry is also graded as a student's local run grades it (no
 * reference, hidden checkpoints removed), and the "where" and likely cause of every graph check both runs have are
 * compared word for word.
 */
public final class DiagnosisBench {
    private DiagnosisBench() {}

    /**
     * What grading one entry showed.
     *
     * @param entry the entry
     * @param detected some check lost points
     * @param localized every failed check of a graph assignment blames the entry's component
     * @param causeFits every such check's likely cause contains the entry's phrase
     * @param graphPointsLost points lost in graph assignments (all but {@code ops})
     * @param falseAlarms for a correct variant, the checks that lost points or got a diagnosis
     * @param compared graph checks with a diagnosis that a local run also has
     * @param agreeing of those, the ones whose "where" and likely cause read the same locally
     * @param misses the first checks that were not localized, had no fitting cause or read differently locally
     * @param results every check of the graded run
     */
    public record Measured(Catalogue.Entry entry, boolean detected, boolean localized, boolean causeFits,
            double graphPointsLost, int falseAlarms, int compared, int agreeing, List<String> misses,
            List<CheckResult> results) {}

    /** Grades one entry as a graded run and as a local run, and measures it. */
    public static Measured measure(Catalogue.Entry e, Components c, Grader graded, Grader local) {
        List<CheckResult> results = graded.grade(c);
        boolean detected = results.stream().anyMatch(r -> r.earned() < r.possible());
        double lost = results.stream().filter(DiagnosisBench::inGraph).mapToDouble(r -> r.possible() - r.earned())
                .sum();
        List<String> misses = new ArrayList<>();
        if (e.correct()) {
            List<CheckResult> alarms = results.stream().filter(r -> r.earned() < r.possible()
                    || r.blame().isPresent() || r.diagnosis().isPresent()).toList();
            alarms.stream().limit(3).forEach(r -> misses.add(r.assignment() + " › " + r.check() + ": "
                    + r.status().word() + " " + r.blame().orElse("") + " " + r.diagnosis().orElse("")));
            int[] agree = agreement(results, local.grade(c), misses);
            return new Measured(e, detected, true, true, lost, alarms.size(), agree[0], agree[1], misses, results);
        }
        List<CheckResult> failed = results.stream().filter(r -> inGraph(r) && !r.kind().equals("forward")
                && (r.status() == backprop.grader.check.Status.FAILED
                        || r.status() == backprop.grader.check.Status.ERROR)).toList();
        boolean localized = !failed.isEmpty();
        boolean fits = !failed.isEmpty();
        for (CheckResult r : failed) {
            if (!r.component().equals(e.component())) {
                localized = false;
                note(misses, r, "blames " + r.component().orElse("nothing") + ": " + r.blame().orElse(r.message()));
            }
            String phrase = e.cause().orElseThrow();
            boolean fitting = phrase.equals(Catalogue.NO_CAUSE) ? r.diagnosis().isEmpty()
                    : r.diagnosis().filter(d -> d.contains(phrase)).isPresent();
            if (!fitting) {
                fits = false;
                note(misses, r, "cause " + r.diagnosis().orElse("none"));
            }
        }
        int[] agree = agreement(results, local.grade(c), misses);
        return new Measured(e, detected, localized, fits, lost, 0, agree[0], agree[1], misses, results);
    }

    private static boolean inGraph(CheckResult r) {
        return !r.kind().equals("unit");
    }

    private static void note(List<String> misses, CheckResult r, String what) {
        if (misses.size() < 4) {
            misses.add(r.assignment() + " › " + r.check() + ": " + what);
        }
    }

    /** {compared, agreeing}: the graph checks with a diagnosis in the graded run that the local run also has. */
    private static int[] agreement(List<CheckResult> graded, List<CheckResult> local, List<String> misses) {
        Map<String, CheckResult> mine = new HashMap<>();
        local.forEach(r -> mine.put(r.assignment() + " › " + r.check(), r));
        int compared = 0;
        int agreeing = 0;
        for (CheckResult g : graded) {
            CheckResult l = mine.get(g.assignment() + " › " + g.check());
            if (!inGraph(g) || l == null || g.blame().isEmpty() && g.diagnosis().isEmpty()) {
                continue;
            }
            compared++;
            if (g.blame().equals(l.blame()) && g.diagnosis().equals(l.diagnosis())) {
                agreeing++;
            } else if (misses.size() < 4) {
                misses.add(g.assignment() + " › " + g.check() + " reads differently locally: where "
                        + l.blame().orElse("-") + "; likely cause " + l.diagnosis().orElse("-"));
            }
        }
        return new int[] {compared, agreeing};
    }

    /** Grades every entry of the catalogue, on as many threads as there are cores, printing a line each. */
    public static List<Measured> run(Path root, Components reference, List<Assignment> assignments,
            PrintWriter progress) throws IOException {
        List<Catalogue.Entry> entries = Catalogue.read(root.resolve(Catalogue.FILE));
        List<Assignment> on = Catalogue.gradedOn(assignments);
        Grader graded = new Grader(on, Optional.of(reference));
        Grader local = new Grader(Catalogue.visibleOnly(on), Optional.empty());
        Path work = Files.createTempDirectory("diagnosis-bench");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<Measured>> futures = new ArrayList<>();
            for (Catalogue.Entry e : entries) {
                futures.add(pool.submit(() -> {
                    Components c;
                    try {
                        c = Catalogue.build(root, e, work);
                    } catch (CompileException x) {
                        throw new IOException("catalogue entry '" + e.name() + "' does not compile: " + x.errors(), x);
                    }
                    Measured m = measure(e, c, graded, local);
                    synchronized (progress) {
                        progress.printf(Locale.ROOT, "  graded %s%n", e.name());
                        progress.flush();
                    }
                    return m;
                }));
            }
            List<Measured> out = new ArrayList<>();
            for (Future<Measured> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            FileTrees.delete(work);
        }
    }

    /** Prints the accuracy table (Markdown) and the totals. */
    public static void print(PrintWriter out, List<Measured> rows, double seconds) {
        out.println("| mistake | must blame | detected | localized | cause fits | points lost in graphs | same words "
                + "locally |");
        out.println("|---|---|:-:|:-:|:-:|--:|--:|");
        for (Measured m : rows) {
            Catalogue.Entry e = m.entry();
            String local = m.compared() == 0 ? "–" : m.agreeing() + "/" + m.compared();
            if (e.correct()) {
                out.printf(Locale.ROOT, "| %s | nothing | %s | | | %s | %s |%n", e.mistake(),
                        m.falseAlarms() == 0 ? "no false alarm" : "**" + m.falseAlarms() + " false alarms**",
                        points(m.graphPointsLost()), local);
            } else {
                out.printf(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %s | %s |%n", e.mistake(), e.component().get(),
                        mark(m.detected()), mark(m.localized()), mark(m.causeFits()), points(m.graphPointsLost()),
                        local);
            }
        }
        List<Measured> bugs = rows.stream().filter(m -> !m.entry().correct()).toList();
        List<Measured> variants = rows.stream().filter(m -> m.entry().correct()).toList();
        long detected = bugs.stream().filter(Measured::detected).count();
        long localized = bugs.stream().filter(Measured::localized).count();
        long fits = bugs.stream().filter(Measured::causeFits).count();
        long inGraph = bugs.stream().filter(m -> m.graphPointsLost() > 0).count();
        long alarms = variants.stream().filter(m -> m.falseAlarms() > 0).count();
        int compared = rows.stream().mapToInt(Measured::compared).sum();
        int agreeing = rows.stream().mapToInt(Measured::agreeing).sum();
        out.println();
        out.printf(Locale.ROOT, "%d one-bug submissions: %d detected (%s), %d localized (%s), %d with a fitting cause "
                + "(%s), %d costing points in a graph assignment (%s)%n", bugs.size(), detected,
                percent(detected, bugs.size()), localized, percent(localized, bugs.size()), fits,
                percent(fits, bugs.size()), inGraph, percent(inGraph, bugs.size()));
        out.printf(Locale.ROOT, "%d correct variants: %d with a false alarm%n", variants.size(), alarms);
        out.printf(Locale.ROOT, "local runs: the same \"where\" and likely cause on %d of %d diagnosed graph checks "
                + "(%s)%n", agreeing, compared, percent(agreeing, compared));
        out.printf(Locale.ROOT, "(%.1f s for %d entries, each graded twice)%n", seconds, rows.size());
        for (Measured m : rows) {
            if (!m.misses().isEmpty()) {
                out.println("  " + m.entry().name() + ":");
                m.misses().forEach(x -> out.println("    " + x));
            }
        }
        out.flush();
    }

    private static String mark(boolean b) {
        return b ? "yes" : "**no**";
    }

    private static String points(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.2f", p);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "–" : String.format(Locale.ROOT, "%.0f %%", 100.0 * part / whole);
    }
}
