package backprop.grader.batch;

import backprop.grader.check.Authority;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.check.Grader;
import backprop.grader.check.Variants;
import backprop.grader.compile.CompileException;
import backprop.grader.compile.Compilers;
import backprop.grader.compile.SourceFiles;
import backprop.grader.files.AtomicFiles;
import backprop.grader.files.FileTrees;
import backprop.grader.files.FolderLock;
import backprop.grader.graph.Op;
import backprop.grader.report.ScoreCards;
import backprop.grader.report.StudentResult;
import backprop.grader.roster.Roster;
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
     * @param selection which submissions this run grades (the scorecards hold every saved result)
     * @param shard the share of the class to grade and report, or empty for the whole class
     */
    /**
     * Submissions graded at once unless told otherwise: one more than the cores. A child spends part of its life
     * waiting (bubblewrap setting up, its frames read, its result forced to disk), and the extra job fills that
     * time: on 2 cores, in four runs of {@code grader bench --only profile} (each two rounds in opposite orders),
     * 3 jobs were never slower than 2 and up to 13 % faster.
     */
    public static int defaultJobs() {
        return Runtime.getRuntime().availableProcessors() + 1;
    }

    public record Options(Path submissions, Path out, List<Path> assignments, Optional<Path> roster, int jobs,
            Limits limits, Duration compileTimeout, boolean regrade, Sandbox.Choice sandbox, Selection selection,
            Optional<Shard> shard) {
        /** Options for grading the whole class. */
        public Options(Path submissions, Path out, List<Path> assignments, Optional<Path> roster, int jobs,
                Limits limits, Duration compileTimeout, boolean regrade, Sandbox.Choice sandbox) {
            this(submissions, out, assignments, roster, jobs, limits, compileTimeout, regrade, sandbox,
                    Selection.all(), Optional.empty());
        }
    }

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
    private final Map<String, Authority> authorities = new LinkedHashMap<>();
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
    private Phases phases = Phases.OFF;

    /** As {@link #run(Options, Components, Path, String, PrintWriter)}, timing each phase into {@code phases}. */
    public static Summary run(Options o, Components reference, Path referencePath, String graderVersion,
            PrintWriter err, Phases phases) throws IOException {
        BatchGrader b = new BatchGrader(o, err, graderVersion);
        b.listener = (r, checks) -> { };
        b.phases = phases;
        return b.go(reference, referencePath);
    }

    private Summary go(Components reference, Path referencePath) throws IOException {
        try (FolderLock lock = lock(o.out()); StopGuard guard = new StopGuard(err, o.out())) {
            stop = guard;
            return gradeInto(reference, referencePath);
        }
    }

    /**
     * Throws, saying who holds it, when another run holds {@code out}: for a caller to stop before its own slow
     * preparations (the run itself locks the folder first thing, too).
     */
    public static void checkOutputFree(Path out) throws IOException {
        lock(out).close();
    }

    /**
     * Locks the output folder for this run, or stops at once, saying who holds it: two runs grading into one
     * folder would grade everything twice and overwrite each other's reports.
     */
    private static FolderLock lock(Path out) throws IOException {
        try {
            return FolderLock.acquire(out, "grader grade");
        } catch (FolderLock.Held e) {
            String pid = e.pid().isPresent() ? Long.toString(e.pid().getAsLong()) : "PID";
            throw new IOException(e.getMessage() + ". Wait for that run to end, or stop it (kill " + pid + "; the "
                    + "results it finished are kept and the next run grades the rest), or give this run another "
                    + "--out.", e);
        }
    }

    private StopGuard stop;

    private Summary gradeInto(Components reference, Path referencePath) throws IOException {
        Instant started = Instant.now();
        Optional<Roster> roster = o.roster().isPresent() ? Optional.of(Roster.read(o.roster().get())) : Optional.empty();
        roster.ifPresent(r -> r.warnings().forEach(w -> err.println("warning: " + w)));
        List<Found> classList = Found.in(o.submissions(), roster, err::println);
        List<Found> found = select(classList);
        List<Found> chosen = o.selection().pick(found);
        removeAbandonedWorkFolders();
        work = Files.createTempDirectory(WORK_PREFIX + ProcessHandle.current().pid() + "-");
        // the compile processes start (a JVM each, javac warmed up) while the assignments are read, the reference is
        // evaluated, the sandbox is probed and the sources are hashed
        CompletableFuture<Compilers> starting = startCompilers(Compilers.processesFor(Math.min(o.jobs(),
                Math.max(1, found.size()))));
        try {
            long p0 = phases.start();
            AssignmentSet set = AssignmentSet.load(o.assignments());
            set.problems().forEach(p -> err.println("skipped, " + p));
            assignments = set.assignments();
            if (assignments.isEmpty()) {
                throw new IOException("no usable assignment in " + o.assignments());
            }
            grader = new Grader(assignments, Optional.of(reference));
            for (Assignment a : assignments) {
                Authority auth = grader.authority(a, reference);
                authorities.put(a.id(), auth);
                catalog.put(a.id(), Checker.check(a, auth.reference().orElseThrow(), auth));
                assignmentHashes.put(a.id(), Sources.sha256(a.file()));
            }
            required = required(assignments);
            phases.end(Phases.RUN + "assignments read, the reference's own evaluation", p0);
            String referenceHash = Sources.hash(referencePath);
            String runKey = Sources.sha256(graderVersion + "\n" + Sources.codeHash() + "\n" + assignmentHashes + "\n"
                    + referenceHash);
            store = new ResultStore(o.out().resolve(RESULTS));
            store.removeStaleTemporaries();
            AtomicFiles.removeStale(o.out());
            long p1 = phases.start();
            Path harness = HarnessJar.write(work.resolve("harness/harness.jar"));
            sandbox = Sandbox.detect(o.sandbox(), harness, work, o.limits(), err::println);
            sandbox.warning().ifPresent(w -> {
                err.println("************************************************************************");
                err.println(w);
                err.println("************************************************************************");
            });
            err.println("sandbox: " + sandbox.description());
            phases.end(Phases.RUN + "harness jar written, sandbox probed", p1);
            long p2 = phases.start();
            Map<String, String> keys = new LinkedHashMap<>();
            for (Found f : found) {
                keys.put(f.id(), Sources.sha256(runKey + "\n" + Sources.hash(f.path())));
            }
            phases.end(Phases.RUN + "sources hashed (every submission)", p2);
            boolean regrade = o.regrade() || o.selection().regrades();
            List<Found> pending = chosen.stream().filter(f -> regrade || !saved(f, keys)).toList();
            int reused = chosen.size() - pending.size();
            err.printf(Locale.ROOT, "grading %d submission(s) with %d job(s)%s; limits: %s%n", pending.size(), o.jobs(),
                    reused == 0 ? "" : " (" + reused + " already graded by an earlier run, kept; --regrade grades them "
                            + "again)", o.limits().describe());
            if (!pending.isEmpty()) {
                long p3 = phases.start();
                compilers = started(starting);
                phases.end(Phases.RUN + "compile processes started (waited for)", p3);
                err.println("compiler: " + compilers.description());
            }
            err.flush();
            int failures = gradeAll(pending, keys, reused, chosen.size());
            if (chosen.size() < found.size()) {
                noteLeftOut(found, chosen, keys);
            }
            stop.check("the reports were written");
            long p4 = phases.start();
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("submissions", o.submissions().toString());
            options.put("assignments", o.assignments().stream().map(Path::toString).toList());
            options.put("reference", referencePath.toString());
            options.put("roster", o.roster().map(Path::toString).orElse(""));
            options.put("jobs", o.jobs());
            options.put("regrade", o.regrade());
            options.put("compile_timeout_s", o.compileTimeout().toSeconds());
            options.put("compiler", compilers == null ? "" : compilers.description());
            Map<String, Integer> byStatus = Reports.write(o.out(), store, found, keys, assignments.stream()
                    .map(a -> new ScoreCards.Column(a.id(), a.maxPoints())).toList(), (statuses, reports) -> {
                        Map<String, Integer> counts = new LinkedHashMap<>();
                        counts.put("found", found.size());
                        counts.put("graded_now", pending.size() - failures);
                        counts.put("reused", reused);
                        counts.put("grader_failures", failures);
                        counts.putAll(statuses);
                        Optional<Map<String, Object>> shard = o.shard().map(sh -> ShardRecord.of(sh, classList, keys,
                                store));
                        return Provenance.json(graderVersion, assignments, assignmentHashes, referenceHash, sandbox,
                                o.limits(), options, started, Instant.now(), counts, reports, shard);
                    }, stop);
            phases.end(Phases.RUN + "reports written", p4);
            Path scores = o.out().resolve(Reports.SCORES);
            Path details = o.out().resolve(Reports.DETAILS);
            Path provenance = o.out().resolve(Reports.PROVENANCE);
            return new Summary(found.size(), pending.size() - failures, reused, byStatus, failures, scores, details,
                    provenance, sandbox.mechanism());
        } finally {
            starting.thenAccept(Compilers::close).exceptionally(e -> null).join();
            FileTrees.delete(work);
        }
    }

    private boolean saved(Found f, Map<String, String> keys) {
        return store.load(f.id()).filter(r -> r.key().equals(keys.get(f.id()))).isPresent();
    }

    /** Names the submissions this run did not grade that have no saved result the scorecards can hold. */
    private void noteLeftOut(List<Found> found, List<Found> chosen, Map<String, String> keys) {
        Set<Found> graded = new java.util.HashSet<>(chosen);
        List<String> out = found.stream().filter(f -> !graded.contains(f) && !saved(f, keys)).map(Found::id).toList();
        if (!out.isEmpty()) {
            err.println("note: " + out.size() + " submission(s) not graded by this run have no saved result for these "
                    + "sources, assignments, reference and grader, so the CSVs leave them out (grade without --only "
                    + "to include them): " + String.join(", ", out.subList(0, Math.min(10, out.size())))
                    + (out.size() > 10 ? ", …" : ""));
        }
    }

    /** The submissions this run grades and reports: the whole class, or its shard's share of it. */
    private List<Found> select(List<Found> all) {
        if (o.shard().isEmpty()) {
            return all;
        }
        List<Found> share = o.shard().get().select(all);
        err.printf(Locale.ROOT, "shard %s: %d of the class's %d submission(s)%n", o.shard().get(), share.size(),
                all.size());
        return share;
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
                    stop.started(f.id());
                    try {
                        Graded g = gradeOne(f, keys.get(f.id()), i);
                        StudentResult r = g.result();
                        long p = phases.start();
                        stop.save(f.id(), () -> store.save(r));
                        phases.end("result saved", p);
                        listener.accept(r, g.checks());
                        progress.finished(r.student(), r.status(), r.total(), r.maximum(), r.seconds());
                    } catch (StopGuard.Stopped e) {
                        // abandoned: the stop names it, the next run grades it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception | LinkageError e) {
                        stop.ended(f.id());
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

    /** A submission's result and the check results it was made from. */
    private record Graded(StudentResult result, List<CheckResult> checks) {}

    /** Grades one submission; throws only when the grader itself fails, or is being stopped. */
    private Graded gradeOne(Found f, String key, int index) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(work.resolve(String.format(Locale.ROOT, "s%05d", index)));
        try {
            Path classes = dir.resolve("classes");
            long p = phases.start();
            try {
                compilers.compile(sources(f, dir), classes);
            } catch (CompileException e) {
                return result(f, key, Verdict.compileError(e), e.errors(), t0);
            } finally {
                phases.end("sources read and compiled", p);
            }
            p = phases.start();
            List<String> missing = required.stream()
                    .filter(c -> !Files.isRegularFile(classes.resolve(Op.PACKAGE).resolve(c + ".class"))).toList();
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            // an assignment with per-student variants is graded on this student's own values
            List<Assignment> mine = new ArrayList<>();
            Map<String, Authority> refs = new LinkedHashMap<>();
            Map<String, Long> seeds = new LinkedHashMap<>();
            for (Assignment a : assignments) {
                Optional<Variants.Variant> v = grader.variant(a, Optional.of(f.id()));
                Assignment x = v.map(Variants.Variant::assignment).orElse(a);
                mine.add(x);
                refs.put(a.id(), v.isPresent() ? v.get().authority() : authorities.get(a.id()));
                v.ifPresent(vv -> seeds.put(a.id(), vv.seed()));
            }
            Codec.Job job = Codec.Job.of(Sandbox.nonce(), f.id(), o.limits().threads(), mine);
            phases.end("child's job and folders made ready", p);
            p = phases.start();
            int slot = slots.take();
            phases.end("waiting for a sandbox slot", p);
            ChildResult r;
            try {
                stop.check("a child was started");
            } catch (StopGuard.Stopped e) {
                slots.put(slot);
                throw e;
            }
            try {
                p = phases.start();
                sandbox.prepare(work, dir, classes, scratch, slot);
                phases.end("child's job and folders made ready", p);
                r = ChildRun.run(sandbox, classes, scratch, slot, o.limits(), job, false,
                        phases.child(mine.stream().map(Assignment::id).toList()));
            } finally {
                slots.put(slot);
            }
            return result(f, key, Verdict.of(mine, r, refs, catalog, missing, o.limits(), seeds, phases), List.of(),
                    t0);
        } finally {
            long p = phases.start();
            FileTrees.delete(dir);
            phases.end("work folder deleted", p);
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

    private Graded result(Found f, String key, Verdict v, List<String> compilerErrors, long t0) {
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
        return new Graded(r, v.checks());
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
