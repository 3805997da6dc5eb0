package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.Outcome;
import backprop.grader.run.Probes;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Literals;
import backprop.grader.spec.Location;
import backprop.grader.spec.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an assignment's expected values against the reference solution, which is the authority: every
 * expected value that disagrees is a problem at the line where it is written. Also checks the reference's
 * gradients against finite differences, and that the reference earns every point. {@code grader fill} runs the
 * same checks and writes the reference's values.
 */
public final class Validator {
    /** A value this many entries or smaller is shown whole beside the file's, as {@code grader fill} would write it. */
    static final int SHOWN_WHOLE = 16;

    private Validator() {}

    /**
     * What the reference says about one checkpoint.
     *
     * @param checkpoint the checkpoint
     * @param reference the reference's value, empty when it computes none
     * @param agrees whether the file's value is within the checkpoint's tolerance of it (true for a value the
     *     reference computes at grading time)
     */
    public record Value(Checkpoint checkpoint, Optional<Matrix> reference, boolean agrees) {}

    /**
     * Everything validation found.
     *
     * @param values each checkpoint's reference value, in file order
     * @param disagreements the expected values the reference disagrees with, one problem each
     * @param others every other problem: the reference fails on the graph, disagrees with finite differences, or
     *     does not earn a check's points
     */
    public record Report(List<Value> values, List<Problem> disagreements, List<Problem> others) {
        /** Every problem, in line order. */
        public List<Problem> problems() {
            List<Problem> all = new ArrayList<>(disagreements);
            all.addAll(others);
            all.sort(Comparator.comparingInt((Problem p) -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            return all;
        }
    }

    /** Returns every disagreement between {@code a}'s file and the reference, by location. */
    public static List<Problem> validate(Assignment a, Grader grader) {
        return run(a, grader).problems();
    }

    /** Runs the reference on {@code a} and compares it with the file, checkpoint by checkpoint. */
    public static Report run(Assignment a, Grader grader) {
        List<Value> values = new ArrayList<>();
        List<Problem> disagreements = new ArrayList<>();
        List<Problem> others = new ArrayList<>();
        Trace ref = grader.referenceTrace(a).orElseThrow(() -> new IllegalStateException("validate needs the "
                + "reference"));
        Authority authority = grader.authority(a, null);
        if (ref.forwardFault().isPresent()) {
            String node = ref.failedNode().orElse("?");
            Location at = a.graph().stream().filter(n -> n.name().equals(node)).map(Assignment.NodeSpec::location)
                    .findFirst().orElse(top(a));
            others.add(new Problem(at, "the reference fails on this graph at '" + node + "': "
                    + ref.forwardFault().get()));
            a.checkpoints().forEach(cp -> values.add(new Value(cp, Optional.empty(), cp.fromReference())));
            return new Report(values, disagreements, others);
        }
        for (Checkpoint cp : a.checkpoints()) {
            values.add(checkpoint(cp, ref, authority, disagreements, others));
        }
        for (CheckResult r : Checker.check(a, ref, authority)) {
            if (!r.status().earnsPoints()) {
                others.add(new Problem(where(a, r.check()), "the reference does not earn the points of '"
                        + r.check() + "': " + r.message()));
            }
        }
        return new Report(values, disagreements, others);
    }

    /** Compares one checkpoint with the reference, adding what disagrees to the lists. */
    private static Value checkpoint(Checkpoint cp, Trace ref, Authority authority, List<Problem> disagreements,
            List<Problem> others) {
        Optional<Matrix> value = referenceValue(ref, cp);
        if (value.isEmpty()) {
            others.add(new Problem(cp.location(), "the reference computes no value for '" + cp.id() + "'"));
            return new Value(cp, value, cp.fromReference());
        }
        Compare.Result r = Compare.values(cp.id(), cp.expected(), value.get(), cp.tolerance());
        boolean agrees = cp.fromReference() || r.ok();
        if (!agrees) {
            disagreements.add(new Problem(cp.expectedLocation(), disagreement(cp, value.get(), r)));
        }
        if (cp.kind() == Checkpoint.Kind.GRADIENT) {
            Outcome<Probes> num = ref.probes().get(cp.target());
            if (num != null && num.ok()) {
                Compare.Result fd = Compare.finiteDifferences(cp.id(), num.value(), value.get(),
                        authority.straddled(cp.target(), num.value()));
                if (!fd.ok()) {
                    others.add(new Problem(cp.location(), "the reference's gradient disagrees with finite "
                            + "differences at " + Compare.describe(fd.worst(), "numeric")));
                }
            }
        }
        return new Value(cp, value, agrees);
    }

    /** Says where the file and the reference part, and shows the reference's value whole when it is small. */
    private static String disagreement(Checkpoint cp, Matrix reference, Compare.Result r) {
        Worst w = r.worst();
        String s = "expected value of '" + cp.id() + "' disagrees with the reference at " + w.where() + ": the file "
                + "says " + Matrix.format(w.expected()) + ", the reference computes " + Matrix.format(w.actual())
                + " (" + r.failures() + " of " + cp.expected().size() + (cp.expected().size() == 1 ? " entry differs)"
                        : r.failures() == 1 ? " entries differs)" : " entries differ)");
        return reference.size() <= SHOWN_WHOLE ? s + "; the reference's value: " + Literals.matrix(reference)
                : s + "; grader fill writes the reference's value";
    }

    /** Where a check is written: its checkpoint, or the unit check of its op. */
    private static Location where(Assignment a, String check) {
        for (Checkpoint c : a.checkpoints()) {
            if (c.id().equals(check)) {
                return c.location();
            }
        }
        for (Assignment.UnitCheckSpec u : a.unitChecks()) {
            if (check.equals(u.op()) || check.startsWith(u.op() + " ")) {
                return u.location();
            }
        }
        return top(a);
    }

    private static Location top(Assignment a) {
        return new Location(a.file(), 1, 1, "");
    }

    private static Optional<Matrix> referenceValue(Trace ref, Checkpoint cp) {
        return switch (cp.kind()) {
            case FORWARD -> Optional.ofNullable(ref.forward().get(cp.target()));
            case GRADIENT -> ref.gradients().get().map(g -> g.get(cp.target()));
            case PARAMETER -> Optional.ofNullable(ref.parametersAfter().get(cp.afterSteps()))
                    .flatMap(Outcome::get).map((Map<String, Matrix> p) -> p.get(cp.target()));
        };
    }
}
