package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.check.Authority;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.check.Status;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.sandbox.ChildMain;
import backprop.grader.sandbox.ChildResult;
import backprop.grader.sandbox.ChildResult.Ending;
import backprop.grader.sandbox.Limits;
import backprop.grader.spec.Assignment;
import backprop.grader.compile.CompileException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** From what a child returned to exactly one status and a reason, and a row for every check. */
class VerdictTest {
    static final List<Assignment> AS = List.of(TestFiles.assignment("seed-000"), TestFiles.assignment("ops"));
    static final Map<String, Authority> REF = new LinkedHashMap<>();
    static final Map<String, List<CheckResult>> CATALOG = new LinkedHashMap<>();
    static final Limits LIMITS = Limits.DEFAULT.withWall(Duration.ofSeconds(7));

    static {
        for (Assignment a : AS) {
            Authority auth = Authority.of(a, TestFiles.reference());
            REF.put(a.id(), auth);
            CATALOG.put(a.id(), Checker.check(a, auth.reference().orElseThrow(), auth));
        }
    }

    static ChildResult child(int traces, boolean done, Optional<ChildResult.Fault> fault, OptionalInt exited,
            Ending ending, int exit, Optional<String> protocol, String stderr, boolean hello) {
        List<Trace> ts = AS.subList(0, traces).stream().map(a -> REF.get(a.id()).reference().orElseThrow()).toList();
        return new ChildResult(hello, ts, done, fault, exited, ending, exit, stderr.length(), protocol, stderr, "", "",
                Duration.ofMillis(100));
    }

    static ChildResult stopped(int exit, String stderr) {
        return child(1, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED, exit, Optional.empty(), stderr,
                true);
    }

    static Verdict judge(ChildResult r) {
        return Verdict.of(AS, r, REF, CATALOG, List.of(), LIMITS, Map.of());
    }

    @Test
    void aCompleteRunIsGradedAndAMissingClassIsSaid() {
        ChildResult all = child(2, true, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 0, Optional.empty(), "",
                true);
        Verdict v = judge(all);
        assertThat(v.status()).isEqualTo(SubmissionStatus.GRADED);
        assertThat(v.reason()).isEqualTo("all " + v.checks().size() + " checks passed");
        assertThat(v.checks()).hasSize(CATALOG.values().stream().mapToInt(List::size).sum());
        Verdict m = Verdict.of(AS, all, REF, CATALOG, List.of("Softmax"), LIMITS, Map.of());
        assertThat(m.status()).isEqualTo(SubmissionStatus.MISSING_CLASS);
        assertThat(m.reason()).startsWith("missing homework.Softmax");
        // a flood after the last result does not take the results away
        assertThat(judge(child(2, true, Optional.empty(), OptionalInt.empty(), Ending.OUTPUT_FLOOD, -1,
                Optional.empty(), "", true)).status()).isEqualTo(SubmissionStatus.GRADED);
    }

