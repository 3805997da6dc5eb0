package backprop.grader.check;

import backprop.grader.run.Trace;
import backprop.grader.run.TracePlan;
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
    private final Map<String, Authority> authorities = new ConcurrentHashMap<>();

    /** Grades against {@code reference} when given, else against the files' expected values alone. */
    public Grader(List<Assignment> assignments, Optional<Components> reference) {
        this.assignments = List.copyOf(assignments);
        this.reference = reference;
    }

    /** The assignments graded, in order. */
    public List<Assignment> assignments() {
        return assignments;
    }

    /** The reference's trace of an assignment: computed once for the grader's own, afresh for any other. */
    public Optional<Trace> referenceTrace(Assignment a) {
        return reference.flatMap(r -> authority(a, r).reference());
    }

    /**
     * The grader's own evaluation of an assignment, which every verdict on it rests on: the reference's, computed
     * once for the grader's own assignments and afresh for any other; without a reference, {@code student}'s local
     * stand-in.
     */
    public Authority authority(Assignment a, Components student) {
        if (reference.isEmpty()) {
            return Authority.local(a, student);
        }
        boolean mine = assignments.stream().anyMatch(x -> x == a); // a variant shares its id, not its values
        return mine ? authorities.computeIfAbsent(a.id(), id -> Authority.of(a, reference.get()))
                : Authority.of(a, reference.get());
    }

    /** Grades one submission on every assignment. */
    public List<CheckResult> grade(Components student) {
        return grade(student, Optional.empty());
    }

    /**
     * Grades one student's submission: an assignment with per-student variants is graded on the variant of
     * {@code studentId} (when the reference is there to compute its expected values), and its results carry the
     * variant's seed.
     */
    public List<CheckResult> grade(Components student, Optional<String> studentId) {
        List<CheckResult> out = new ArrayList<>();
        for (Assignment a : assignments) {
            out.addAll(grade(a, student, studentId));
        }
        return out;
    }

    /** Grades one student on one assignment (on their own variant of it, when it has variants). */
    public List<CheckResult> grade(Assignment a, Components student, Optional<String> studentId) {
        Optional<Variants.Variant> v = variant(a, studentId);
        if (v.isEmpty()) {
            return grade(a, student);
        }
        Assignment mine = v.get().assignment();
        return Checker.check(mine, Tracer.trace(mine, student, TracePlan.of(mine, true)), v.get().authority()).stream()
                .map(r -> r.withVariant(v.get().seed())).toList();
    }

    /**
     * The variant of {@code a} a student is graded on, with the reference's trace of it, when {@code a} has
     * per-student variants and the reference is there to compute its expected values; empty otherwise (the file's
     * own values are the public variant). Built afresh on each call: every student's is needed once.
     */
    public Optional<Variants.Variant> variant(Assignment a, Optional<String> studentId) {
        if (a.variants().isEmpty() || studentId.isEmpty() || reference.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Variants.of(a, studentId.get(), reference.get()));
    }

    /** Grades one submission on one assignment. */
    public List<CheckResult> grade(Assignment a, Components student) {
        Authority authority = authority(a, student);
        return Checker.check(a, Tracer.trace(a, student, TracePlan.of(a, authority.reference().isPresent())),
                authority);
    }
}
