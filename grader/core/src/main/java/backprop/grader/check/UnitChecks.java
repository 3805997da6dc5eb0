package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.MockGraph;
import backprop.grader.run.Probes;
import backprop.grader.run.UnitTracer;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.run.Trace.UnitTrace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grades each op run alone: its forward value against the reference, its backward against the reference and
 * against finite differences of its own forward, its backward with a zero upstream gradient (must be zero),
 * and the shapes it returns. A unit check's points are split: forward ¼, backward ½, zero upstream ⅛, shape ⅛.
 */
final class UnitChecks {
    private static final Tolerance TOL = new Tolerance(1e-9, 1e-7);

    private static final Outcome<List<Matrix>> NONE = Outcome.failed("no result came back for this op");
    /** What a trace without this op's result stands for: every part failed. */
    private static final UnitTrace MISSING = new UnitTrace(NONE, NONE, NONE, Outcome.failed(NONE.fault()));

    private UnitChecks() {}

    static List<CheckResult> check(Assignment a, Trace student, Optional<Trace> reference) {
        List<CheckResult> out = new ArrayList<>();
        for (UnitCheckSpec u : a.unitChecks()) {
            UnitTrace s = student.units().getOrDefault(u.op(), MISSING);
            Optional<UnitTrace> r = reference.map(t -> t.units().get(u.op()));
            // A value alone can only be judged against the reference: without one (a student's local run) those
            // checks are left out rather than listed as skipped.
            if (u.op().equals(AssignmentReader.REVERSE_PASS)) {
                out.add(reversePass(a, u, s, r));
                continue;
            }
            if (u.op().equals(AssignmentReader.SGD)) {
                if (r.isPresent()) {
                    CheckResult step = compareAll(a, u.op() + " › step", u.points(), s.output(),
                            r.map(UnitTrace::output), List.of("new parameter", "new velocity"));
                    out.add(step.status() == Status.FAILED ? step.withDiagnosis(sgdCause(UnitTracer.inputs(a, u),
                            s.output().value())) : step);
                }
                continue;
            }
            Op op = Op.byName(u.op()).orElseThrow();
            List<String> names = op.inputNames().stream().map(n -> "d/d" + n).toList();
            if (r.isPresent()) {
                out.add(compareAll(a, u.op() + " › forward", u.points() / 4, s.output(), r.map(UnitTrace::output),
                        List.of("output")));
            }
            out.add(backward(a, u, op, s, r, names, UnitTracer.inputs(a, u)));
            out.add(zeroUpstream(a, u, s, names));
            out.add(shape(a, u, s));
        }
        return out;
    }

    private static CheckResult backward(Assignment a, UnitCheckSpec u, Op op, UnitTrace s, Optional<UnitTrace> r,
            List<String> names, UnitTracer.Inputs in) {
        String id = u.op() + " › backward";
        double pts = u.points() / 2;
        if (!s.backward().ok()) {
            return unit(a, id, Status.ERROR, pts, Optional.empty(), s.backward().fault());
        }
        int n = s.backward().value().size();
        if (r.isPresent() && r.get().backward().ok()) {
            CheckResult vsRef = compareAll(a, id, pts, s.backward(), Optional.of(r.get().backward()), names);
            if (vsRef.status() != Status.PASSED) {
                return vsRef.withDiagnosis(diagnose(op, s, r.get(), n, in));
            }
        }
        if (!s.probes().ok()) {
            return unit(a, id, Status.SKIPPED, pts, Optional.empty(), s.probes().fault());
        }
        for (int i = 0; i < n && i < s.probes().value().size(); i++) {
            Matrix got = s.backward().value().get(i);
            Probes p = r.isPresent() ? Compare.planned(s.probes().value().get(i), FiniteDifferences.plan(got.rows(),
                    got.cols(), i)) : s.probes().value().get(i);
            Compare.Result fd = Compare.finiteDifferences(names.get(i), p, got, new boolean[0]);
            if (!fd.ok()) {
                Optional<String> cause = s.output().ok() ? Diagnosis.ofOp(op, i, in.values(), s.output().value()
                        .get(0), in.upstream(), got, estimates(p, got)) : Optional.empty();
                return unit(a, id, Status.FAILED, pts, Optional.of(fd.worst()), "your backward disagrees with "
                        + "finite differences of your own forward at " + Compare.describe(fd.worst(), "numeric"))
                        .withDiagnosis(cause);
            }
        }
        return unit(a, id, Status.PASSED, pts, Optional.empty(), r.isPresent()
                ? "matches the reference and finite differences" : "matches finite differences of your forward");
    }

