package backprop.grader.cli;

import backprop.grader.batch.BatchGrader;
import backprop.grader.batch.SubmissionStatus;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.submission.CallGuard;
import backprop.grader.submission.CompileException;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
            "", "With no --submissions it grades the bundled sample class (grader/samples/class) with a 10 s time "
                + "limit."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run completed (whatever the students scored)",
            "2:the grader itself failed (bad usage, no sandbox, unreadable input, a submission it could not "
                + "process)"})
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
            description = "Submissions graded at once (default: the number of cores, ${DEFAULT-VALUE}).")
    private int jobs = Runtime.getRuntime().availableProcessors();

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

    @Option(names = "--sandbox", paramLabel = "MECHANISM",
            description = "auto (the strongest that works here), bwrap, uid or none (default: ${DEFAULT-VALUE}).")
    private String sandbox = "auto";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean sample = submissions == null;
        Path subs = sample ? Home.root().resolve("grader/samples/class") : submissions;
        Limits limits;
        Sandbox.Choice pref;
        try {
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
            pref = switch (sandbox.toLowerCase(Locale.ROOT)) {
                case "auto" -> Sandbox.Choice.AUTO;
                case "bwrap", "bubblewrap" -> Sandbox.Choice.BWRAP;
                case "uid" -> Sandbox.Choice.UID;
                case "none", "plain" -> Sandbox.Choice.NONE;
                default -> throw new IllegalArgumentException("--sandbox must be auto, bwrap, uid or none");
            };
        } catch (IllegalArgumentException e) {
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        Path refPath = reference == null ? Home.reference() : reference;
        Components ref;
        try {
            ref = Home.openReference(refPath);
        } catch (CompileException e) {
            err.println("grader: the reference solution " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        if (sample) {
            err.println("grading the bundled sample class in " + subs + " (--submissions DIR grades yours)");
        }
        BatchGrader.Summary s;
        try {
            s = BatchGrader.run(new BatchGrader.Options(subs, out == null ? Home.root().resolve("reports") : out,
                    assignments.isEmpty() ? List.of(Home.assignments()) : assignments, Optional.ofNullable(roster),
                    jobs, limits, Duration.ofMillis(Math.round(compileTimeout * 1000)), regrade, pref), ref, refPath,
                    Main.version(), err);
        } catch (IOException e) {
            err.println("grader: " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        List<String> parts = new ArrayList<>();
        for (SubmissionStatus st : SubmissionStatus.values()) {
            Integer n = s.byStatus().get(st.word());
            if (n != null) {
                parts.add(n + " " + st.word());
            }
        }
        o.printf(Locale.ROOT, "%d submission(s): %s%s%n", s.submissions(), parts.isEmpty() ? "none" : String.join(", ", parts),
                s.reused() > 0 ? " (" + s.reused() + " kept from an earlier run)" : "");
        o.printf(Locale.ROOT, "sandbox: %s%n", s.mechanism().word());
        o.printf(Locale.ROOT, "wrote %s, %s, %s%n", s.scores(), s.details(), s.provenance());
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
}
