package backprop.grader.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why one gradient is wrong.
 *
 * @param faults the wrong steps between the loss and it, nearest the loss first
 * @param undecided the steps a local run could not judge (finite differences could not decide)
 */
record Explanation(List<Fault> faults, List<String> undecided) {
    /** Groups of faults (the same method, the same kind of step) named in one "where"; more are counted. */
    static final int SHOWN = 3;

    /** The faults a check names: the first groups of the same kind of fault in the same method. */
    List<List<Fault>> shown() {
        Map<String, List<Fault>> groups = new LinkedHashMap<>();
        for (Fault f : faults) {
            groups.computeIfAbsent(f.kind() + " " + f.method(), k -> new ArrayList<>()).add(f);
        }
        List<List<Fault>> all = new ArrayList<>(groups.values());
        return all.subList(0, Math.min(SHOWN, all.size()));
    }

    /**
     * Where the gradient goes wrong, for people: the faults found, or, when a local run could not decide some
     * step and found nothing, that it could not and why.
     */
    Optional<String> where() {
        if (!faults.isEmpty()) {
            List<List<Fault>> shown = shown();
            long more = faults.stream().map(f -> f.kind() + " " + f.method()).distinct().count() - shown.size();
            return Optional.of(String.join("; also, ", shown.stream().map(Explanation::sentence).toList())
                    + (more > 0 ? "; and " + Diagnosis.count(more, "other fault", "other faults") + " on the way"
                            : ""));
        }
        if (!undecided.isEmpty()) {
            return Optional.of("not located in this run: finite differences of your own forward pass cannot "
                    + "decide whether " + String.join(", ", undecided) + " is right, and without the reference "
                    + "nothing else can; your graded run compares each step with the reference");
        }
        return Optional.empty();
    }

    /** One sentence for a group of faults of one kind in one method. */
    private static String sentence(List<Fault> group) {
        Fault first = group.get(0);
        if (group.size() == 1) {
            return first.where();
        }
        List<String> nodes = group.stream().map(f -> "'" + f.node() + "'").distinct().toList();
        return switch (first.kind()) {
            case OP -> first.where() + " (at node " + nodes.get(0) + ", and at " + Blame.and(nodes.subList(1,
                    nodes.size())) + " too)";
            case PROPAGATE -> first.method() + " calls the backward of " + Blame.and(nodes) + " with gradients other "
                    + "than their own: the fault is in " + first.method();
            case COMBINE -> "the gradients of " + Blame.and(nodes) + " are not the sums of what arrives at them: the "
                    + "fault is in " + first.method();
        };
    }

    /** The likely causes of the faults named, when they fit a known mistake. */
    Optional<String> cause() {
        List<String> causes = shown().stream().flatMap(List::stream).flatMap(f -> f.cause().stream()).distinct()
                .toList();
        return causes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", causes));
    }

    /** The method at fault, first. */
    Optional<String> method() {
        return faults.stream().findFirst().map(Fault::method);
    }

    /** Whether the faults named make {@code node}'s own gradient wrong first (or none was found). */
    boolean firstWrongAt(String node) {
        return faults.isEmpty() || shown().stream().flatMap(List::stream)
                .anyMatch(f -> f.firstWrong().contains(node));
    }
}
