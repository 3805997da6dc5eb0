package backprop.grader.batch;

import backprop.grader.check.Authority;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.check.Status;
import backprop.grader.run.Trace;
import backprop.grader.sandbox.ChildMain;
import backprop.grader.sandbox.ChildResult;
import backprop.grader.sandbox.ChildResult.Ending;
import backprop.grader.sandbox.Limits;
import backprop.grader.spec.Assignment;
import backprop.grader.compile.CompileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns what came back from a child into a status, a one-line reason and a result for every check: the
 * assignments the child finished are checked against the reference in the parent; the one it stopped in gets
 * an error row per check and the later ones a skipped row per check, each saying why, worth 0.
 *
 * @param status the submission's status
 * @param reason one line
 * @param checks every check of every assignment, in order
 */
record Verdict(SubmissionStatus status, String reason, List<CheckResult> checks) {
    /** SIGXCPU (24) as the exit code of a process killed by it. */
    private static final int CPU_LIMIT_EXIT = 128 + 24;

    /**
     * Judges one child's run.
     *
     * @param assignments the assignments sent, in order
     * @param r what came back
     * @param reference the grader's own evaluation of each assignment
     * @param catalog every check of each assignment (from the reference's own grading), for rows not run
     * @param missing classes the assignments need that the submission lacks
     * @param variants the seed of each assignment graded on the student's own variant
     */
    static Verdict of(List<Assignment> assignments, ChildResult r, Map<String, Authority> reference,
            Map<String, List<CheckResult>> catalog, List<String> missing, Limits limits, Map<String, Long> variants) {
        return of(assignments, r, reference, catalog, missing, limits, variants, Phases.OFF);
    }

    /** As the other {@code of}, timing the judging of each assignment into {@code phases}. */
    static Verdict of(List<Assignment> assignments, ChildResult r, Map<String, Authority> reference,
            Map<String, List<CheckResult>> catalog, List<String> missing, Limits limits, Map<String, Long> variants,
            Phases phases) {
        int n = assignments.size();
        List<CheckResult> checks = new ArrayList<>();
        int usable = Math.min(r.traces().size(), n);
        for (int i = 0; i < usable; i++) {
            Assignment a = assignments.get(i);
            long p = phases.start();
            try {
                Long seed = variants.get(a.id());
                checks.addAll(Checker.check(a, r.traces().get(i), reference.get(a.id())).stream()
                        .map(c -> seed == null ? c : c.withVariant(seed)).toList());
                phases.end("judged: " + a.id(), p);
            } catch (RuntimeException e) {
                // a trace the engine could not have produced (a forged frame): nothing from here on counts
                r = new ChildResult(r.hello(), r.traces().subList(0, i), false, Optional.empty(), OptionalInt.empty(),
                        r.ending(), r.exitCode(), r.outputBytes(), Optional.of("a result that cannot be checked ("
                                + e.getClass().getSimpleName() + ")"), r.stderrHead(), r.stderrTail(),
                        r.stdoutHead(), r.elapsed());
                usable = i;
            }
        }
        boolean complete = r.done() && r.traces().size() == n;
        int at = Math.min(r.stoppedAt(), n);
        String during = at < n ? " during " + assignments.get(at).id() : "";
        Ended ended = complete ? completed(checks, missing) : stopped(r, assignments, limits, during);
        SubmissionStatus status = ended.status();
        String reason = ended.reason();
        String why = status.word() + ": " + reason;
        for (int i = r.traces().size(); i < n; i++) {
            Assignment a = assignments.get(i);
            boolean stoppedHere = i == at;
            for (CheckResult c : catalog.getOrDefault(a.id(), List.of())) {
                checks.add(new CheckResult(a.id(), c.check(), c.kind(), stoppedHere ? Status.ERROR : Status.SKIPPED, 0,
                        c.possible(), c.visibility(), Optional.empty(), stoppedHere ? "not finished: " + why
                                : "not run: " + why, Optional.empty()));
            }
        }
        return new Verdict(status, oneLine(reason), checks);
    }

    /** A status and its reason. */
    private record Ended(SubmissionStatus status, String reason) {}

    private static Ended completed(List<CheckResult> checks, List<String> missing) {
        if (!missing.isEmpty()) {
            return new Ended(SubmissionStatus.MISSING_CLASS, "missing " + String.join(", ", missing.stream()
                    .map(m -> "homework." + m).toList()) + " (not handed in, or not in package homework)");
        }
        long notPassed = checks.stream().filter(c -> !c.status().earnsPoints()).count();
        return new Ended(SubmissionStatus.GRADED, notPassed == 0 ? "all " + checks.size() + " checks passed"
                : notPassed + " of " + checks.size() + " checks not passed");
    }

