package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import backprop.grader.spec.Checkpoint.Kind;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import backprop.grader.spec.Yaml.ScalarNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an assignment's {@code checkpoints}. An expected value is a matrix, {@code reference} (computed at grading
 * time), or, only when the file is read for {@code grader fill}, a placeholder: {@code fill} or no
 * {@code expected} at all.
 */
final class CheckpointSection {
    /** The word that asks {@code grader fill} for a value. */
    static final String FILL = "fill";
    private static final Set<String> CHECKPOINT = new LinkedHashSet<>(List.of("id", "forward", "gradient",
            "parameter", "after_steps", "expected", "points", "tolerance", "visibility", "hint"));

    /**
     * What the section needs from the rest of the file.
     *
     * @param parameters the names declared as parameters (whether or not their values read)
     * @param reach the names the loss (or the given gradients) depend on
     * @param hasOptimizer whether the file has an {@code optimizer} section (whether or not it reads)
     * @param graphQuiet true when the graph has a problem already reported, so a name it would have declared is
     *     not reported again
     * @param lossName the loss node's name, for checkpoint ids
     */
    record Context(Set<String> parameters, Set<String> reach, boolean hasOptimizer, boolean graphQuiet,
            String lossName) {}

    private final Fields f;
    private final Names names;
    private final Map<String, int[]> shapes;
    private final boolean placeholders;
    /** Where each parameter checkpoint says how many steps it takes, for the budget. */
    final Map<Checkpoint, Location> stepsAt = new IdentityHashMap<>();

    CheckpointSection(Fields f, Names names, Map<String, int[]> shapes, boolean placeholders) {
        this.f = f;
        this.names = names;
        this.shapes = shapes;
        this.placeholders = placeholders;
    }

