package backprop.grader.batch;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.check.Grader;
import backprop.grader.check.Variants;
import backprop.grader.compile.CompileException;
import backprop.grader.compile.Compilers;
import backprop.grader.compile.SourceFiles;
import backprop.grader.files.FileTrees;
import backprop.grader.graph.Op;
import backprop.grader.report.ScoreCards;
import backprop.grader.report.StudentResult;
import backprop.grader.run.Trace;
import backprop.grader.sandbox.ChildResult;
import backprop.grader.sandbox.ChildRun;
import backprop.grader.sandbox.Codec;
import backprop.grader.sandbox.HarnessJar;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.submission.Components;
import java.util.Locale;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One {@code grader grade} run over a folder of submissions. Each submission's sources are read without following
 * links, compiled in a warm compile process of the grader's (bounded, killed at the time limit), run in a child
 * JVM under the sandbox, and checked here against the reference; its result is
 * persisted at once. Submissions run in parallel, one sandbox slot (and uid) per job. A result persisted by an
 * earlier run for the same grader, assignments, reference and sources is reused unless asked to regrade. The
 * CSVs and the provenance are rebuilt from the persisted results at the end.
 */
public final class BatchGrader {
    /** Where results are persisted, inside the output folder. */
    public static final String RESULTS = ".results";

    /**
     * What to grade and how.
     *
     * @param submissions the folder of submissions
     * @param out where the CSVs go
     * @param assignments assignment files or folders
     * @param roster optional roster CSV
     * @param jobs submissions graded at once
     * @param limits per child
     * @param compileTimeout per compilation
     * @param regrade grade again what was already graded
     * @param sandbox the isolation asked for
     */
    public record Options(Path submissions, Path out, List<Path> assignments, Optional<Path> roster, int jobs,
            Limits limits, Duration compileTimeout, boolean regrade, Sandbox.Choice sandbox) {}

    /**
     * How the run went.
     *
     * @param submissions submissions found
     * @param gradedNow graded in this run
     * @param reused results reused from an earlier run
     * @param byStatus submissions per status
     * @param graderFailures submissions the grader itself failed on (not in the CSVs; rerun to retry)
     * @param scores the scores file
     * @param details the details file
     * @param provenance the provenance file
     * @param mechanism the sandbox mechanism used
     */
    public record Summary(int submissions, int gradedNow, int reused, Map<String, Integer> byStatus, int graderFailures,
            Path scores, Path details, Path provenance, Sandbox.Mechanism mechanism) {}

    private final Options o;
    private final PrintWriter err;
    private final String graderVersion;
    private List<Assignment> assignments;
    private final Map<String, Optional<Trace>> referenceTraces = new LinkedHashMap<>();
    private final Map<String, List<CheckResult>> catalog = new LinkedHashMap<>();
    private final Map<String, String> assignmentHashes = new LinkedHashMap<>();
    private Set<String> required;
    private Grader grader;
    private Sandbox sandbox;
    private Path work;
    private ResultStore store;
    private BlockingQueue<Integer> slots;
    private Compilers compilers;

    private BatchGrader(Options o, PrintWriter err, String graderVersion) {
        this.o = o;
        this.err = err;
        this.graderVersion = graderVersion;
    }

    /**
     * Grades the submissions of {@code o} against {@code reference} (found at {@code referencePath}).
     *
     * @throws IOException when the run cannot be done at all (no assignments, no sandbox, an unwritable output)
     */
    public static Summary run(Options o, Components reference, Path referencePath, String graderVersion,
            PrintWriter err) throws IOException {
        return run(o, reference, referencePath, graderVersion, err, (r, checks) -> { });
    }

    /**
     * As {@link #run(Options, Components, Path, String, PrintWriter)}, and hands every submission graded in this
     * run, with its check results, to {@code listener} as soon as it is final (one submission's worth at a time;
     * nothing is kept).
     */
    public static Summary run(Options o, Components reference, Path referencePath, String graderVersion,
            PrintWriter err, BiConsumer<StudentResult, List<CheckResult>> listener) throws IOException {
        BatchGrader b = new BatchGrader(o, err, graderVersion);
        b.listener = listener;
        return b.go(reference, referencePath);
    }

