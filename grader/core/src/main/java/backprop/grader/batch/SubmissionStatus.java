package backprop.grader.batch;

import java.util.Locale;
import java.util.Optional;

/** How a submission's grading ended: exactly one per submission, in both CSVs. */
public enum SubmissionStatus {
    /** Every assignment ran to the end; the points are what the checks earned (code that threw, looped into a
     * stack overflow or returned garbage inside one method only loses that method's checks). */
    GRADED("every assignment ran to the end; the points are what its checks earned"),
    /** The sources did not compile (or the compiler ran out of time, or there were no sources). */
    COMPILE_ERROR("the sources did not compile; details.csv has the compiler's first errors"),
    /** The child was killed at the wall-time (or CPU-time) limit. */
    TIMEOUT("stopped at the time limit (an endless loop?); assignments finished before keep their points"),
    /** The child ran out of heap, or started too many threads or a process. */
    MEMORY("hit the heap limit, or started more threads than allowed, or a process; earlier assignments keep "
            + "their points"),
    /** The JVM died (a signal, a JVM error) or the harness failed. */
    CRASHED("the child JVM died (a signal or an internal error); earlier assignments keep their points"),
    /** Student code ended the JVM ({@code System.exit}, {@code Runtime.halt}). */
    EXITED("student code ended the JVM (System.exit or Runtime.halt); earlier assignments keep their points"),
    /** The child printed more than the output limit. */
    OUTPUT_FLOOD("printed more than the output limit and was stopped; earlier assignments keep their points"),
    /** The child ended without a valid result frame for some assignment. */
    PROTOCOL_ERROR("the child ended without a valid result for some assignment (it wrote over or closed the "
            + "result channel); earlier assignments keep their points"),
    /** Ran to the end, but a class the assignments need was not in the submission. */
    MISSING_CLASS("ran to the end, but some class the assignments need is missing (a file not handed in or a "
            + "wrong package); the checks that need it score 0"),
    /** Written only by a merge told to allow it: no shard given had a result for this student. */
    MISSING("not graded: no shard given to the merge had a result for this student (grader merge "
            + "--allow-missing); the reason names the shard");

    private final String meaning;

    SubmissionStatus(String meaning) {
        this.meaning = meaning;
    }

    /** The word in the CSVs: {@code graded}, {@code compile-error}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One line saying what the status means. */
    public String meaning() {
        return meaning;
    }

    /** The status for a word. */
    public static Optional<SubmissionStatus> of(String word) {
        for (SubmissionStatus s : values()) {
            if (s.word().equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
