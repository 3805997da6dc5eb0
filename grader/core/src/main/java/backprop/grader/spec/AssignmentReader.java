package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Assignment.OptimizerSpec;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import backprop.grader.spec.Yaml.ListNode;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an assignment file and checks it: its text, fields, types, names, the graph's structure and shapes, and
 * that running it stays within the {@link Budget}. Every problem is reported with file, line, column and field
 * path, in line order; a file with any problem is rejected whole.
 */
public final class AssignmentReader {
    private static final Set<String> TOP = new LinkedHashSet<>(List.of("id", "title", "source", "description",
            "inputs", "targets", "parameters", "graph", "loss", "upstream", "optimizer", "tolerance",
            "checkpoints", "unit_checks", "credit", "variants"));
    private static final Set<String> VARIANTS = new LinkedHashSet<>(List.of("draw", "std", "margin"));
    private static final Set<String> OPTIMIZER = new LinkedHashSet<>(List.of("method", "learning_rate",
            "momentum"));
    private static final Set<String> TOLERANCE = new LinkedHashSet<>(List.of("abs", "rel"));
    private static final Set<String> UNIT = new LinkedHashSet<>(List.of("op", "points", "shape"));
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** The most problems listed for one file; past that, one line says how many more there are. */
    static final int MAX_PROBLEMS = 50;
    /** Unit checks accept every graph op plus the optimizer... */
    public static final String SGD = "sgd";
    /** ...and the reverse pass, checked alone on a graph whose ops the grader defines. */
    public static final String REVERSE_PASS = "reverse_pass";

    private AssignmentReader() {}

    /** Reads and checks one file. */
    public static Assignment read(Path file) throws SpecException, IOException {
        return read(Source.read(file), false);
    }

    /** Reads and checks YAML text, reporting problems against {@code file}. */
    public static Assignment read(Path file, String yaml) throws SpecException {
        return read(Source.of(file, yaml), false);
    }

    /**
     * Reads a file for {@code grader fill}: a checkpoint may leave out {@code expected} or write
     * {@code expected: fill}; such a checkpoint comes back like one with {@code expected: reference}.
     */
    public static Assignment readForFill(Source src) throws SpecException {
        return read(src, true);
    }

    private static Assignment read(Source src, boolean placeholders) throws SpecException {
        Node root = Yaml.parse(src);
        Fields f = new Fields();
        Optional<MapNode> top = f.map(root, "an assignment file");
        if (top.isEmpty()) {
            throw new SpecException(f.problems());
        }
        Parse parse = new Parse(src.file(), f, top.get(), placeholders);
        Assignment a = parse.run();
        if (f.problems().isEmpty()) {
            parse.budget(a).forEach(p -> f.problem(p.location(), p.message()));
        }
        if (!f.problems().isEmpty()) {
            throw new SpecException(inLineOrder(f.problems()));
        }
        return a;
    }