    private BiConsumer<StudentResult, List<CheckResult>> listener;

    private Summary go(Components reference, Path referencePath) throws IOException {
        Instant started = Instant.now();
        AssignmentSet set = AssignmentSet.load(o.assignments());
        set.problems().forEach(p -> err.println("skipped, " + p));
        assignments = set.assignments();
        if (assignments.isEmpty()) {
            throw new IOException("no usable assignment in " + o.assignments());
        }
        grader = new Grader(assignments, Optional.of(reference));
        for (Assignment a : assignments) {
            Optional<Trace> ref = grader.referenceTrace(a);
            referenceTraces.put(a.id(), ref);
            catalog.put(a.id(), Checker.check(a, ref.orElseThrow(), ref));
            assignmentHashes.put(a.id(), Sources.sha256(a.file()));
        }
        required = required(assignments);
        String referenceHash = Sources.hash(referencePath);
        String runKey = Sources.sha256(graderVersion + "\n" + Sources.codeHash() + "\n" + assignmentHashes + "\n"
                + referenceHash);
        Optional<Roster> roster = o.roster().isPresent() ? Optional.of(Roster.read(o.roster().get())) : Optional.empty();
        List<Found> found = Found.in(o.submissions(), roster, err::println);
        Files.createDirectories(o.out());
        store = new ResultStore(o.out().resolve(RESULTS));
        store.removeStaleTemporaries();
        removeAbandonedWorkFolders();
        work = Files.createTempDirectory(WORK_PREFIX + ProcessHandle.current().pid() + "-");
        // the compile processes start (a JVM each, javac warmed up) while the sandbox is probed and sources hashed
        CompletableFuture<Compilers> starting = startCompilers(Compilers.processesFor(Math.min(o.jobs(),
                Math.max(1, found.size()))));
        try {
            Path harness = HarnessJar.write(work.resolve("harness/harness.jar"));
            sandbox = Sandbox.detect(o.sandbox(), harness, work, o.limits(), err::println);
            sandbox.warning().ifPresent(w -> {
                err.println("************************************************************************");
                err.println(w);
                err.println("************************************************************************");
            });
            err.println("sandbox: " + sandbox.description());
            Map<String, String> keys = new LinkedHashMap<>();
            List<Found> pending = new ArrayList<>();
            for (Found f : found) {
                String key = Sources.sha256(runKey + "\n" + Sources.hash(f.path()));
                keys.put(f.id(), key);
                Optional<StudentResult> done = store.load(f.id()).filter(r -> r.key().equals(key));
                if (o.regrade() || done.isEmpty()) {
                    pending.add(f);
                }
            }
            int reused = found.size() - pending.size();
            err.printf(Locale.ROOT, "grading %d submission(s) with %d job(s)%s; limits: %s%n", pending.size(), o.jobs(),
                    reused == 0 ? "" : " (" + reused + " already graded by an earlier run, kept; --regrade grades them "
                            + "again)", o.limits().describe());
            if (!pending.isEmpty()) {
                compilers = started(starting);
                err.println("compiler: " + compilers.description());
            }
            err.flush();
            int failures = gradeAll(pending, keys, reused, found.size());
            // Read back one student at a time while writing: a class of any size never sits in memory whole.
            Iterable<StudentResult> results = () -> found.stream().map(f -> store.load(f.id())
                    .filter(r -> r.key().equals(keys.get(f.id())))).flatMap(Optional::stream).iterator();
            Path scores = o.out().resolve("scores.csv");
            Path details = o.out().resolve("details.csv");
            Path provenance = o.out().resolve("provenance.json");
            ScoreCards.writeScores(scores, assignments.stream().map(a -> new ScoreCards.Column(a.id(), a.maxPoints()))
                    .toList(), results);
            ScoreCards.writeDetails(details, results);
            Map<String, Integer> byStatus = new TreeMap<>();
            results.forEach(r -> byStatus.merge(r.status(), 1, Integer::sum));
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("submissions", o.submissions().toString());
            options.put("assignments", o.assignments().stream().map(Path::toString).toList());
            options.put("reference", referencePath.toString());
            options.put("roster", o.roster().map(Path::toString).orElse(""));
            options.put("jobs", o.jobs());
            options.put("regrade", o.regrade());
            options.put("compile_timeout_s", o.compileTimeout().toSeconds());
            options.put("compiler", compilers == null ? "" : compilers.description());
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("found", found.size());
            counts.put("graded_now", pending.size() - failures);
            counts.put("reused", reused);
            counts.put("grader_failures", failures);
            counts.putAll(byStatus);
            Provenance.write(provenance, graderVersion, assignments, assignmentHashes, referenceHash, sandbox,
                    o.limits(), options, started, Instant.now(), counts);
            return new Summary(found.size(), pending.size() - failures, reused, byStatus, failures, scores, details,
                    provenance, sandbox.mechanism());
        } finally {
            starting.thenAccept(Compilers::close).exceptionally(e -> null).join();
            FileTrees.delete(work);
        }
    }