    /**
     * The reverse pass alone, on the grader's mock graph: its gradients against the reference's. Without the
     * reference (a student's local run) it checks that backward was called on every node and returned the right
     * shapes, which the trace already ensures.
     */
    private static CheckResult reversePass(Assignment a, UnitCheckSpec u, UnitTrace s, Optional<UnitTrace> r) {
        String id = "reverse_pass › gradients";
        if (!s.output().ok()) {
            return unit(a, id, Status.ERROR, u.points(), Optional.empty(), s.output().fault());
        }
        if (r.isEmpty() || !r.get().output().ok()) {
            return unit(a, id, Status.PASSED, u.points(), Optional.empty(), "returned a gradient of the right shape "
                    + "for every node (its values are compared with the reference when your submission is graded)");
        }
        MockGraph g = new MockGraph(UnitTracer.mockSeed(a));
        List<Matrix> got = s.output().value();
        List<Matrix> right = r.get().output().value();
        // Walk back from the seeds: the first wrong node whose consumers are all right is where it goes wrong.
        for (int i = MockGraph.ORDER.size() - 1; i >= 0; i--) {
            String node = MockGraph.ORDER.get(i);
            Compare.Result c = Compare.values(node, right.get(i), got.get(i), TOL);
            boolean consumersRight = g.consumers(node).stream().allMatch(k -> Compare.values(k,
                    right.get(MockGraph.ORDER.indexOf(k)), got.get(MockGraph.ORDER.indexOf(k)), TOL).ok());
            if (!c.ok() && consumersRight) {
                return unit(a, id, Status.FAILED, u.points(), Optional.of(c.worst()), "on a small graph whose ops "
                        + "the grader defines, the gradient of '" + node + "' is wrong although every node it feeds "
                        + "is right: " + Compare.describe(c.worst(), "reference"))
                        .withDiagnosis(Optional.of(overwrite(g, node, got)));
            }
        }
        for (int i = 0; i < MockGraph.ORDER.size(); i++) {
            Compare.Result c = Compare.values(MockGraph.ORDER.get(i), right.get(i), got.get(i), TOL);
            if (!c.ok()) {
                return unit(a, id, Status.FAILED, u.points(), Optional.of(c.worst()), "on a small graph whose ops "
                        + "the grader defines: " + Compare.describe(c.worst(), "reference"));
            }
        }
        return unit(a, id, Status.PASSED, u.points(), Optional.empty(), "right on a graph with fan-out, a shared "
                + "leaf and two seeds");
    }

    /** Says so when a node's gradient is just one of the contributions it should have added up. */
    private static String overwrite(MockGraph g, String node, List<Matrix> got) {
        Matrix mine = got.get(MockGraph.ORDER.indexOf(node));
        List<PassMistakes.Part> parts = new java.util.ArrayList<>();
        g.seedOf(node).ifPresent(seed -> parts.add(new PassMistakes.Part(PassMistakes.SEED, seed)));
        for (String consumer : g.consumers(node)) {
            parts.add(new PassMistakes.Part("'" + consumer + "'", g.contribution(consumer, node,
                    got.get(MockGraph.ORDER.indexOf(consumer)))));
        }
        // the same words as in a network; the mock graph records no calls, so none are assumed
        return PassMistakes.combination(mine, parts, 0, Matrix.zerosLike(mine)).orElse("what arrives at '" + node
                + "' (" + String.join(", ", parts.stream().map(PassMistakes.Part::label).toList()) + ") is not added "
                + "up right: visit the nodes in reverse topological order, each after every node it feeds, and add "
                + "contributions, never assign them");
    }

    /** The classic mistake the first wrong gradient fits, if any. */
    private static Optional<String> diagnose(Op op, UnitTrace s, UnitTrace r, int n, UnitTracer.Inputs in) {
        for (int i = 0; i < n && i < r.backward().value().size(); i++) {
            Matrix right = r.backward().value().get(i);
            Matrix got = s.backward().value().get(i);
            if (Compare.values("g", right, got, TOL).ok() || !right.sameShape(got)) {
                continue;
            }
            Matrix out = r.output().ok() ? r.output().value().get(0) : s.output().get().map(o -> o.get(0)).orElse(null);
            return out == null ? Optional.empty() : Diagnosis.ofOp(op, i, in.values(), out, in.upstream(), got,
                    Known.exactly(right, Known.Source.REFERENCE));
        }
        return Optional.empty();
    }

