package backprop.grader.sandbox;

import backprop.grader.run.Trace;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What came back from one child JVM. Only frames carry results; everything else here is what the parent saw
 * from outside (how the process ended, how much it printed), for the submission's status and reason.
 *
 * @param hello the harness started and read its job
 * @param traces the traces received, assignment by assignment from the first: a child stopped half-way
 *     returns the ones it finished
 * @param done the harness reported every assignment traced
 * @param fault the fault the harness stopped on, if any; or the limit the parent saw broken, which outranks it
 * @param exitedDuring the assignment during which student code called {@code System.exit}, if it did
 * @param ending how the process ended
 * @param exitCode its exit code, or -1 when the parent killed it
 * @param outputBytes what it printed outside frames, stdout and stderr together
 * @param protocolProblem why a frame with the right nonce could not be used, if one could not
 * @param stderrHead the start of its stderr
 * @param stderrTail the end of its stderr
 * @param stdoutHead the start of what it printed on stdout outside frames
 * @param elapsed wall time from start to end
 */
public record ChildResult(
        boolean hello,
        List<Trace> traces,
        boolean done,
        Optional<Fault> fault,
        OptionalInt exitedDuring,
        Ending ending,
        int exitCode,
        long outputBytes,
        Optional<String> protocolProblem,
        String stderrHead,
        String stderrTail,
        String stdoutHead,
        Duration elapsed) {

    /** How the child process ended. */
    public enum Ending {
        /** It ended by itself. */
        EXITED,
        /** The parent killed it at the wall-time limit. */
        TIMEOUT,
        /** The parent killed it for printing more than allowed. */
        OUTPUT_FLOOD,
        /**
         * The parent killed it for breaking a limit on memory, threads or processes: {@link #fault} says which,
         * in a sentence.
         */
        LIMIT
    }

    /**
     * A fault reported by the harness.
     *
     * @param assignment the index of the assignment running
     * @param kind {@link ChildMain#MEMORY}, {@link ChildMain#THREADS}, {@link ChildMain#PROCESS} or
     *     {@link ChildMain#CRASH}
     * @param message one line; when the parent saw the limit broken ({@link Ending#LIMIT}), a whole sentence
     */
    public record Fault(int assignment, byte kind, String message) {}

    /** One line without the traces, for logs and test failures. */
    public String summary() {
        return "hello=" + hello + " traces=" + traces.size() + " done=" + done + " fault=" + fault + " exitedDuring="
                + exitedDuring + " ending=" + ending + " exit=" + exitCode + " output=" + outputBytes + " protocol="
                + protocolProblem + " elapsed=" + elapsed.toMillis() + "ms stderr=[" + stderrHead.strip() + "] stdout=["
                + stdoutHead.strip() + "]";
    }

    /** The index of the assignment that was running when the child stopped: the first without a trace. */
    public int stoppedAt() {
        return traces.size();
    }
}
