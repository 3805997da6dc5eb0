package backprop.grader.bench;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Grader;
import backprop.grader.files.FileTrees;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import backprop.grader.submission.CompileException;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import java.util.stream.Stream;

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
    /** Where the catalogue is, relative to the repository root. */
    public static final String CATALOGUE = "grader/core/src/test/resources/catalogue/catalogue.yaml";
    private static final String RESOURCES = "grader/core/src/test/resources";
    /** The catalogue's word for "no known mistake fits, so no likely cause may be given". */
    static final String NO_CAUSE = "none";

    private DiagnosisBench() {}

    /**
     * A change to one reference class.
     *
     * @param className the class, for example {@code "Sigmoid"}
     * @param find text that occurs exactly once in it
     * @param replace what takes its place
     */
    public record Patch(String className, String find, String replace) {}

    /**
     * One catalogue entry.
     *
     * @param name its row in the table
     * @param mistake the classic mistake in a few words
     * @param fixture a folder of classes laid over the reference, relative to the test resources
     * @param patch a change to one reference class
     * @param component the method that must be blamed; empty for a correct variant
     * @param cause a phrase the likely cause must contain; empty for a correct variant
     */
    public record Entry(String name, String mistake, Optional<String> fixture, Optional<Patch> patch,
            Optional<String> component, Optional<String> cause) {

        /** Returns true for a correct variant, which must lose nothing. */
        public boolean correct() {
            return component.isEmpty();
        }
    }

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
    public record Measured(Entry entry, boolean detected, boolean localized, boolean causeFits,
            double graphPointsLost, int falseAlarms, int compared, int agreeing, List<String> misses,
            List<CheckResult> results) {}

    /** Reads the catalogue; a malformed entry is an {@link IOException} naming it. */
    public static List<Entry> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": the catalogue must be a list of entries");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String name = text(e, "name").orElseThrow(() -> new IOException(file + ": an entry without a name"));
            Optional<Patch> patch = Optional.empty();
            if (e.has("patch")) {
                JsonNode p = e.get("patch");
                patch = Optional.of(new Patch(required(p, "class", name, file), required(p, "find", name, file),
                        required(p, "replace", name, file)));
            }
            Optional<String> fixture = text(e, "fixture");
            if (patch.isPresent() == fixture.isPresent()) {
                throw new IOException(file + ": entry '" + name + "' needs exactly one of patch and fixture");
            }
            Optional<String> component = text(e, "component");
            if (component.isPresent() != e.has("cause")) {
                throw new IOException(file + ": entry '" + name + "' needs both component and cause, or neither");
            }
            out.add(new Entry(name, required(e, "mistake", name, file), fixture, patch, component, text(e, "cause")));
        }
        return out;
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static String required(JsonNode n, String field, String entry, Path file) throws IOException {
        return text(n, field).orElseThrow(() -> new IOException(file + ": entry '" + entry + "' has no " + field));
    }

    /** The entry's submission: the reference's sources with the entry's change, compiled under {@code work}. */
    public static Components build(Path root, Entry e, Path work) throws IOException, CompileException {
        Path src = work.resolve(e.name()).resolve("src");
        Path homework = Files.createDirectories(src.resolve("homework"));
        FileTrees.copy(root.resolve("grader/reference/src/main/java/homework"), homework);
        if (e.fixture().isPresent()) {
            Path classes = root.resolve(RESOURCES).resolve(e.fixture().get()).resolve("homework");
            try (Stream<Path> s = Files.list(classes)) {
                for (Path p : s.toList()) {
                    Files.copy(p, homework.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            Patch p = e.patch().orElseThrow();
            Path file = homework.resolve(p.className() + ".java");
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int at = text.indexOf(p.find());
            if (at < 0 || text.indexOf(p.find(), at + 1) >= 0) {
                throw new IOException("catalogue entry '" + e.name() + "': its patch must match " + p.className()
                        + ".java exactly once, and it matches " + (at < 0 ? "nowhere" : "more than once")
                        + " (has the reference changed?)");
            }
            Files.writeString(file, text.substring(0, at) + p.replace() + text.substring(at + p.find().length()),
                    StandardCharsets.UTF_8);
        }
        return Submission.compile(e.name(), List.of(src), work.resolve(e.name()).resolve("classes"));
    }

    /** The assignments as a student's copy holds them: the same, without their hidden checkpoints. */
    public static List<Assignment> visibleOnly(List<Assignment> assignments) {
        return assignments.stream().map(a -> a.with(Map.of(), a.checkpoints().stream()
                .filter(cp -> cp.visibility() == Checkpoint.Visibility.VISIBLE).toList())).toList();
    }

    /** Grades one entry as a graded run and as a local run, and measures it. */
    public static Measured measure(Entry e, Components c, Grader graded, Grader local) {
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
            boolean fitting = phrase.equals(NO_CAUSE) ? r.diagnosis().isEmpty()
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

    /**
     * The assignments the catalogue is graded on: every one whose tensors are small enough to grade in a blink.
     * {@code scale-784-128-10} is there for the gradient-check benchmark; it exercises no mistake the others do not,
     * and it would triple the time.
     */
    public static List<Assignment> gradedOn(List<Assignment> assignments) {
        return assignments.stream().filter(a -> a.parameters().values().stream().allMatch(m -> m.size() <= LARGE)
                && a.inputs().values().stream().allMatch(m -> m.size() <= LARGE)).toList();
    }

    /** Entries in a tensor above which an assignment is left out of the catalogue's grading. */
    private static final int LARGE = 10_000;

    /** Grades every entry of the catalogue, on as many threads as there are cores, printing a line each. */
    public static List<Measured> run(Path root, Components reference, List<Assignment> assignments,
            PrintWriter progress) throws IOException {
        List<Entry> entries = read(root.resolve(CATALOGUE));
        List<Assignment> on = gradedOn(assignments);
        Grader graded = new Grader(on, Optional.of(reference));
        Grader local = new Grader(visibleOnly(on), Optional.empty());
        Path work = Files.createTempDirectory("diagnosis-bench");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<Measured>> futures = new ArrayList<>();
            for (Entry e : entries) {
                futures.add(pool.submit(() -> {
                    Components c;
                    try {
                        c = build(root, e, work);
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
            Entry e = m.entry();
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
