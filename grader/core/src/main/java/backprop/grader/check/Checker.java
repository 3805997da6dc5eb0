package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Outcome;
import backprop.grader.run.Probes;
import backprop.grader.run.Tracer;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Checkpoint.Kind;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.spec.Tolerance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Grades a submission's {@link Trace} on one assignment: each checkpoint against the reference's value (or,
 * without one, the file's expected value); each gradient also against finite differences of the submission's own
 * forward pass, which can cost points but never earn them. Every verdict rests on the {@link Authority}, the
 * grader's own evaluation: the trace only supplies the submission's values. Checks run in dependency order
 * (forward, then gradients, then optimizer steps) and one whose prerequisite failed is skipped with the reason.
 */
public final class Checker {
    private final Assignment a;
    private final Trace student;
    private final Authority authority;
    private final Optional<Trace> reference;
    private final Map<String, CheckResult> byCheckpoint = new HashMap<>();

    private Checker(Assignment a, Trace student, Authority authority) {
        this.a = a;
        this.student = student;
        this.authority = authority;
        this.reference = authority.reference();
    }

    /** Grades every checkpoint and unit check of {@code a}. */
    public static List<CheckResult> check(Assignment a, Trace student, Authority authority) {
        return new Checker(a, student, authority).run();
    }

    private List<CheckResult> run() {
        List<CheckResult> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Checkpoint cp : a.checkpoints()) {
                if (cp.kind() == kind) {
                    CheckResult r = switch (kind) {
                        case FORWARD -> forward(cp);
                        case GRADIENT -> gradient(cp);
                        case PARAMETER -> parameter(cp);
                    };
                    byCheckpoint.put(cp.id(), r);
                }
            }
        }
        a.checkpoints().forEach(cp -> out.add(byCheckpoint.get(cp.id())));
        if (a.credit() == Assignment.Credit.PER_FAULT) {
            creditPerFault(out);
        }
        out.addAll(UnitChecks.check(a, student, reference));
        return out;
    }

    /**
     * One fault, one deduction: of the checks the same component at fault broke, only the first costs points (a
     * wrong {@code Tanh.backward} is one mistake however many tanh nodes it breaks).
     */
    private static void creditPerFault(List<CheckResult> results) {
        Map<String, String> charged = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            CheckResult r = results.get(i);
            if (r.earned() >= r.possible() || r.component().isEmpty()) {
                continue;
            }
            String first = charged.putIfAbsent(r.component().get(), r.check());
            if (first != null) {
                results.set(i, r.credited("credited: the same fault as '" + first + "' is deducted once"));
            }
        }
    }

    private CheckResult forward(Checkpoint cp) {
        Matrix actual = student.forward().get(cp.target());
        if (actual == null) {
            String failed = student.failedNode().orElse("?");
            String fault = student.forwardFault().orElse("");
            return failed.equals(cp.target()) ? result(cp, Status.ERROR, Optional.empty(), fault)
                    : result(cp, Status.SKIPPED, Optional.empty(),
                            "needs the forward value of '" + failed + "', which failed: " + fault);
        }
        return compare(cp, cp.target(), actual,
                reference.map(r -> r.forward().get(cp.target())), Optional.empty());
    }

    private CheckResult gradient(Checkpoint cp) {
        Optional<String> blocked = forwardProblem();
        if (blocked.isPresent()) {
            return result(cp, Status.SKIPPED, Optional.empty(), blocked.get());
        }
        Outcome<Map<String, Matrix>> grads = student.gradients();
        if (!grads.ok()) {
            return result(cp, Status.ERROR, Optional.empty(), grads.fault());
        }
        Matrix actual = grads.value().get(cp.target());
        if (actual == null) {
            return result(cp, Status.FAILED, Optional.empty(), "Backprop.backward returned no gradient for '"
                    + cp.target() + "' (every node the loss depends on needs one)");
        }
        Optional<Probes> probes = Optional.ofNullable(student.probes().get(cp.target())).flatMap(Outcome::get);
        if (reference.isPresent()) {
            // values judge here, and finite differences may only take points back: along the grader's own lines
            probes = probes.map(p -> Compare.planned(p, FiniteDifferences.plan(actual.rows(), actual.cols(),
                    Tracer.probeSeed(a, cp.target()))));
        }
        CheckResult r = compare(cp, cp.id(), actual,
                reference.flatMap(t -> t.gradients().get()).map(g -> g.get(cp.target())), probes);
        if (r.status() == Status.FAILED) {
            return explained(cp, r, actual);
        }
        if (r.status() != Status.PASSED || probes.isEmpty() || cp.fromReference() && reference.isEmpty()) {
            return r;
        }
        // Finite differences may take the points back (the forward pass does not fit the gradient), never give them.
        Compare.Result fd = Compare.finiteDifferences(cp.id(), probes.get(), actual, new boolean[0]);
        if (fd.failures() > 0) {
            fd = Compare.finiteDifferences(cp.id(), probes.get(), actual,
                    authority.straddled(cp.target(), probes.get()));
        }
        if (!fd.ok()) {
            return result(cp, Status.FAILED, Optional.of(fd.worst()), "your gradient matches, but finite differences "
                    + "of your own forward pass disagree with it at " + Compare.describe(fd.worst(), "numeric")
                    + ": your forward pass is not the function your gradient differentiates");
        }
        return r;
    }

    private CheckResult parameter(Checkpoint cp) {
        Optional<String> blocked = forwardProblem();
        if (blocked.isPresent()) {
            return result(cp, Status.SKIPPED, Optional.empty(), blocked.get());
        }
        if (!student.gradients().ok()) {
            return result(cp, Status.SKIPPED, Optional.empty(), "needs gradients, which failed: "
                    + student.gradients().fault());
        }
        for (Checkpoint g : a.checkpoints()) {
            CheckResult gr = byCheckpoint.get(g.id());
            if (g.kind() == Kind.GRADIENT && g.target().equals(cp.target()) && gr != null
                    && !gr.status().earnsPoints()) {
                // the same words a run that cannot see that gradient check gives (StepFaults)
                return result(cp, Status.SKIPPED, Optional.empty(), "needs " + g.id() + ", which "
                        + (gr.status() == Status.SKIPPED ? "was skipped" : "is wrong") + "; fix it first")
                        .withBlame(gr.blame().map(b -> StepFaults.wrongGradient(cp.target(), cp.target(), 1) + b),
                                gr.component()).withDiagnosis(gr.diagnosis());
            }
        }
        Outcome<Map<String, Matrix>> after = student.parametersAfter().get(cp.afterSteps());
        if (after == null) {
            Outcome<Map<String, Matrix>> last = student.parametersAfter().values().stream()
                    .filter(o -> !o.ok()).findFirst().orElse(Outcome.failed("no optimizer steps were run"));
            return result(cp, Status.ERROR, Optional.empty(), last.fault());
        }
        if (!after.ok()) {
            return result(cp, Status.ERROR, Optional.empty(), after.fault());
        }
        Optional<Matrix> ref = reference.map(t -> t.parametersAfter().get(cp.afterSteps()))
                .flatMap(Outcome::get).map(p -> p.get(cp.target()));
        Matrix got = after.value().get(cp.target());
        if (got == null) {
            return result(cp, Status.ERROR, Optional.empty(), "no value for '" + cp.target() + "' after "
                    + cp.afterSteps() + " step(s)");
        }
        CheckResult r = compare(cp, cp.id(), got, ref, Optional.empty());
        if (r.status() == Status.FAILED && StepChain.follows(authority, student, cp)) {
            return result(cp, Status.PASSED, r.worst(), "differs from the " + (ref.isPresent() ? "reference" : "expected")
                    + " value, but every step follows from gradients that are valid subgradients at a ReLU kink "
                    + "(ReLU'(0) is undefined there), so it is accepted");
        }
        if (r.status() != Status.FAILED) {
            return r;
        }
        Optional<StepFaults.Found> found = StepFaults.find(a, student, authority, cp, blame());
        if (found.isPresent()) {
            CheckResult out = r.withDiagnosis(found.get().cause()).withBlame(Optional.of(found.get().where()),
                    Optional.of(found.get().method()));
            return found.get().stepAtFault() ? out : out.withoutHint();
        }
        Matrix before = a.parameters().get(cp.target());
        Matrix right = ref.orElse(cp.expected());
        return got.sameShape(before) ? r.withDiagnosis(Diagnosis.of(Known.exactly(right.minus(before),
                Known.Source.REFERENCE), got.minus(before), 1).map(d -> "compared with the move it should make (θ' − θ): "
                + d)) : r;
    }

    /**
     * Says why gradients cannot be graded yet: the forward pass failed, or a forward value the loss depends on
     * is wrong (against the reference, or against a forward checkpoint when there is no reference).
     */
    private Optional<String> forwardProblem() {
        if (forwardProblem == null) {
            forwardProblem = findForwardProblem(); // once: every gradient and step check asks
        }
        return forwardProblem;
    }

    private Optional<String> forwardProblem;

    private Optional<String> findForwardProblem() {
        if (student.forwardFault().isPresent()) {
            return Optional.of("needs the forward pass, which failed at '" + student.failedNode().orElse("?")
                    + "': " + student.forwardFault().get());
        }
        Set<String> needed = a.seedAncestors();
        if (reference.isPresent()) {
            for (NodeSpec n : a.graph()) {
                Matrix ref = reference.get().forward().get(n.name());
                Matrix got = student.forward().get(n.name());
                if (needed.contains(n.name()) && ref != null && got != null
                        && !Compare.values(n.name(), ref, got, Tolerance.DEFAULT).ok()) {
                    return Optional.of("the forward value of '" + n.name() + "' (" + n.op() + ") is wrong, so "
                            + "gradients are graded once it is right");
                }
            }
        }
        for (Checkpoint cp : a.checkpoints()) {
            CheckResult r = byCheckpoint.get(cp.id());
            if (cp.kind() == Kind.FORWARD && needed.contains(cp.target()) && r != null
                    && r.status() == Status.FAILED) {
                return Optional.of("the forward value of '" + cp.target() + "' is wrong (check '" + cp.id()
                        + "'), so gradients are graded once it is right");
            }
        }
        return Optional.empty();
    }

    private CheckResult compare(Checkpoint cp, String tensor, Matrix actual, Optional<Matrix> ref,
            Optional<Probes> probes) {
        if (cp.fromReference() && ref.isEmpty()) {
            return probes.isEmpty()
                    ? result(cp, Status.SKIPPED, Optional.empty(), "compared with the reference solution when your "
                            + "submission is graded")
                    : finiteDifferencesOnly(cp, actual, probes.get());
        }
        // The reference is the authority: when it and the file disagree, the file is wrong (validate says so).
        Matrix right = ref.orElse(cp.expected());
        String against = ref.isPresent() ? "reference" : "expected";
        boolean refAgrees = cp.fromReference() || ref.map(r -> Compare.values(tensor, cp.expected(), r,
                cp.tolerance()).ok()).orElse(true);
        String note = refAgrees ? "" : " (note: the assignment's expected value disagrees with the reference; "
                + "graded against the reference)";
        Compare.Result decisive = Compare.values(tensor, right, actual, cp.tolerance());
        if (!decisive.ok() && cp.kind() == Kind.GRADIENT) {
            decisive = Compare.values(tensor, right, actual, cp.tolerance(), authority.range(cp.target()));
        }
        if (!decisive.ok()) {
            return result(cp, Status.FAILED, Optional.of(decisive.worst()), decisive.failures() + " of "
                    + actual.size() + (actual.size() == 1 ? " entry" : " entries") + " wrong; worst "
                    + Compare.describe(decisive.worst(), against) + "; tolerance " + Matrix.format(cp.tolerance().abs())
                    + " + " + Matrix.format(cp.tolerance().rel()) + "·|" + against + "|"
                    + explanation(cp, decisive.worst(), probes) + note);
        }
        if (decisive.kinks() > 0) {
            return result(cp, Status.PASSED, Optional.of(decisive.worst()), "matches the " + against + " except at "
                    + decisive.kinks() + (decisive.kinks() == 1 ? " entry" : " entries") + " on a ReLU kink (input "
                    + "0), where your value is another valid subgradient" + note);
        }
        return result(cp, Status.PASSED, Optional.of(decisive.worst()), "matches the " + against + " (largest abs "
                + "error " + Matrix.format(decisive.worst().absError()) + ")" + kinkNote(cp) + note);
    }

    /** Says so when some entries of a gradient sit at a kink, where other values would have passed too. */
    private String kinkNote(Checkpoint cp) {
        if (cp.kind() != Kind.GRADIENT) {
            return "";
        }
        Optional<Kinks.Range> r = authority.range(cp.target());
        int kinks = 0;
        if (r.isPresent()) {
            for (int i = 0; i < r.get().low().rows(); i++) {
                for (int j = 0; j < r.get().low().cols(); j++) {
                    kinks += r.get().kinked(i, j) ? 1 : 0;
                }
            }
        }
        return kinks == 0 ? "" : "; " + kinks + (kinks == 1 ? " entry sits" : " entries sit") + " at a ReLU kink "
                + "(input 0), where any valid subgradient is accepted";
    }

    /** What finite differences of the submission's forward pass say at the worst entry, for a failure message. */
    private String explanation(Checkpoint cp, Worst w, Optional<Probes> probes) {
        if (probes.isEmpty() || w.row() < 0) {
            return "";
        }
        Optional<FiniteDifferences.Judgement> j = Compare.estimateAt(probes.get(), w.row(), w.col(), w.actual());
        if (j.isEmpty() || !Double.isFinite(j.get().best().value())) {
            return "";
        }
        int line = Compare.lineAt(probes.get(), w.row(), w.col());
        boolean[] straddled = authority.straddled(cp.target(), probes.get());
        boolean kink = line >= 0 && line < straddled.length && straddled[line];
        return "; finite differences of your forward pass give " + Matrix.format(j.get().best().value())
                + (kink ? " (a ReLU kink lies within the step, so they cannot decide here)" : "");
    }

    /** A gradient whose right value is only known to the reference, checked where there is none (locally). */
    private CheckResult finiteDifferencesOnly(Checkpoint cp, Matrix actual, Probes probes) {
        Compare.Result fd = Compare.finiteDifferences(cp.id(), probes, actual,
                authority.straddled(cp.target(), probes));
        if (!fd.ok()) {
            return result(cp, Status.FAILED, Optional.of(fd.worst()), "your gradient disagrees with finite "
                    + "differences of your own forward pass: " + Compare.describe(fd.worst(), "numeric"));
        }
        long entries = probes.lines().stream().filter(l -> !l.isDirection()).count();
        long directions = probes.lines().size() - entries;
        String checked = entries + (entries == 1 ? " entry" : " entries") + (directions == 0 ? ""
                : " and " + directions + " random directions");
        if (fd.undecided() > 0) {
            return result(cp, Status.INCONCLUSIVE, Optional.of(fd.worst()), "agrees with finite differences of your "
                    + "own forward pass where they can decide (" + checked + "; " + fd.undecided() + " undecided, "
                    + "at a ReLU kink or too inexact); its values are compared with the reference when your "
                    + "submission is graded");
        }
        return result(cp, Status.PASSED, Optional.of(fd.worst()), "agrees with finite differences of your own "
                + "forward pass (" + checked + "); its values are compared with the reference when your submission "
                + "is graded");
    }

    private CheckResult result(Checkpoint cp, Status status, Optional<Worst> worst, String message) {
        CheckResult r = CheckResult.of(a.id(), cp.id(), cp.kind().word(), status, cp.points(), cp.visibility(),
                worst, message, cp.hint());
        // An error names the method that threw or returned something unusable: that is where the fault is.
        return status == Status.ERROR ? r.withDiagnosis(Diagnosis.ofError(message))
                .withBlame(Optional.empty(), Diagnosis.methodOf(message)) : r;
    }

    /** The walk that locates wrong gradients in this trace, made on first need. */
    private Blame blame() {
        if (blame == null) {
            blame = Blame.of(a, student, authority);
        }
        return blame;
    }

    private Blame blame;

    /**
     * A failed gradient with where it first goes wrong and the mistake that fits. The author's hint stays only when
     * the fault makes this very gradient wrong first, or when no fault was located: a hint about this step would
     * mislead when the mistake lies elsewhere.
     */
    private CheckResult explained(Checkpoint cp, CheckResult r, Matrix actual) {
        Explanation e = blame().explain(cp.target());
        Optional<String> cause = e.faults().isEmpty() ? authority.gradient(cp.target(), actual)
                .flatMap(j -> Diagnosis.of(j.right(), actual, batchSize())) : e.cause();
        CheckResult out = r.withDiagnosis(cause).withBlame(e.where(), e.method());
        return e.firstWrongAt(cp.target()) ? out : out.withoutHint();
    }

    /** The number of examples: the most rows of any input. */
    private int batchSize() {
        return a.inputs().values().stream().mapToInt(Matrix::rows).max().orElse(1);
    }

    /** Visibility of unit checks: always visible, the inputs are random anyway. */
    static final Visibility UNIT_VISIBILITY = Visibility.VISIBLE;
}
