package backprop.grader.check;

import backprop.grader.spec.Checkpoint.Visibility;
import java.util.Optional;

/**
 * The outcome of one check.
 *
 * @param assignment the assignment id
 * @param check the check id within it, for example {@code "dL/dW1"} or {@code "relu › backward"}
 * @param kind {@code forward}, {@code gradient}, {@code parameter} or {@code unit}
 * @param status how it ended
 * @param earned points earned
 * @param possible points possible
 * @param visibility whether students see it
 * @param worst the entry furthest from its expected value, when values were compared
 * @param message one or two lines saying what happened
 * @param hint the assignment author's hint; only on a failed check
 * @param diagnosis the classic mistake the wrong value fits, found by the grader (a flipped sign, a missing
 *     {@code 1/N}, a missing transpose, …), when one does
 * @param blame where the value first goes wrong, for example {@code "dL/dz1 is wrong although dL/dh1 is right:
 *     the fault is in Relu.backward"}
 * @param component the method at fault, for example {@code "Relu.backward"} or {@code "Backprop.backward"}
 * @param variant the seed of the student's own variant of the assignment, when it has per-student variants
 */
public record CheckResult(
        String assignment,
        String check,
        String kind,
        Status status,
        double earned,
        double possible,
        Visibility visibility,
        Optional<Worst> worst,
        String message,
        Optional<String> hint,
        Optional<String> diagnosis,
        Optional<String> blame,
        Optional<String> component,
        Optional<Long> variant) {

    /** A result without a diagnosis. */
    public CheckResult(String assignment, String check, String kind, Status status, double earned, double possible,
            Visibility visibility, Optional<Worst> worst, String message, Optional<String> hint) {
        this(assignment, check, kind, status, earned, possible, visibility, worst, message, hint, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Creates a result that earns its points only when {@code status} does. */
    public static CheckResult of(String assignment, String check, String kind, Status status, double possible,
            Visibility visibility, Optional<Worst> worst, String message, Optional<String> hint) {
        return new CheckResult(assignment, check, kind, status, status.earnsPoints() ? possible : 0, possible,
                visibility, worst, message, status == Status.FAILED ? hint : Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Returns this result with a diagnosis attached. */
    public CheckResult withDiagnosis(Optional<String> d) {
        return new CheckResult(assignment, check, kind, status, earned, possible, visibility, worst, message, hint, d,
                blame, component, variant);
    }

    /** Returns this result with where the gradient first goes wrong, and the method at fault. */
    public CheckResult withBlame(Optional<String> sentence, Optional<String> method) {
        return new CheckResult(assignment, check, kind, status, earned, possible, visibility, worst, message, hint,
                diagnosis, sentence, method, variant);
    }

    /** Returns this result without the author's hint (it speaks of a step that is not where the fault is). */
    public CheckResult withoutHint() {
        return new CheckResult(assignment, check, kind, status, earned, possible, visibility, worst, message,
                Optional.empty(), diagnosis, blame, component, variant);
    }

    /** Returns this result with its points given back and a note saying why (one bug, one deduction). */
    public CheckResult credited(String why) {
        return new CheckResult(assignment, check, kind, status, possible, possible, visibility, worst,
                message + " (" + why + ")", hint, diagnosis, blame, component, variant);
    }

    /** Returns this result marked with the seed of the student's variant. */
    public CheckResult withVariant(long seed) {
        return new CheckResult(assignment, check, kind, status, earned, possible, visibility, worst, message, hint,
                diagnosis, blame, component, Optional.of(seed));
    }
}
