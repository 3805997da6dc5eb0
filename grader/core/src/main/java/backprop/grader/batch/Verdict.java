package backprop.grader.batch;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.check.Grader;
import backprop.grader.check.Status;
import backprop.grader.run.Trace;
import backprop.grader.sandbox.ChildMain;
import backprop.grader.sandbox.ChildResult;
import backprop.grader.sandbox.ChildResult.Ending;
import backprop.grader.sandbox.Limits;
import backprop.grader.spec.Assignment;
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
     * @param reference the reference's trace of each assignment
     * @param catalog every check of each assignment (from the reference's own grading), for rows not run
     * @param missing classes the assignments need that the submission lacks
     * @param variants the seed of each assignment graded on the student's own variant
     */
    static Verdict of(List<Assignment> assignments, ChildResult r, Map<String, Optional<Trace>> reference,
            Map<String, List<CheckResult>> catalog, List<String> missing, Limits limits, Map<String, Long> variants) {
        int n = assignments.size();
        List<CheckResult> checks = new ArrayList<>();
        int usable = Math.min(r.traces().size(), n);
        for (int i = 0; i < usable; i++) {
            Assignment a = assignments.get(i);
            try {
                Long seed = variants.get(a.id());
                checks.addAll(Checker.check(a, r.traces().get(i), reference.get(a.id())).stream()
                        .map(c -> seed == null ? c : c.withVariant(seed)).toList());
            } catch (RuntimeException e) {
                // a trace the engine could not have produced (a forged frame): nothing from here on counts
                r = new ChildResult(r.hello(), r.traces().subList(0, i), false, Optional.empty(), OptionalInt.empty(),
                        r.ending(), r.exitCode(), r.outputBytes(), Optional.of("a result that cannot be checked ("
                                + e.getClass().getSimpleName() + ")"), r.stderrHead(), r.stderrTail(),
                        r.stdoutHead(), r.elapsed());
                usable = i;
            }
        }
        checks = new ArrayList<>(Grader.withVerdicts(checks));
        boolean complete = r.done() && r.traces().size() == n;
        int at = Math.min(r.stoppedAt(), n);
        String during = at < n ? " during " + assignments.get(at).id() : "";
        SubmissionStatus status;
        String reason;
        if (r.ending() == Ending.TIMEOUT && r.exitedDuring().isPresent()) {
            status = SubmissionStatus.EXITED;
            reason = "student code called System.exit" + during + ", and its shutdown hooks did not finish";
        } else if (r.ending() == Ending.TIMEOUT) {
            status = SubmissionStatus.TIMEOUT;
            reason = "stopped at the " + seconds(limits) + " s time limit" + during;
        } else if (r.ending() == Ending.OUTPUT_FLOOD && !complete) {
            status = SubmissionStatus.OUTPUT_FLOOD;
            reason = "printed more than " + size(limits.outputBytes()) + " and was stopped" + during;
        } else if (r.ending() == Ending.LIMIT && r.fault().isPresent() && !complete) {
            // killed by the grader, which saw a limit on memory, threads or processes broken and names it
            status = SubmissionStatus.MEMORY;
            reason = r.fault().get().message() + during;
        } else if (r.fault().isPresent() && !complete) {
            ChildResult.Fault f = r.fault().get();
            String where = f.assignment() >= 0 && f.assignment() < n ? " during " + assignments.get(f.assignment()).id()
                    : during;
            switch (f.kind()) {
                case ChildMain.MEMORY -> {
                    status = SubmissionStatus.MEMORY;
                    reason = "ran out of memory (heap limit " + limits.heapMb() + " MiB: " + f.message() + ")" + where;
                }
                case ChildMain.THREADS -> {
                    status = SubmissionStatus.MEMORY;
                    reason = "too many threads (" + f.message() + "; the limit is " + limits.threads() + ")" + where;
                }
                case ChildMain.PROCESS -> {
                    status = SubmissionStatus.MEMORY;
                    reason = "started a process (not allowed)" + where;
                }
                default -> {
                    status = SubmissionStatus.CRASHED;
                    reason = "the grading harness stopped on " + f.message() + where;
                }
            }
        } else if (r.protocolProblem().isPresent() && !complete && r.ending() == Ending.EXITED) {
            status = SubmissionStatus.PROTOCOL_ERROR;
            reason = r.protocolProblem().get() + during;
        } else if (complete) {
            status = missing.isEmpty() ? SubmissionStatus.GRADED : SubmissionStatus.MISSING_CLASS;
            long notPassed = checks.stream().filter(c -> !c.status().earnsPoints()).count();
            reason = !missing.isEmpty() ? "missing " + String.join(", ", missing.stream().map(m -> "homework." + m)
                    .toList()) + " (not handed in, or not in package homework)"
                    : notPassed == 0 ? "all " + checks.size() + " checks passed"
                    : notPassed + " of " + checks.size() + " checks not passed";
        } else if (r.exitedDuring().isPresent()) {
            status = SubmissionStatus.EXITED;
            int i = r.exitedDuring().getAsInt();
            reason = "student code called System.exit" + (r.exitCode() >= 0 ? "(" + r.exitCode() + ")" : "")
                    + (i >= 0 && i < n ? " during " + assignments.get(i).id() : during);
        } else if (!r.hello()) {
            status = SubmissionStatus.CRASHED;
            reason = "the child JVM did not start (exit code " + r.exitCode() + ")" + firstLine(r);
        } else if (r.exitCode() == CPU_LIMIT_EXIT) {
            status = SubmissionStatus.TIMEOUT;
            reason = "stopped at the CPU-time limit of " + limits.cpuSeconds() + " s" + during;
        } else if (mentions(r, "OutOfMemoryError") || mentions(r, "insufficient memory for the Java Runtime")) {
            status = SubmissionStatus.MEMORY;
            reason = "ran out of memory (heap limit " + limits.heapMb() + " MiB)" + during;
        } else if (r.exitCode() >= 128 || mentions(r, "A fatal error has been detected")) {
            status = SubmissionStatus.CRASHED;
            reason = "the child JVM died" + (r.exitCode() >= 128 ? " (signal " + (r.exitCode() - 128) + ")"
                    : " (exit code " + r.exitCode() + ")") + during + firstLine(r);
        } else if (r.exitCode() == 0) {
            status = SubmissionStatus.PROTOCOL_ERROR;
            reason = "the child ended without a valid result" + during
                    + " (did the submission write to or close the raw standard output?)";
        } else {
            status = SubmissionStatus.EXITED;
            reason = "the JVM ended with exit code " + r.exitCode() + during + " (System.exit or Runtime.halt)";
        }
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

    /** A verdict for a submission that never ran: every check skipped with the reason. */
    static Verdict notRun(List<Assignment> assignments, Map<String, List<CheckResult>> catalog,
            SubmissionStatus status, String reason) {
        List<CheckResult> checks = new ArrayList<>();
        for (Assignment a : assignments) {
            for (CheckResult c : catalog.getOrDefault(a.id(), List.of())) {
                checks.add(new CheckResult(a.id(), c.check(), c.kind(), Status.SKIPPED, 0, c.possible(),
                        c.visibility(), Optional.empty(), "not run: " + status.word() + ": " + oneLine(reason),
                        Optional.empty()));
            }
        }
        return new Verdict(status, oneLine(reason), checks);
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
