package backprop.grader.check;

import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Grades submissions on a fixed list of assignments, running the reference once per assignment and reusing
 * its trace for every submission.
 */
public final class Grader {
    private final List<Assignment> assignments;
    private final Optional<Components> reference;
    private final Map<String, Trace> referenceTraces = new ConcurrentHashMap<>();

    /** Grades against {@code reference} when given, else against the files' expected values alone. */
    public Grader(List<Assignment> assignments, Optional<Components> reference) {
        this.assignments = List.copyOf(assignments);
        this.reference = reference;
    }

    /** The assignments graded, in order. */
    public List<Assignment> assignments() {
        return assignments;
    }

    /** The reference's trace of an assignment, computed once. */
    public Optional<Trace> referenceTrace(Assignment a) {
        return reference.map(r -> referenceTraces.computeIfAbsent(a.id(), id -> Tracer.trace(a, r)));
    }

    /**
     * Grades one submission on every assignment, then sets each network failure beside the checks of the
     * components alone to say which component is at fault.
     */
    public List<CheckResult> grade(Components student) {
        List<CheckResult> out = new ArrayList<>();
        for (Assignment a : assignments) {
            out.addAll(grade(a, student));
        }
        return Verdicts.attach(out);
    }

    /** Grades one submission on one assignment. */
    public List<CheckResult> grade(Assignment a, Components student) {
        return Checker.check(a, Tracer.trace(a, student), referenceTrace(a));
    }
}