    @Test
    void aRunStoppedHalfWayKeepsTheFinishedAssignmentAndSaysWhereItStopped() {
        Verdict v = judge(child(1, false, Optional.empty(), OptionalInt.empty(), Ending.TIMEOUT, -1, Optional.empty(),
                "", true));
        assertThat(v.status()).isEqualTo(SubmissionStatus.TIMEOUT);
        assertThat(v.reason()).isEqualTo("stopped at the 7 s time limit during ops");
        assertThat(v.checks()).filteredOn(c -> c.assignment().equals("seed-000")).allMatch(c -> c.status().earnsPoints());
        assertThat(v.checks()).filteredOn(c -> c.assignment().equals("ops")).isNotEmpty().allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Status.ERROR);
            assertThat(c.earned()).isZero();
            assertThat(c.message()).isEqualTo("not finished: timeout: stopped at the 7 s time limit during ops");
        });
    }

    @Test
    void eachWayOfEndingHasItsStatus() {
        assertThat(judge(child(1, false, Optional.of(new ChildResult.Fault(1, ChildMain.MEMORY, "Java heap space")),
                OptionalInt.empty(), Ending.EXITED, 86, Optional.empty(), "", true)).status())
                .isEqualTo(SubmissionStatus.MEMORY);
        assertThat(judge(child(1, false, Optional.of(new ChildResult.Fault(1, ChildMain.THREADS, "x")),
                OptionalInt.empty(), Ending.EXITED, 86, Optional.empty(), "", true)).reason()).startsWith("too many threads");
        assertThat(judge(child(1, false, Optional.of(new ChildResult.Fault(1, ChildMain.CRASH, "java.lang.InternalError")),
                OptionalInt.empty(), Ending.EXITED, 86, Optional.empty(), "", true)).status())
                .isEqualTo(SubmissionStatus.CRASHED);
        assertThat(judge(child(1, false, Optional.empty(), OptionalInt.of(1), Ending.EXITED, 3, Optional.empty(), "",
                true)).reason()).isEqualTo("student code called System.exit(3) during ops");
        assertThat(judge(child(1, false, Optional.empty(), OptionalInt.of(1), Ending.TIMEOUT, -1, Optional.empty(), "",
                true)).reason()).isEqualTo("student code called System.exit during ops, and its shutdown hooks did not "
                        + "finish");
        assertThat(judge(child(1, false, Optional.empty(), OptionalInt.empty(), Ending.OUTPUT_FLOOD, -1,
                Optional.empty(), "", true)).status()).isEqualTo(SubmissionStatus.OUTPUT_FLOOD);
        assertThat(judge(child(1, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 0,
                Optional.of("an unreadable result frame (bad count)"), "", true)).status())
                .isEqualTo(SubmissionStatus.PROTOCOL_ERROR);
        assertThat(judge(stopped(0, "")).status()).isEqualTo(SubmissionStatus.PROTOCOL_ERROR);
        assertThat(judge(stopped(152, "")).reason()).startsWith("stopped at the CPU-time limit");
        assertThat(judge(stopped(134, "")).reason()).isEqualTo("the child JVM died (signal 6) during ops");
        assertThat(judge(stopped(1, "# A fatal error has been detected by the Java Runtime Environment:")).status())
                .isEqualTo(SubmissionStatus.CRASHED);
        assertThat(judge(stopped(1, "java.lang.OutOfMemoryError: Metaspace")).status())
                .isEqualTo(SubmissionStatus.MEMORY);
        assertThat(judge(stopped(42, "")).reason()).startsWith("the JVM ended with exit code 42 during ops");
        Verdict noStart = judge(child(0, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 1,
                Optional.empty(), "Error: Could not find or load main class\n", false));
        assertThat(noStart.status()).isEqualTo(SubmissionStatus.CRASHED);
        assertThat(noStart.reason()).contains("did not start").contains("Could not find");
    }

    @Test
    void aResultTheEngineCouldNotHaveMadeIsWrongOrAProtocolErrorNeverAGraderFailure() {
        Trace good = REF.get("seed-000").reference().orElseThrow();
        Map<String, backprop.api.Matrix> forward = new LinkedHashMap<>(good.forward());
        forward.replaceAll((k, v) -> backprop.api.Matrix.zeros(7, 9));
        Trace badShapes = new Trace(forward, good.failedNode(), good.forwardFault(), good.gradients(), Map.of(),
                good.parametersAfter(), good.units());
        Trace ops = REF.get("ops").reference().orElseThrow();
        Trace noUnits = new Trace(ops.forward(), ops.failedNode(), ops.forwardFault(), ops.gradients(), ops.probes(),
                ops.parametersAfter(), Map.of());
        Verdict wrong = judge(new ChildResult(true, List.of(badShapes, ops), true, Optional.empty(),
                OptionalInt.empty(), Ending.EXITED, 0, 0, Optional.empty(), "", "", "", Duration.ZERO));
        assertThat(wrong.status()).isEqualTo(SubmissionStatus.GRADED);
        assertThat(wrong.checks()).filteredOn(c -> c.assignment().equals("seed-000") && c.kind().equals("forward"))
                .isNotEmpty().noneMatch(c -> c.status().earnsPoints());
        Verdict broken = judge(new ChildResult(true, List.of(good, noUnits), true, Optional.empty(),
                OptionalInt.empty(), Ending.EXITED, 0, 0, Optional.empty(), "", "", "", Duration.ZERO));
        // a trace is only values: missing ones cost the checks that need them, and the rest is graded as usual
        assertThat(broken.status()).isEqualTo(SubmissionStatus.GRADED);
        assertThat(broken.checks()).filteredOn(c -> c.assignment().equals("seed-000")).allMatch(c -> c.status()
                .earnsPoints());
        assertThat(broken.checks()).filteredOn(c -> c.assignment().equals("ops")).isNotEmpty()
                .noneMatch(c -> c.status().earnsPoints());
        assertThat(broken.checks()).hasSize(CATALOG.values().stream().mapToInt(List::size).sum());
    }

    /** What the grader sees of each way a child can end its result channel, and the status each gets. */
    @Test
    void eachWayTheResultChannelCanEndHasItsStatus() {
        Map<String, ChildResult> endings = new LinkedHashMap<>();
        endings.put("closed early", stopped(ChildMain.CHANNEL_LOST, ""));
        endings.put("garbage", child(1, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 0,
                Optional.of("2 damaged result frame(s) (a wrong length or checksum)"), "", true));
        endings.put("a truncated frame", child(1, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 3,
                Optional.of("a result frame cut off after 40 bytes"), "", true));
        endings.put("an unreadable frame", child(1, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED,
                ChildMain.CHANNEL_LOST, Optional.of("an unreadable result frame (EOFException)"), "", true));
        endings.put("exit 0 without a result", stopped(0, ""));
        endings.put("exit non-zero without a result", stopped(7, ""));
        Map<String, String> seen = new LinkedHashMap<>();
        endings.forEach((how, r) -> {
            Verdict v = judge(r);
            seen.put(how, v.status().word() + ": " + v.reason());
            assertThat(v.checks()).filteredOn(c -> c.assignment().equals("ops")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.message()).startsWith("not finished: " + v.status().word()));
        });
        assertThat(seen).containsExactly(
                Map.entry("closed early", "protocol-error: the result channel was closed during ops (did the "
                        + "submission close the raw standard output?)"),
                Map.entry("garbage", "protocol-error: 2 damaged result frame(s) (a wrong length or checksum) during "
                        + "ops"),
                Map.entry("a truncated frame", "protocol-error: a result frame cut off after 40 bytes during ops"),
                Map.entry("an unreadable frame", "protocol-error: an unreadable result frame (EOFException) during ops"),
                Map.entry("exit 0 without a result", "protocol-error: the child ended without a valid result during "
                        + "ops (did the submission write to or close the raw standard output, or halt the JVM?)"),
                Map.entry("exit non-zero without a result", "exited: the JVM ended with exit code 7 during ops "
                        + "(System.exit or Runtime.halt)"));
        // a channel problem after every result arrived changes nothing; a signal or a limit explains more than it
        assertThat(judge(child(2, true, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 0,
                Optional.of("1 damaged result frame(s) (a wrong length or checksum)"), "", true)).status())
                .isEqualTo(SubmissionStatus.GRADED);
        assertThat(judge(child(1, false, Optional.empty(), OptionalInt.empty(), Ending.EXITED, 137,
                Optional.of("a result frame cut off after 40 bytes"), "", true)).status())
                .isEqualTo(SubmissionStatus.CRASHED);
        assertThat(judge(child(1, false, Optional.empty(), OptionalInt.empty(), Ending.TIMEOUT, -1,
                Optional.of("a result frame cut off after 40 bytes"), "", true)).status())
                .isEqualTo(SubmissionStatus.TIMEOUT);
    }

    @Test
    void aCompileErrorSaysDoesNotCompileOnceWithARealMessage() {
        Verdict none = Verdict.compileError(CompileException.errors(List.of(), 0, false));
        assertThat(none.reason()).isEqualTo("does not compile: the compiler reported no error but produced no classes");
        Verdict two = Verdict.compileError(CompileException.errors(List.of("A.java:1: ';' expected",
                "A.java:2: x"), 2, false));
        assertThat(two.reason()).isEqualTo("does not compile: A.java:1: ';' expected (and 1 more)");
        assertThat(two.status()).isEqualTo(SubmissionStatus.COMPILE_ERROR);
        assertThat(two.checks()).isEmpty(); // details.csv says it once, on the submission's row
    }

    @Test
    void aSubmissionThatNeverRanHasItsReasonAndNoCheckRows() {
        Verdict v = Verdict.notRun(SubmissionStatus.COMPILE_ERROR, "does not compile: X.java:1: oops\nmore");
        assertThat(v.status()).isEqualTo(SubmissionStatus.COMPILE_ERROR);
        assertThat(v.reason()).isEqualTo("does not compile: X.java:1: oops more");
        assertThat(v.checks()).isEmpty();
    }
}
