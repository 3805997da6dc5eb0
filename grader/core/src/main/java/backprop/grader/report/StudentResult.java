package backprop.grader.report;

import backprop.grader.check.CheckResult;
import backprop.grader.check.Worst;
import backprop.grader.spec.Checkpoint.Visibility;
import java.util.List;

/**
 * One student's final result in a batch run: what {@code scores.csv} and {@code details.csv} are built from
 * (the batch grader persists it as JSON as soon as it is final).
 *
 * @param key what the result was computed from (grader version, assignment files, submission's sources);
 *     a later run reuses the result only when its key is the same
 * @param student the student id
 * @param name the student's name, from the roster, or ""
 * @param source the submission's file or folder name
 * @param status the submission status: graded, compile-error, timeout, …
 * @param reason one line
 * @param total points earned
 * @param maximum points possible
 * @param assignments points per assignment, in grading order
 * @param checks every check, in grading order
 * @param compilerErrors the compiler's first errors, for a compile error
 * @param mechanism the sandbox mechanism the child ran under
 * @param seconds wall time spent on it
 * @param gradedAt when it was graded (ISO-8601)
 */
public record StudentResult(
        String key,
        String student,
        String name,
        String source,
        String status,
        String reason,
        double total,
        double maximum,
        List<AssignmentPoints> assignments,
        List<CheckRow> checks,
        List<String> compilerErrors,
        String mechanism,
        double seconds,
        String gradedAt) {

    /**
     * Points on one assignment.
     *
     * @param id assignment id
     * @param points earned
     * @param max possible
     */
    public record AssignmentPoints(String id, double points, double max) {}

    /**
     * One row of {@code details.csv}, and what the class report groups it by.
     *
     * @param assignment assignment id
     * @param check check id
     * @param kind forward, gradient, parameter or unit
     * @param points earned
     * @param max possible
     * @param status passed, failed, error, skipped or inconclusive
     * @param expected the expected (reference) value at the worst entry, when values were compared
     * @param actual the submission's value there
     * @param absError absolute error there
     * @param relError relative error there
     * @param message one line: what happened, then where the fault is, its likely cause and a hint, when known
     * @param variant the seed of the student's own variant of the assignment, when it has per-student variants
     * @param hidden true for a check students do not see
     * @param component the method the grader blames, when it located the fault, else null
     * @param diagnosis the likely cause the grader found (also in the message), else null
     */
    public record CheckRow(String assignment, String check, String kind, double points, double max, String status,
            Double expected, Double actual, Double absError, Double relError, String message, Long variant,
            boolean hidden, String component, String diagnosis) {

        /** A visible row without a located fault. */
        public CheckRow(String assignment, String check, String kind, double points, double max, String status,
                Double expected, Double actual, Double absError, Double relError, String message, Long variant) {
            this(assignment, check, kind, points, max, status, expected, actual, absError, relError, message, variant,
                    false, null, null);
        }

        /** The row of a check result. */
        public static CheckRow of(CheckResult r) {
            Worst w = r.worst().orElse(null);
            String msg = r.message() + r.blame().map(b -> "; where: " + b).orElse("")
                    + r.diagnosis().map(d -> "; likely cause: " + d).orElse("")
                    + r.hint().map(h -> "; hint: " + h).orElse("");
            return new CheckRow(r.assignment(), r.check(), r.kind(), r.earned(), r.possible(), r.status().word(),
                    w == null ? null : w.expected(), w == null ? null : w.actual(), w == null ? null : w.absError(),
                    w == null ? null : w.relError(), msg.replaceAll("[\\r\\n]+", " "), r.variant().orElse(null),
                    r.visibility() == Visibility.HIDDEN, r.component().orElse(null), r.diagnosis().orElse(null));
        }
    }
}