    /** What finite differences of the op's own forward say each entry of a gradient should be. */
    private static Known estimates(Probes p, Matrix got) {
        Matrix value = Matrix.filled(got.rows(), got.cols(), Double.NaN);
        for (Probes.Line line : p.lines()) {
            if (!line.isDirection() && line.row() < got.rows() && line.col() < got.cols()) {
                double e = FiniteDifferences.judge(got.get(line.row(), line.col()), line, p.center()).best().value();
                value = value.with(line.row(), line.col(), e);
            }
        }
        Matrix v = value;
        Matrix low = v.map(x -> Double.isNaN(x) ? Double.NEGATIVE_INFINITY : x);
        Matrix high = v.map(x -> Double.isNaN(x) ? Double.POSITIVE_INFINITY : x);
        return new Known(v, low, high, Known.Source.FINITE_DIFFERENCES);
    }

    /** The mistake a wrong optimizer step fits: its inputs are the parameter, the gradient and the velocity. */
    private static Optional<String> sgdCause(UnitTracer.Inputs in, List<Matrix> out) {
        Matrix theta = in.values().get(0);
        if (out.isEmpty() || !out.get(0).sameShape(theta)) {
            return Optional.empty();
        }
        return StepFaults.cause(out.get(0).minus(theta), in.values().get(2), in.values().get(1),
                UnitTracer.LEARNING_RATE, UnitTracer.MOMENTUM);
    }

    private static CheckResult zeroUpstream(Assignment a, UnitCheckSpec u, UnitTrace s, List<String> names) {
        String id = u.op() + " › zero upstream gradient";
        double pts = u.points() / 8;
        if (!s.backwardAtZero().ok()) {
            return unit(a, id, s.output().ok() ? Status.ERROR : Status.SKIPPED, pts, Optional.empty(),
                    s.backwardAtZero().fault());
        }
        List<Matrix> g = s.backwardAtZero().value();
        for (int i = 0; i < g.size(); i++) {
            Compare.Result c = Compare.values(names.get(i), Matrix.zerosLike(g.get(i)), g.get(i), TOL);
            if (!c.ok()) {
                return unit(a, id, Status.FAILED, pts, Optional.of(c.worst()), "with a zero upstream gradient every "
                        + "gradient must be zero: " + Compare.describe(c.worst(), "expected"));
            }
        }
        return unit(a, id, Status.PASSED, pts, Optional.empty(), "all gradients are zero");
    }

    private static CheckResult shape(Assignment a, UnitCheckSpec u, UnitTrace s) {
        String id = u.op() + " › shapes";
        double pts = u.points() / 8;
        for (Outcome<?> o : List.of(s.output(), s.backward())) {
            if (!o.ok()) {
                boolean shapeFault = o.fault().contains("shape");
                return unit(a, id, shapeFault ? Status.FAILED : Status.SKIPPED, pts, Optional.empty(),
                        shapeFault ? o.fault() : "needs forward and backward to return: " + o.fault());
            }
        }
        return unit(a, id, Status.PASSED, pts, Optional.empty(), "forward and backward return the right shapes");
    }

    private static CheckResult compareAll(Assignment a, String id, double pts, Outcome<List<Matrix>> got,
            Optional<Outcome<List<Matrix>>> ref, List<String> names) {
        if (!got.ok()) {
            return unit(a, id, Status.ERROR, pts, Optional.empty(), got.fault());
        }
        if (ref.isEmpty() || !ref.get().ok()) {
            return unit(a, id, Status.SKIPPED, pts, Optional.empty(), "compared with the reference solution when "
                    + "your submission is graded; the other checks of this op run now");
        }
        if (got.value().size() != ref.get().value().size()) {
            return unit(a, id, Status.FAILED, pts, Optional.empty(), "returned " + got.value().size() + " values; "
                    + ref.get().value().size() + " were expected");
        }
        for (int i = 0; i < got.value().size(); i++) {
            Compare.Result c = Compare.values(names.get(i), ref.get().value().get(i), got.value().get(i), TOL);
            if (!c.ok()) {
                return unit(a, id, Status.FAILED, pts, Optional.of(c.worst()), Compare.describe(c.worst(),
                        "reference"));
            }
        }
        return unit(a, id, Status.PASSED, pts, Optional.empty(), "matches the reference");
    }

    private static CheckResult unit(Assignment a, String id, Status status, double pts, Optional<Worst> worst,
            String message) {
        CheckResult r = CheckResult.of(a.id(), id, "unit", status, pts, Checker.UNIT_VISIBILITY, worst, message,
                Optional.empty());
        return status == Status.ERROR ? r.withDiagnosis(Diagnosis.ofError(message)) : r;
    }
}