    List<Checkpoint> read(MapNode top, Tolerance dflt, Context ctx) {
        List<Checkpoint> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        f.optional(top, "checkpoints").flatMap(n -> f.list(n, "checkpoints")).ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                String what = "checkpoints[" + i + "]";
                f.map(l.items().get(i), what).flatMap(m -> checkpoint(m, what, dflt, ctx)).ifPresent(c -> {
                    if (!ids.add(c.id())) {
                        f.problem(c.location(), "two checkpoints have the id '" + c.id() + "'; give one an explicit "
                                + "'id'");
                    }
                    out.add(c);
                });
            }
        });
        return out;
    }

    private Optional<Checkpoint> checkpoint(MapNode m, String what, Tolerance dflt, Context ctx) {
        f.onlyKeys(m, CHECKPOINT);
        Optional<Kind> kind = kind(m, what);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        Kind k = kind.get();
        Optional<String> target = f.text(m.fields().get(k.word()), what + "." + k.word());
        double points = f.optional(m, "points").flatMap(n -> f.positive(n, what + ".points")).orElse(1.0);
        Tolerance tol = f.optional(m, "tolerance").flatMap(n -> AssignmentReader.tolerance(f, n, what + ".tolerance"))
                .orElse(dflt);
        Visibility vis = f.optional(m, "visibility").flatMap(n -> f.text(n, what + ".visibility"))
                .flatMap(v -> visibility(v, m.fields().get("visibility").location()))
                .orElse(Visibility.VISIBLE);
        Optional<String> hint = f.optional(m, "hint").flatMap(n -> f.text(n, what + ".hint"));
        int steps = steps(m, what, k);
        if (target.isEmpty() || !targetFits(m, what, k, target.get(), ctx)) {
            return Optional.empty();
        }
        String t = target.get();
        Node expectedNode = m.fields().get("expected");
        Location expectedAt = (expectedNode == null ? m.location() : expectedNode.location()).at(what + ".expected");
        Optional<Expected> expected = expected(m, what, t);
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        Matrix e = expected.get().value();
        int[] s = shapes.get(t);
        if (s != null && (s[0] != e.rows() || s[1] != e.cols())) {
            f.problem(expectedAt, what + ".expected is " + e.shape() + " but '" + t + "' is " + Op.shape(s)
                    + (s[0] == e.cols() && s[1] == e.rows() ? " (transposed? one example a row)" : ""));
        }
        String id = f.optional(m, "id").flatMap(n -> f.text(n, what + ".id")).orElse(defaultId(k, t, steps,
                ctx.lossName()));
        Checkpoint cp = new Checkpoint(id, k, t, steps, e, points, tol, vis, hint, m.location().at(what),
                expectedAt, expected.get().computed());
        if (k == Kind.PARAMETER) {
            Node n = m.fields().get("after_steps");
            stepsAt.put(cp, n == null ? m.location().at(what) : n.location().at(what + ".after_steps"));
        }
        return Optional.of(cp);
    }

    /** Which of forward, gradient and parameter the checkpoint names: exactly one. */
    private Optional<Kind> kind(MapNode m, String what) {
        List<Kind> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (m.fields().containsKey(k.word())) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            f.problem(m.location().at(what), "a checkpoint names exactly one of 'forward', 'gradient' or "
                    + "'parameter' (the node it checks); found " + kinds.size());
            return Optional.empty();
        }
        return Optional.of(kinds.get(0));
    }

    private int steps(MapNode m, String what, Kind kind) {
        if (kind == Kind.PARAMETER) {
            return f.optional(m, "after_steps").flatMap(n -> f.positiveInt(n, what + ".after_steps")).orElse(1);
        }
        if (m.fields().containsKey("after_steps")) {
            f.problem(m.keyLocations().get("after_steps"), "'after_steps' belongs to 'parameter' checkpoints");
        }
        return 0;
    }

    /**
     * Checks that the checkpoint's target is defined and can be checked its way; false when it is not defined
     * (the checkpoint is then dropped, after its literal value's own problems are reported).
     */
    private boolean targetFits(MapNode m, String what, Kind kind, String t, Context ctx) {
        Location targetAt = m.fields().get(kind.word()).location();
        if (!names.contains(t)) {
            Node literal = m.fields().get("expected");
            if (literal instanceof Yaml.ListNode) {
                f.matrix(literal, what + ".expected"); // for its own problems
            }
            if (!ctx.graphQuiet()) {
                f.problem(targetAt, what + " checks '" + t + "', which is not defined" + Fields.suggest(t, names.all()));
            }
            return false;
        }
        if (kind == Kind.GRADIENT && !ctx.reach().contains(t) && !ctx.graphQuiet()) {
            f.problem(targetAt, what + " asks for the gradient of '" + t + "', but the loss does not depend on it");
        }
        if (kind == Kind.PARAMETER && !ctx.parameters().contains(t)) {
            f.problem(targetAt, what + " checks '" + t + "' after optimizer steps, but it is not a parameter");
        }
        if (kind == Kind.PARAMETER && !ctx.hasOptimizer()) {
            f.problem(targetAt, what + " needs an 'optimizer' section (method, learning_rate)");
        }
        return true;
    }

    /** An expected value, and whether the reference computes it (for {@code reference}, or a placeholder). */
    private record Expected(Matrix value, boolean computed) {}

    private Optional<Expected> expected(MapNode m, String what, String target) {
        Node n = m.fields().get("expected");
        boolean absent = n == null || n instanceof ScalarNode s && s.isNull();
        String word = n instanceof ScalarNode s && s.kind() == Yaml.Scalar.TEXT ? s.text() : "";
        if (absent && !placeholders) {
            f.problem(m.location().at(what + ".expected"), "missing required field 'expected' (write the value, or "
                    + "'expected: fill' and run grader fill on this file to have the reference write it)");
            return Optional.empty();
        }
        if (word.equals(FILL) && !placeholders) {
            f.problem(n.location().at(what + ".expected"), what + ".expected is still the placeholder 'fill': run "
                    + "grader fill on this file to have the reference write the value");
            return Optional.empty();
        }
        if (absent || word.equals(FILL) || word.equals("reference")) {
            int[] s = shapes.get(target);
            if (s == null) {
                if (f.problems().isEmpty()) { // otherwise the target's value or shape has a problem of its own
                    f.problem(n == null ? m.location() : n.location(), what + ": the shape of '" + target
                            + "' is unknown, so its value cannot be computed");
                }
                return Optional.empty();
            }
            return Optional.of(new Expected(Matrix.zeros(s[0], s[1]), true));
        }
        return f.matrix(n, what + ".expected").map(v -> new Expected(v, false));
    }

    private static String defaultId(Kind kind, String target, int steps, String lossName) {
        return switch (kind) {
            case FORWARD -> target;
            case GRADIENT -> "d" + lossName + "/d" + target;
            case PARAMETER -> target + " after " + steps + (steps == 1 ? " step" : " steps");
        };
    }

    private Optional<Visibility> visibility(String v, Location at) {
        try {
            return Optional.of(Visibility.valueOf(v.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            f.problem(at, "visibility must be 'visible' or 'hidden', got '" + v + "'");
            return Optional.empty();
        }
    }
}