    /**
     * Why a child ended without every result, from what the grader saw: its own limits first (time, output),
     * then what the harness reported (a fault, a {@code System.exit}), then how the process ended
     * ({@link #endedByItself}).
     */
    private static Ended stopped(ChildResult r, List<Assignment> assignments, Limits limits, String during) {
        int n = assignments.size();
        if (r.ending() == Ending.TIMEOUT && r.exitedDuring().isPresent()) {
            return new Ended(SubmissionStatus.EXITED, "student code called System.exit" + during
                    + ", and its shutdown hooks did not finish");
        }
        if (r.ending() == Ending.TIMEOUT) {
            return new Ended(SubmissionStatus.TIMEOUT, "stopped at the " + seconds(limits) + " s time limit" + during);
        }
        if (r.ending() == Ending.LIMIT && r.fault().isPresent()) {
            // killed by the grader, which saw a limit on memory, threads or processes broken and names it
            return new Ended(SubmissionStatus.MEMORY, r.fault().get().message() + during);
        }
        if (r.ending() == Ending.OUTPUT_FLOOD) {
            return new Ended(SubmissionStatus.OUTPUT_FLOOD, "printed more than " + size(limits.outputBytes())
                    + " and was stopped" + during);
        }
        if (r.fault().isPresent()) {
            ChildResult.Fault f = r.fault().get();
            String where = f.assignment() >= 0 && f.assignment() < n ? " during " + assignments.get(f.assignment())
                    .id() : during;
            return switch (f.kind()) {
                case ChildMain.MEMORY -> new Ended(SubmissionStatus.MEMORY, "ran out of memory (heap limit "
                        + limits.heapMb() + " MiB: " + f.message() + ")" + where);
                case ChildMain.THREADS -> new Ended(SubmissionStatus.MEMORY, "too many threads (" + f.message()
                        + "; the limit is " + limits.threads() + ")" + where);
                case ChildMain.PROCESS -> new Ended(SubmissionStatus.MEMORY, "started a process (not allowed)"
                        + where);
                default -> new Ended(SubmissionStatus.CRASHED, "the grading harness stopped on " + f.message()
                        + where);
            };
        }
        if (r.exitedDuring().isPresent()) {
            int i = r.exitedDuring().getAsInt();
            return new Ended(SubmissionStatus.EXITED, "student code called System.exit" + (r.exitCode() >= 0
                    ? "(" + r.exitCode() + ")" : "") + (i >= 0 && i < n ? " during " + assignments.get(i).id()
                    : during));
        }
        return endedByItself(r, limits, during);
    }

    /**
     * Why a child that ended by itself sent no more results. A signal, the CPU limit or the heap explain it first.
     * Otherwise the child broke the protocol when the result channel failed (an unreadable, damaged or cut-off
     * frame, or the harness found its channel closed) or when it exited with 0; any other exit code is student
     * code ending the JVM ({@code Runtime.halt}).
     */
    private static Ended endedByItself(ChildResult r, Limits limits, String during) {
        if (!r.hello()) {
            return new Ended(SubmissionStatus.CRASHED, "the child JVM did not start (exit code " + r.exitCode() + ")"
                    + firstLine(r));
        }
        if (r.exitCode() == CPU_LIMIT_EXIT) {
            return new Ended(SubmissionStatus.TIMEOUT, "stopped at the CPU-time limit of " + limits.cpuSeconds()
                    + " s" + during);
        }
        if (mentions(r, "OutOfMemoryError") || mentions(r, "insufficient memory for the Java Runtime")) {
            return new Ended(SubmissionStatus.MEMORY, "ran out of memory (heap limit " + limits.heapMb() + " MiB)"
                    + during);
        }
        if (r.exitCode() >= 128 || mentions(r, "A fatal error has been detected")) {
            return new Ended(SubmissionStatus.CRASHED, "the child JVM died" + (r.exitCode() >= 128 ? " (signal "
                    + (r.exitCode() - 128) + ")" : " (exit code " + r.exitCode() + ")") + during + firstLine(r));
        }
        if (r.protocolProblem().isPresent()) {
            return new Ended(SubmissionStatus.PROTOCOL_ERROR, r.protocolProblem().get() + during);
        }
        if (r.exitCode() == ChildMain.CHANNEL_LOST) {
            return new Ended(SubmissionStatus.PROTOCOL_ERROR, "the result channel was closed" + during
                    + " (did the submission close the raw standard output?)");
        }
        if (r.exitCode() == 0) {
            return new Ended(SubmissionStatus.PROTOCOL_ERROR, "the child ended without a valid result" + during
                    + " (did the submission write to or close the raw standard output, or halt the JVM?)");
        }
        return new Ended(SubmissionStatus.EXITED, "the JVM ended with exit code " + r.exitCode() + during
                + " (System.exit or Runtime.halt)");
    }

    /**
     * A verdict for a submission that never ran (it did not compile, had no sources, or was a broken zip): the
     * status and reason, and no check results. A row per check would only repeat the reason; every check scores 0,
     * and the scorecards say why on the submission's own row.
     */
    static Verdict notRun(SubmissionStatus status, String reason) {
        return new Verdict(status, oneLine(reason), List.of());
    }

    /** A verdict for a submission that does not compile: its reason is the compiler's first error, said once. */
    static Verdict compileError(CompileException e) {
        return notRun(SubmissionStatus.COMPILE_ERROR, e.getMessage());
    }

    private static boolean mentions(ChildResult r, String s) {
        return r.stderrHead().contains(s) || r.stderrTail().contains(s) || r.stdoutHead().contains(s);
    }

    private static String firstLine(ChildResult r) {
        String l = (r.stderrHead() + "\n" + r.stdoutHead()).lines().map(String::strip).filter(x -> !x.isEmpty())
                .findFirst().orElse("");
        return l.isEmpty() ? "" : ": " + l;
    }

    static String oneLine(String s) {
        String l = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return l.length() > 400 ? l.substring(0, 400) + "…" : l;
    }

    private static String seconds(Limits l) {
        long ms = l.wall().toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
