package backprop.grader.spec;

import backprop.api.Matrix;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated assignment: a computation graph, the values it starts from, and the checkpoints to grade.
 *
 * <p>Every name in {@code inputs}, {@code targets}, {@code parameters} and {@code graph} is unique; the graph
 * has no cycle and its shapes fit (checked by {@link AssignmentReader}).
 *
 * @param file the YAML file it was read from
 * @param id unique id, used in test names and CSV columns
 * @param title one line for people
 * @param source where the exercise comes from
 * @param description what the student computes
 * @param inputs data fed to the network, one example a row
 * @param targets target values, one example a row
 * @param parameters the values of the parameters before any optimizer step
 * @param parameterOrigins how each parameter was given (literal, constant, or the seed of a random draw)
 * @param graph the operation nodes, in file order
 * @param loss the loss node, when the exercise has one
 * @param upstream given gradients at nodes, when the exercise starts from those instead of a loss
 * @param optimizer how parameters are updated, when the exercise takes steps
 * @param checkpoints what is graded, in file order
 * @param unitChecks operations checked on their own
 * @param credit whether one fault costs every checkpoint it breaks, or only one
 * @param variants which values each student gets drawn afresh, when the assignment has per-student variants
 */
public record Assignment(
        Path file,
        String id,
        String title,
        String source,
        String description,
        Map<String, Matrix> inputs,
        Map<String, Matrix> targets,
        Map<String, Matrix> parameters,
        Map<String, String> parameterOrigins,
        List<NodeSpec> graph,
        Optional<String> loss,
        Map<String, Matrix> upstream,
        Optional<OptimizerSpec> optimizer,
        List<Checkpoint> checkpoints,
        List<UnitCheckSpec> unitChecks,
        Credit credit,
        Optional<VariantSpec> variants) {

    /** An assignment that deducts every broken checkpoint (the default). */
    public Assignment(Path file, String id, String title, String source, String description,
            Map<String, Matrix> inputs, Map<String, Matrix> targets, Map<String, Matrix> parameters,
            Map<String, String> parameterOrigins, List<NodeSpec> graph, Optional<String> loss,
            Map<String, Matrix> upstream, Optional<OptimizerSpec> optimizer, List<Checkpoint> checkpoints,
            List<UnitCheckSpec> unitChecks) {
        this(file, id, title, source, description, inputs, targets, parameters, parameterOrigins, graph, loss,
                upstream, optimizer, checkpoints, unitChecks, Credit.PER_CHECKPOINT, Optional.empty());
    }

    /**
     * Per-student variants: the named inputs and parameters are drawn afresh for each student, from a seed derived
     * from the student id, {@code N(0, std²)} entry by entry, redrawn while any ReLU input lies within
     * {@code margin} of 0; expected values then come from the reference.
     *
     * @param draw the inputs and parameters to draw
     * @param std the standard deviation of each entry
     * @param margin how far every ReLU input must stay from 0
     */
    public record VariantSpec(List<String> draw, double std, double margin) {}

    /** Returns a copy with some leaves replaced and the checkpoints given; everything else the same. */
    public Assignment with(Map<String, Matrix> leaves, List<Checkpoint> newCheckpoints) {
        Map<String, Matrix> in = new java.util.LinkedHashMap<>(inputs);
        Map<String, Matrix> par = new java.util.LinkedHashMap<>(parameters);
        leaves.forEach((k, v) -> {
            if (in.containsKey(k)) {
                in.put(k, v);
            } else if (par.containsKey(k)) {
                par.put(k, v);
            }
        });
        return new Assignment(file, id, title, source, description, in, targets, par, parameterOrigins, graph, loss,
                upstream, optimizer, newCheckpoints, unitChecks, credit, variants);
    }

    /** How a fault that breaks several checkpoints is charged. */
    public enum Credit {
        /** Every broken checkpoint loses its points. */
        PER_CHECKPOINT,
        /**
         * Credit follows the component at fault: of the checkpoints one fault breaks (the same node, found by
         * blame), only the first loses its points.
         */
        PER_FAULT
    }

    /** One operation node: {@code name = op(inputs...)}. */
    public record NodeSpec(String name, String op, List<String> inputs, Location location) {}

    /** Gradient descent settings. */
    public record OptimizerSpec(double learningRate, double momentum) {}

    /**
     * An operation checked alone on random inputs: {@code rows×cols} is the first input's shape, and
     * {@code outputs} the output width of {@code affine} and {@code linear}.
     */
    public record UnitCheckSpec(String op, double points, int rows, int cols, int outputs, Location location) {}

    /** Returns the value of a leaf (input, target or parameter), or empty for an operation node. */
    public Optional<Matrix> leaf(String name) {
        if (inputs.containsKey(name)) {
            return Optional.of(inputs.get(name));
        }
        if (targets.containsKey(name)) {
            return Optional.of(targets.get(name));
        }
        return Optional.ofNullable(parameters.get(name));
    }

    /** The total points of the checkpoints and unit checks. */
    public double maxPoints() {
        return checkpoints.stream().mapToDouble(Checkpoint::points).sum()
                + unitChecks.stream().mapToDouble(UnitCheckSpec::points).sum();
    }

    /**
     * The given nodes and every node they are computed from, walking a graph (in an order where each node follows its
     * inputs) from the end back.
     */
    public static Set<String> ancestors(List<NodeSpec> graph, Collection<String> roots) {
        Set<String> out = new HashSet<>(roots);
        for (int i = graph.size() - 1; i >= 0; i--) {
            if (out.contains(graph.get(i).name())) {
                out.addAll(graph.get(i).inputs());
            }
        }
        return out;
    }

    /** The nodes the loss (or the given upstream gradients) depend on, themselves included. */
    public Set<String> seedAncestors() {
        Set<String> seeds = new HashSet<>(upstream.keySet());
        loss.ifPresent(seeds::add);
        return ancestors(graph, seeds);
    }

    /** The largest number of optimizer steps any checkpoint asks for. */
    public int maxSteps() {
        return checkpoints.stream().mapToInt(Checkpoint::afterSteps).max().orElse(0);
    }
}