    private CompletableFuture<Compilers> startCompilers(int size) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Compilers.start(size, Compilers.Limits.DEFAULT.withTime(o.compileTimeout()), work, err::println);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static Compilers started(CompletableFuture<Compilers> starting) throws IOException {
        try {
            return starting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Work folders are {@code grader-batch-PID-…} in the system's temporary folder. */
    static final String WORK_PREFIX = "grader-batch-";

    /** Deletes the work folders of grader runs that were killed (their process is gone). */
    static void removeAbandonedWorkFolders() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(WORK_PREFIX) || !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String[] parts = n.substring(WORK_PREFIX.length()).split("-", 2);
                try {
                    long pid = Long.parseLong(parts[0]);
                    if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                        FileTrees.delete(p);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        } catch (IOException e) {
            // nothing to clean, or not allowed to look: leave it to the system
        }
    }

    private int gradeAll(List<Found> pending, Map<String, String> keys, int reused, int total) throws IOException {
        int jobs = Math.max(1, Math.min(o.jobs(), Math.max(1, pending.size())));
        slots = new ArrayBlockingQueue<>(jobs);
        for (int i = 0; i < jobs; i++) {
            slots.add(i);
        }
        Progress progress = new Progress(err, total, reused);
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "grade");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            int index = 0;
            for (Found f : pending) {
                int i = index++;
                futures.add(pool.submit(() -> {
                    try {
                        StudentResult r = gradeOne(f, keys.get(f.id()), i);
                        store.save(r);
                        progress.finished(r.student(), r.status(), r.total(), r.maximum(), r.seconds());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception | LinkageError e) {
                        failures.incrementAndGet();
                        progress.failed(f.id(), e.toString());
                    }
                }));
            }
            for (Future<?> fu : futures) {
                try {
                    fu.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                } catch (ExecutionException e) {
                    failures.incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failures.get();
    }

    /** Grades one submission; throws only when the grader itself fails. */
    private StudentResult gradeOne(Found f, String key, int index) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(work.resolve(String.format(Locale.ROOT, "s%05d", index)));
        try {
            Path classes = dir.resolve("classes");
            try {
                compilers.compile(sources(f, dir), classes);
            } catch (CompileException e) {
                return result(f, key, Verdict.notRun(assignments, catalog, SubmissionStatus.COMPILE_ERROR,
                        e.reason()), e.errors(), t0);
            }
            List<String> missing = required.stream()
                    .filter(c -> !Files.isRegularFile(classes.resolve(Op.PACKAGE).resolve(c + ".class"))).toList();
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            // an assignment with per-student variants is graded on this student's own values
            List<Assignment> mine = new ArrayList<>();
            Map<String, Optional<Trace>> refs = new LinkedHashMap<>();
            Map<String, Long> seeds = new LinkedHashMap<>();
            for (Assignment a : assignments) {
                Optional<Variants.Variant> v = grader.variant(a, Optional.of(f.id()));
                Assignment x = v.map(Variants.Variant::assignment).orElse(a);
                mine.add(x);
                refs.put(a.id(), v.isPresent() ? Optional.of(v.get().referenceTrace()) : referenceTraces.get(a.id()));
                v.ifPresent(vv -> seeds.put(a.id(), vv.seed()));
            }
            Codec.Job job = new Codec.Job(Sandbox.nonce(), f.id(), o.limits().threads(),
                    mine.stream().map(Codec::strip).toList());
            int slot = slots.take();
            ChildResult r;
            try {
                sandbox.prepare(work, dir, classes, scratch, slot);
                r = ChildRun.run(sandbox, classes, scratch, slot, o.limits(), job, false);
            } finally {
                slots.put(slot);
            }
            return result(f, key, Verdict.of(mine, r, refs, catalog, missing, o.limits(), seeds), List.of(), t0);
        } finally {
            FileTrees.delete(dir);
        }
    }

    /**
     * A submission's sources, read into memory without following links: from its folder, or from its zip unpacked
     * into the grader's own folder {@code dir}.
     */
    private static SourceFiles sources(Found f, Path dir) throws CompileException, IOException {
        if (!f.isZip()) {
            return SourceFiles.read(f.path());
        }
        Path unzipped = dir.resolve("unzipped");
        try {
            Sources.unzip(f.path(), unzipped);
        } catch (Sources.Unreadable e) {
            throw CompileException.of(e.getMessage());
        }
        return SourceFiles.read(unzipped);
    }

    private StudentResult result(Found f, String key, Verdict v, List<String> compilerErrors, long t0) {
        List<StudentResult.AssignmentPoints> points = new ArrayList<>();
        double total = 0;
        double max = 0;
        for (Assignment a : assignments) {
            double earned = v.checks().stream().filter(c -> c.assignment().equals(a.id()))
                    .mapToDouble(CheckResult::earned).sum();
            points.add(new StudentResult.AssignmentPoints(a.id(), earned, a.maxPoints()));
            total += earned;
            max += a.maxPoints();
        }
        StudentResult r = new StudentResult(key, f.id(), f.name(), f.source(), v.status().word(), v.reason(), total,
                max, points, v.checks().stream().map(StudentResult.CheckRow::of).toList(),
                compilerErrors.stream().map(Verdict::oneLine).toList(), sandbox.mechanism().word(),
                Math.round((System.nanoTime() - t0) / 1e6) / 1000.0, Instant.now().toString());
        listener.accept(r, v.checks());
        return r;
    }

    /** The classes the assignments need: each op of a graph or unit check, the reverse pass, the optimizer. */
    static Set<String> required(List<Assignment> assignments) {
        Set<String> out = new LinkedHashSet<>();
        for (Assignment a : assignments) {
            a.graph().forEach(n -> Op.byName(n.op()).ifPresent(op -> out.add(op.simpleClassName())));
            if (!a.graph().isEmpty()) {
                out.add(Components.REVERSE_PASS);
            }
            if (a.optimizer().isPresent() && a.maxSteps() > 0) {
                out.add(Components.OPTIMIZER);
            }
            for (Assignment.UnitCheckSpec u : a.unitChecks()) {
                Op.byName(u.op()).ifPresent(op -> out.add(op.simpleClassName()));
                if (u.op().equals(AssignmentReader.SGD)) {
                    out.add(Components.OPTIMIZER);
                } else if (u.op().equals(AssignmentReader.REVERSE_PASS)) {
                    out.add(Components.REVERSE_PASS);
                }
            }
        }
        return out;
    }
}
