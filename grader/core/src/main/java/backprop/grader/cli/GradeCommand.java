package backprop.grader.cli;

import backprop.grader.batch.BatchGrader;
import backprop.grader.batch.SampleClass;
import backprop.grader.batch.Selection;
import backprop.grader.batch.Shard;
import backprop.grader.batch.ShardEnvironment;
import backprop.grader.batch.SubmissionStatus;
import backprop.grader.report.ClassReport;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.compile.CompileException;
import backprop.grader.submission.CallGuard;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grader grade}: grades a folder of submissions, each in a sandboxed child JVM, into CSV scorecards. */
@Command(name = "grade", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grade a whole class: every submission (a folder or a .zip) in a sandboxed child JVM, "
                + "into OUT/scores.csv (a row per student), OUT/details.csv (a row per check) and "
                + "OUT/provenance.json. A submission that fails to compile, loops, crashes, exits, floods the "
                + "output or eats memory gets a status and the others are unaffected. Results are kept as they "
                + "finish, so running it again after an interruption grades only what is left.",
            "", "With no --submissions it grades the bundled sample class (the reference and the stubs with the "
                + "patches of grader/samples/class, made in grader/samples/target/class) with a 10 s time limit."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run completed (whatever the students scored)",
            "2:the grader itself failed (bad usage, no sandbox, unreadable input, the output folder in use by "
                + "another run, reports it could not write, a submission it could not process)"})
final class GradeCommand implements Callable<Integer> {
    @Option(names = "--submissions", paramLabel = "DIR",
            description = "Folder of submissions: one sub-folder or .zip per student (default: the sample class).")
    private Path submissions;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the CSVs go (default: reports/).")
    private Path out;

