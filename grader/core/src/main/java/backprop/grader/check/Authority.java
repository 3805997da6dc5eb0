package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every verdict on one assignment rests on: the grader's own evaluation, never a submission's word.
 *
 * <p>When grading, that is the reference solution run in the grader's process: its values, the valid gradients
 * at a ReLU kink, and the lines along which finite differences straddle one. In a student's own {@code mvn test}
 * there is no reference: the assignment's expected values stand in for its values, and the student's own
 * components for the evaluation of kinks (nothing is at stake there but the student's own information).
 *
 * <p>The kink evaluations are made on first need, so a submission whose values simply match costs nothing extra.
 * One authority may serve many submissions at once.
 */
public final class Authority {
    private final Assignment assignment;
    private final Optional<Trace> reference;
    private final Components trusted;
    private Optional<Map<String, Kinks.Range>> ranges;
    private final Map<String, boolean[]> straddled = new HashMap<>();

    private Authority(Assignment assignment, Optional<Trace> reference, Components trusted) {
        this.assignment = assignment;
        this.reference = reference;
        this.trusted = trusted;
    }

    /** The reference's evaluation of {@code a}: it is traced here, in the grader's process. */
    public static Authority of(Assignment a, Components reference) {
        return of(a, reference, Tracer.trace(a, reference));
    }

    /** The reference's evaluation of {@code a}, with its trace already made. */
    public static Authority of(Assignment a, Components reference, Trace trace) {
        return new Authority(a, Optional.of(trace), reference);
    }

    /** A student's local run: expected values from the file, kinks evaluated with the student's own components. */
    public static Authority local(Assignment a, Components student) {
        return new Authority(a, Optional.empty(), student);
    }

    /** The assignment. */
    public Assignment assignment() {
        return assignment;
    }

    /** The reference's trace, when grading. */
    public Optional<Trace> reference() {
        return reference;
    }

    /** The valid values of a node's gradient at the assignment's parameters, when the evaluation works there. */
    synchronized Optional<Kinks.Range> range(String node) {
        if (ranges == null) {
            ranges = Kinks.ranges(assignment, trusted, assignment.parameters());
        }
        return ranges.map(r -> r.get(node));
    }

    /** The valid values of every gradient at other parameters (after some optimizer steps). */
    Optional<Map<String, Kinks.Range>> rangesAt(Map<String, Matrix> params) {
        return Kinks.ranges(assignment, trusted, params);
    }

    /** For each finite-difference line of {@code target}, whether it straddles a ReLU kink. */
    synchronized boolean[] straddled(String target) {
        return straddled.computeIfAbsent(target, t -> Kinks.straddled(assignment, trusted, t));
    }
}
