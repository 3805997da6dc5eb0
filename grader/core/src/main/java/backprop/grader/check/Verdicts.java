package backprop.grader.check;

import backprop.grader.graph.Op;
import backprop.grader.spec.AssignmentReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Says which component is at fault by setting the network checks beside the checks of each component alone:
 * every op on random inputs (the {@code ops} unit checks) and the reverse pass on a graph whose ops the grader
 * defines. "Your ops are right; your reverse pass overwrites the gradient at a node with two consumers", or
 * "your reverse pass is right; Sigmoid.backward is wrong".
 *
 * <p>Why not run the student's reverse pass with the reference's ops directly: in batch grading the reference
 * never shares a JVM with student code; the grader's own mock ops stand in for the reference's, and the unit
 * checks run each student op alone.
 */
final class Verdicts {
    private static final String REVERSE = AssignmentReader.REVERSE_PASS + " › gradients";

    private Verdicts() {}

    /** Adds a verdict to every network check that has a component at fault, when the unit checks were run. */
    static List<CheckResult> attach(List<CheckResult> results) {
        Map<String, CheckResult> units = new HashMap<>();
        results.stream().filter(r -> r.kind().equals("unit")).forEach(r -> units.put(r.check(), r));
        if (units.isEmpty()) {
            return results;
        }
        List<CheckResult> out = new ArrayList<>();
        for (CheckResult r : results) {
            Optional<String> v = r.component().filter(c -> !r.status().earnsPoints() || r.earned() < r.possible()
                    || r.message().contains("credited")).flatMap(c -> verdict(c, units));
            out.add(v.isEmpty() ? r : r.withDiagnosis(Optional.of(r.diagnosis().map(d -> d + "; ").orElse("")
                    + "verdict: " + v.get())));
        }
        return out;
    }

    private static Optional<String> verdict(String component, Map<String, CheckResult> units) {
        Optional<CheckResult> reverse = Optional.ofNullable(units.get(REVERSE));
        boolean reverseRight = reverse.map(r -> r.status().earnsPoints()).orElse(false);
        if (component.startsWith("Backprop.")) {
            boolean opsRight = units.values().stream().filter(u -> !u.check().equals(REVERSE))
                    .allMatch(u -> u.status().earnsPoints());
            if (reverse.isPresent() && !reverseRight) {
                String why = reverse.get().diagnosis().orElse(reverse.get().message());
                return Optional.of((opsRight ? "your ops are right (each passes its own check); " : "")
                        + "your reverse pass is wrong: " + why);
            }
            if (reverseRight) {
                return Optional.of("your reverse pass is right on the grader's own graph; one of the ops feeding this "
                        + "node sends back a wrong gradient here");
            }
            return Optional.empty();
        }
        String simple = component.substring(0, component.indexOf('.'));
        Optional<Op> op = java.util.Arrays.stream(Op.values()).filter(o -> o.simpleClassName().equals(simple))
                .findFirst();
        if (op.isEmpty()) {
            return Optional.empty();
        }
        String unitId = op.get().yamlName() + " › backward";
        CheckResult unit = units.get(unitId);
        if (unit == null) {
            return Optional.empty();
        }
        String prefix = reverseRight ? "your reverse pass is right; " : "";
        if (!unit.status().earnsPoints()) {
            return Optional.of(prefix + component + " is wrong (its own check '" + unitId + "' fails too)");
        }
        return Optional.of(prefix + component + " passes its own check on random inputs, so look at what differs "
                + "here: a kink, a zero, a batch of several examples, or a shape");
    }
}