    @Option(names = "--roster", paramLabel = "CSV",
            description = "Class list with columns id, name and optionally folder: maps submission names to ids.")
    private Path roster;

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "Assignment files or folders (default: the repository's assignments/).")
    private List<Path> assignments = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "DIR", description = "The reference solution (default: grader/reference).")
    private Path reference;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Submissions graded at once (default: one more than the cores, ${DEFAULT-VALUE}).")
    private int jobs = BatchGrader.defaultJobs();

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Wall time per submission, all assignments together (default: 60; 10 for the sample).")
    private Double timeout;

    @Option(names = "--call-timeout", paramLabel = "SECONDS",
            description = "Time one call into a submission's code may take before it counts as hung and only the "
                    + "checks that need it are lost; at most half of --timeout; 0 for no limit (default: 5; 2 for "
                    + "the sample).")
    private Double callTimeout;

    @Option(names = "--heap", paramLabel = "SIZE", description = "Java heap per submission (default: ${DEFAULT-VALUE}).")
    private String heap = "256m";

    @Option(names = "--stack", paramLabel = "SIZE", description = "Stack per thread (default: ${DEFAULT-VALUE}).")
    private String stack = "1m";

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads a submission may start (default: ${DEFAULT-VALUE}).")
    private int threads = Limits.DEFAULT.threads();

    @Option(names = "--max-output", paramLabel = "SIZE",
            description = "Output a submission may print, stdout and stderr together (default: ${DEFAULT-VALUE}).")
    private String maxOutput = "1m";

    @Option(names = "--compile-timeout", paramLabel = "SECONDS",
            description = "Time to compile one submission (default: ${DEFAULT-VALUE}).")
    private double compileTimeout = 60;

    @Option(names = "--regrade", description = "Grade again the submissions an earlier run already graded.")
    private boolean regrade;

    @Option(names = "--only", paramLabel = "ID", arity = "1..*", split = ",",
            description = "Grade again only these students (ids as in the roster, or folder or zip names), and "
                    + "rebuild the CSVs from every saved result.")
    private List<String> only = new ArrayList<>();

    @Option(names = "--sandbox", paramLabel = "MECHANISM",
            description = "auto (bubblewrap; without it grade stops and says how to install it), bwrap, uid (as "
                    + "root: the same namespaces without bubblewrap) or none (no isolation: for code you trust) "
                    + "(default: ${DEFAULT-VALUE}). The bundled sample class falls back to uid or none with a warning.")
    private String sandbox = "auto";

    @Option(names = "--shard", paramLabel = "I/N|auto[/N]",
            description = {"Grade only shard I of N (from 0) of the class: the students whose id's SHA-256 falls in "
                + "it, whatever the folder's order; every student is in exactly one shard. 'auto' reads the shard "
                + "from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX; give the count as auto/N) or a Slurm array "
                + "(SLURM_ARRAY_TASK_ID, _MIN, _COUNT). Give each shard its own --out, then: grader merge DIR... "
                + "--out DIR."})
    private String shard;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean sample = submissions == null;
        Path subs = submissions;
        Limits limits;
        Sandbox.Choice pref;
        Optional<Shard> share;
        try {
            share = shard == null ? Optional.empty() : Optional.of(ShardEnvironment.resolve(shard, System.getenv()));
            double seconds = timeout != null ? timeout : sample ? 10 : 60;
            if (!(seconds > 0) || jobs < 1 || !(compileTimeout > 0)) {
                throw new IllegalArgumentException("--timeout, --jobs and --compile-timeout must be positive");
            }
            double perCall = callTimeout != null ? callTimeout : sample ? 2 : CallGuard.DEFAULT.toMillis() / 1000.0;
            if (!(perCall >= 0)) {
                throw new IllegalArgumentException("--call-timeout must be 0 or more");
            }
            limits = new Limits(Duration.ofMillis(Math.round(seconds * 1000)), (int) (size(heap, 1 << 20) >> 20),
                    (int) (size(stack, 1 << 10) >> 10), threads, Limits.DEFAULT.openFiles(), Limits.DEFAULT.fileBytes(),
                    size(maxOutput, 1), Duration.ofMillis(Math.round(perCall * 1000)));
            // the sample class is the project's own code: it grades on a machine without bubblewrap too
            pref = Sandbox.Choice.parse(sandbox, sample);
        } catch (IllegalArgumentException e) {
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        Path outDir = out == null ? Home.root().resolve("reports") : out;
        Path refPath = reference == null ? Home.reference() : reference;
        Components ref;
        try {
            BatchGrader.checkOutputFree(outDir);
            ref = Home.openReference(refPath);
        } catch (CompileException e) {
            err.println("grader: the reference solution " + e.getMessage());
            return Main.GRADER_ERROR;
        } catch (IOException e) {
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        if (sample) {
            try {
                subs = SampleClass.of(Home.root());
            } catch (IOException e) {
                err.println("grader: the sample class cannot be made: " + e.getMessage());
                return Main.GRADER_ERROR;
            }
            err.println("grading the bundled sample class, made from grader/samples/class in " + subs
                    + " (--submissions DIR grades yours)");
        }
        BatchGrader.Summary s;
        try {
            s = BatchGrader.run(new BatchGrader.Options(subs, outDir,
                    assignments.isEmpty() ? List.of(Home.assignments()) : assignments, Optional.ofNullable(roster),
                    jobs, limits, Duration.ofMillis(Math.round(compileTimeout * 1000)), regrade, pref,
                    only.isEmpty() ? Selection.all() : Selection.only(only), share), ref, refPath, Main.version(), err);
        } catch (IOException | IllegalArgumentException e) {
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        o.printf(Locale.ROOT, "%d submission(s): %s%s%n", s.submissions(), counts(s.byStatus()),
                s.reused() > 0 ? " (" + s.reused() + " kept from an earlier run)" : "");
        o.printf(Locale.ROOT, "sandbox: %s%n", s.mechanism().word());
        o.printf(Locale.ROOT, "wrote %s, %s, %s%n", s.scores(), s.details(), s.provenance());
        o.printf(Locale.ROOT, "class report: %s (open it in a browser), %s%n",
                s.scores().resolveSibling(ClassReport.PAGE), s.scores().resolveSibling(ClassReport.SUMMARY));
        if (s.graderFailures() > 0) {
            o.printf(Locale.ROOT, "the grader failed on %d submission(s): they are not in the CSVs; run again to retry%n",
                    s.graderFailures());
            o.flush();
            return Main.GRADER_ERROR;
        }
        o.flush();
        return 0;
    }

    /** Parses {@code 256m}, {@code 1g}, {@code 512k} or a plain number of {@code unit}s. */
    static long size(String s, long unit) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long mult = unit;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            mult = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (try 256m, 1g, 512k)");
        }
    }

    /** Counts by status in the statuses' own order ({@code 4 graded, 1 compile-error}), or {@code none}. */
    static String counts(Map<String, Integer> byStatus) {
        List<String> parts = new ArrayList<>();
        for (SubmissionStatus st : SubmissionStatus.values()) {
            Integer n = byStatus.get(st.word());
            if (n != null) {
                parts.add(n + " " + st.word());
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