    /** Sorts problems by place, and past {@link #MAX_PROBLEMS} says how many more there are instead of listing them. */
    private static List<Problem> inLineOrder(List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((Problem p) -> p.location().line())
                .thenComparingInt(p -> p.location().column()));
        if (sorted.size() <= MAX_PROBLEMS) {
            return sorted;
        }
        List<Problem> out = new ArrayList<>(sorted.subList(0, MAX_PROBLEMS));
        Problem last = sorted.get(MAX_PROBLEMS);
        out.add(new Problem(last.location(), (sorted.size() - MAX_PROBLEMS) + " more problems from here on are not "
                + "listed; fix the ones above first"));
        return out;
    }

    /** Reads {@code {abs, rel}}, each a number that must not be negative. */
    static Optional<Tolerance> tolerance(Fields f, Node node, String what) {
        return f.map(node, what).flatMap(m -> {
            f.onlyKeys(m, TOLERANCE);
            Optional<Double> abs = bound(f, m, "abs", what, Tolerance.DEFAULT.abs());
            Optional<Double> rel = bound(f, m, "rel", what, Tolerance.DEFAULT.rel());
            return abs.isPresent() && rel.isPresent() ? Optional.of(new Tolerance(abs.get(), rel.get()))
                    : Optional.empty();
        });
    }

    private static Optional<Double> bound(Fields f, MapNode m, String key, String what, double dflt) {
        Optional<Node> n = f.optional(m, key);
        if (n.isEmpty()) {
            return Optional.of(dflt);
        }
        return f.number(n.get(), what + "." + key).flatMap(v -> {
            if (v < 0) {
                f.problem(n.get().location(), what + "." + key + " must not be negative");
                return Optional.empty();
            }
            return Optional.of(v);
        });
    }

    /** The state of reading one file. */
    private static final class Parse {
        private final Path file;
        private final Fields f;
        private final MapNode top;
        private final Names names;
        private final Leaves leaves;
        private final GraphSection graph;
        private final CheckpointSection checkpoints;

        Parse(Path file, Fields f, MapNode top, boolean placeholders) {
            this.file = file;
            this.f = f;
            this.top = top;
            this.names = new Names(f);
            this.leaves = new Leaves(f, names);
            this.graph = new GraphSection(f, names, leaves.shapes, top);
            this.checkpoints = new CheckpointSection(f, names, leaves.shapes, placeholders);
        }

        Assignment run() {
            f.onlyKeys(top, TOP);
            String id = f.required(top, "id").flatMap(n -> f.text(n, "id")).orElse("?");
            if (!id.equals("?") && !ID.matcher(id).matches()) {
                f.problem(top.fields().get("id").location(),
                        "id '" + id + "' may hold only letters, digits, '.', '_' and '-'");
            }
            String title = f.required(top, "title").flatMap(n -> f.text(n, "title")).orElse("");
            String source = f.optional(top, "source").flatMap(n -> f.text(n, "source")).orElse("");
            String description = f.optional(top, "description").flatMap(n -> f.text(n, "description"))
                    .orElse("");
            Map<String, Matrix> inputs = leaves.group(top, "inputs");
            Map<String, Matrix> targets = leaves.group(top, "targets");
            Map<String, Matrix> parameters = leaves.group(top, "parameters");
            Set<String> parameterNames = names(top, "parameters");
            List<NodeSpec> nodes = graph.read();
            Optional<String> loss = f.optional(top, "loss").flatMap(n -> f.text(n, "loss"));
            graph.broken |= top.fields().containsKey("loss") && loss.isEmpty();
            Map<String, Matrix> upstream = upstream();
            Optional<OptimizerSpec> optimizer = f.optional(top, "optimizer").flatMap(this::optimizer);
            Tolerance tolerance = f.optional(top, "tolerance").flatMap(n -> tolerance(f, n, "tolerance"))
                    .orElse(Tolerance.DEFAULT);
            Set<String> reach = Assignment.ancestors(nodes, graph.seeds(nodes, loss, upstream));
            List<Checkpoint> cps = checkpoints.read(top, tolerance, new CheckpointSection.Context(parameterNames,
                    reach, f.optional(top, "optimizer").isPresent(), graph.broken || graph.missing,
                    loss.orElse("L")));
            List<UnitCheckSpec> units = unitChecks();
            Assignment.Credit credit = f.optional(top, "credit").flatMap(n -> f.text(n, "credit")).map(c -> {
                switch (c) {
                    case "per-checkpoint":
                        return Assignment.Credit.PER_CHECKPOINT;
                    case "per-fault":
                        return Assignment.Credit.PER_FAULT;
                    default:
                        f.problem(top.fields().get("credit").location().at("credit"), "credit must be "
                                + "'per-checkpoint' or 'per-fault', got '" + c + "'");
                        return Assignment.Credit.PER_CHECKPOINT;
                }
            }).orElse(Assignment.Credit.PER_CHECKPOINT);
            Optional<Assignment.VariantSpec> variants = f.optional(top, "variants").flatMap(n -> f.map(n, "variants"))
                    .flatMap(m -> variants(m, names(top, "inputs"), parameterNames));
            return new Assignment(file, id, title, source, description, inputs, targets, parameters,
                    leaves.origins, nodes, loss, upstream, optimizer, cps, units, credit, variants);
        }

        /** The problems of a file whose run would be over the budget, each at the place that asks for the most. */
        List<Problem> budget(Assignment a) {
            Location graphAt = Optional.ofNullable(top.keyLocations().get("graph")).orElse(top.location())
                    .at("graph");
            return Budget.estimate(a, cp -> checkpoints.stepsAt.getOrDefault(cp, cp.location()), graphAt).problems();
        }

        /** The names a group declares, whether or not their values read. */
        private Set<String> names(MapNode map, String key) {
            return map.fields().get(key) instanceof MapNode m ? m.fields().keySet() : Set.of();
        }

        private Map<String, Matrix> upstream() {
            Map<String, Matrix> out = new LinkedHashMap<>();
            f.optional(top, "upstream").flatMap(n -> f.map(n, "upstream")).ifPresent(m -> m.fields().forEach(
                    (name, node) -> f.matrix(node, "upstream." + name).ifPresent(v -> out.put(name, v))));
            return out;
        }

        private Optional<OptimizerSpec> optimizer(Node node) {
            return f.map(node, "optimizer").flatMap(m -> {
                f.onlyKeys(m, OPTIMIZER);
                Optional<String> method = f.required(m, "method").flatMap(n -> f.text(n, "optimizer.method"));
                if (method.isPresent() && !method.get().equals(SGD)) {
                    f.problem(m.fields().get("method").location(), "optimizer.method must be 'sgd' (with an "
                            + "optional momentum), got '" + method.get() + "'" + Fields.suggest(method.get(),
                            List.of(SGD)));
                }
                Optional<Double> lr = f.required(m, "learning_rate")
                        .flatMap(n -> f.positive(n, "optimizer.learning_rate"));
                Optional<Double> mu = f.optional(m, "momentum").isEmpty() ? Optional.of(0.0)
                        : f.number(m.fields().get("momentum"), "optimizer.momentum").flatMap(v -> {
                            if (v < 0 || v >= 1) {
                                f.problem(m.fields().get("momentum").location(), "optimizer.momentum must be from 0 "
                                        + "up to (not including) 1, got " + Matrix.format(v));
                                return Optional.empty();
                            }
                            return Optional.of(v);
                        });
                return lr.isPresent() && mu.isPresent() ? Optional.of(new OptimizerSpec(lr.get(), mu.get()))
                        : Optional.empty();
            });
        }

        private Optional<Assignment.VariantSpec> variants(MapNode m, Set<String> inputs, Set<String> parameters) {
            f.onlyKeys(m, VARIANTS);
            List<String> draw = f.required(m, "draw").map(n -> f.names(n, "variants.draw")).orElse(List.of());
            for (String name : draw) {
                if (!inputs.contains(name) && !parameters.contains(name)) {
                    f.problem(m.fields().get("draw").location().at("variants.draw"), "variants.draw names '" + name
                            + "', which is neither an input nor a parameter" + Fields.suggest(name, names.all()));
                }
            }
            double std = f.optional(m, "std").flatMap(n -> f.positive(n, "variants.std")).orElse(1.0);
            double margin = f.optional(m, "margin").flatMap(n -> f.number(n, "variants.margin")).orElse(0.05);
            if (margin < 0) {
                f.problem(m.fields().get("margin").location().at("variants.margin"), "variants.margin must not be "
                        + "negative");
            }
            return draw.isEmpty() ? Optional.empty() : Optional.of(new Assignment.VariantSpec(draw, std, margin));
        }

        private List<UnitCheckSpec> unitChecks() {
            List<UnitCheckSpec> out = new ArrayList<>();
            List<String> known = new ArrayList<>(Op.names());
            known.add(SGD);
            known.add(REVERSE_PASS);
            f.optional(top, "unit_checks").flatMap(n -> f.list(n, "unit_checks")).ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    String what = "unit_checks[" + i + "]";
                    f.map(l.items().get(i), what).ifPresent(m -> unitCheck(m, what, known, out));
                }
            });
            return out;
        }

        private void unitCheck(MapNode m, String what, List<String> known, List<UnitCheckSpec> out) {
            f.onlyKeys(m, UNIT);
            Optional<String> op = f.required(m, "op").flatMap(n -> f.text(n, what + ".op"));
            double points = f.optional(m, "points").flatMap(n -> f.positive(n, what + ".points")).orElse(1.0);
            int[] shape = f.optional(m, "shape").flatMap(n -> f.list(n, what + ".shape"))
                    .map((ListNode l) -> leaves.unitShape(l, what)).orElse(new int[] {3, 4, 2});
            op.ifPresent(o -> {
                if (out.stream().anyMatch(x -> x.op().equals(o))) {
                    f.problem(m.fields().get("op").location(), "op '" + o + "' is already checked in unit_checks; "
                            + "each op is checked once");
                } else if (!known.contains(o)) {
                    f.problem(m.fields().get("op").location(), "unknown op '" + o + "'" + Fields.suggest(o, known)
                            + "; known: " + String.join(", ", known));
                } else {
                    out.add(new UnitCheckSpec(o, points, shape[0], shape[1], shape[2], m.location().at(what)));
                }
            });
        }
    }
}
