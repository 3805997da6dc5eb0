package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.run.Probes;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an assignment's expected values against the reference solution, which is the authority: every
 * expected value that disagrees is a problem at the line where it is written. Also checks the reference's
 * gradients against finite differences, and that the reference earns every point.
 */
public final class Validator {
    private Validator() {}

    /** Returns every disagreement between {@code a}'s file and the reference, by location. */
    public static List<Problem> validate(Assignment a, Grader grader) {
        List<Problem> out = new ArrayList<>();
        Trace ref = grader.referenceTrace(a).orElseThrow(() -> new IllegalStateException("validate needs the "
                + "reference"));
        Authority authority = grader.authority(a, null);
        if (ref.forwardFault().isPresent()) {
            out.add(new Problem(a.file() == null ? null : a.checkpoints().isEmpty() ? null
                    : a.checkpoints().get(0).location(), "the reference fails on this graph at '"
                    + ref.failedNode().orElse("?") + "': " + ref.forwardFault().get()));
            return out;
        }
        for (Checkpoint cp : a.checkpoints()) {
            Optional<Matrix> value = referenceValue(ref, cp);
            if (value.isEmpty()) {
                out.add(new Problem(cp.location(), "the reference computes no value for '" + cp.id() + "'"));
                continue;
            }
            Compare.Result r = Compare.values(cp.id(), cp.expected(), value.get(), cp.tolerance());
            if (!r.ok() && !cp.fromReference()) {
                Worst w = r.worst();
                out.add(new Problem(cp.expectedLocation(), "expected value of '" + cp.id() + "' disagrees with the "
                        + "reference at " + w.where() + ": the file says " + Matrix.format(w.expected())
                        + ", the reference computes " + Matrix.format(w.actual()) + " (" + r.failures() + " of "
                        + cp.expected().size() + " entries differ)"));
            }
            if (cp.kind() == Checkpoint.Kind.GRADIENT) {
                Outcome<Probes> num = ref.probes().get(cp.target());
                if (num != null && num.ok()) {
                    Compare.Result fd = Compare.finiteDifferences(cp.id(), num.value(), value.get(),
                            authority.straddled(cp.target()));
                    if (!fd.ok()) {
                        out.add(new Problem(cp.location(), "the reference's gradient disagrees with finite "
                                + "differences at " + Compare.describe(fd.worst(), "numeric")));
                    }
                }
            }
        }
        for (CheckResult r : Checker.check(a, ref, authority)) {
            if (!r.status().earnsPoints()) {
                out.add(new Problem(a.checkpoints().stream().filter(c -> c.id().equals(r.check()))
                        .map(Checkpoint::location).findFirst().orElse(null),
                        "the reference does not earn the points of '" + r.check() + "': " + r.message()));
            }
        }
        return out;
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
