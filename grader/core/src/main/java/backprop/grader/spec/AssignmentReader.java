package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Assignment.OptimizerSpec;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import backprop.grader.spec.Checkpoint.Kind;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an assignment file and checks it: fields, types, names, the graph's structure and its shapes.
 * Every problem is reported with file, line, column and field path; a file with any problem is rejected whole.
 */
public final class AssignmentReader {
    private static final Set<String> TOP = new LinkedHashSet<>(List.of("id", "title", "source", "description",
            "inputs", "targets", "parameters", "graph", "loss", "upstream", "optimizer", "tolerance",
            "checkpoints", "unit_checks", "credit", "variants"));
    private static final Set<String> VARIANTS = new LinkedHashSet<>(List.of("draw", "std", "margin"));
    private static final Set<String> NODE = new LinkedHashSet<>(List.of("node", "op", "inputs"));
    private static final Set<String> CHECKPOINT = new LinkedHashSet<>(List.of("id", "forward", "gradient",
            "parameter", "after_steps", "expected", "points", "tolerance", "visibility", "hint"));
    private static final Set<String> OPTIMIZER = new LinkedHashSet<>(List.of("method", "learning_rate",
            "momentum"));
    private static final Set<String> TOLERANCE = new LinkedHashSet<>(List.of("abs", "rel"));
    private static final Set<String> UNIT = new LinkedHashSet<>(List.of("op", "points", "shape"));
    private static final Set<String> CONSTANT = new LinkedHashSet<>(List.of("constant", "shape"));
    private static final Set<String> ONE_HOT = new LinkedHashSet<>(List.of("one_hot", "shape"));
    private static final Set<String> RANDOM = new LinkedHashSet<>(List.of("random", "seed", "shape", "mean",
            "std", "low", "high"));
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** The most entries a drawn or constant matrix may have (a 784-128-10 network needs about 10⁵). */
    static final long MAX_ENTRIES = 1L << 22;
    /** Unit checks accept every graph op plus the optimizer... */
    public static final String SGD = "sgd";
    /** ...and the reverse pass, checked alone on a graph whose ops the grader defines. */
    public static final String REVERSE_PASS = "reverse_pass";

    private AssignmentReader() {}

    /** Reads and checks one file. */
    public static Assignment read(Path file) throws SpecException, IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, r);
        }
    }

    /** Reads and checks YAML text, reporting problems against {@code file}. */
    public static Assignment read(Path file, String yaml) throws SpecException {
        try {
            return read(file, new StringReader(yaml));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    private static Assignment read(Path file, Reader reader) throws SpecException, IOException {
        Node root = Yaml.parse(file, reader);
        Fields f = new Fields();
        Optional<MapNode> top = f.map(root, "an assignment file");
        if (top.isEmpty()) {
            throw new SpecException(f.problems());
        }
        Assignment a = new Parse(file, f, top.get()).run();
        if (!f.problems().isEmpty()) {
            throw new SpecException(f.problems());
        }
        return a;
    }

    /** The state of reading one file. */
    private static final class Parse {
        private final Path file;
        private final Fields f;
        private final MapNode top;
        private final Map<String, Location> declared = new HashMap<>();
        private final Map<String, int[]> shapes = new HashMap<>();
        private final Map<NodeSpec, List<Location>> inputLocations = new HashMap<>();
        /** Set when a node was dropped or the seeds are unusable, so that follow-on checks stay quiet. */
        private boolean graphBroken;
        private Optional<String> loss = Optional.empty();

        Parse(Path file, Fields f, MapNode top) {
            this.file = file;
            this.f = f;
            this.top = top;
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
            Map<String, String> origins = new LinkedHashMap<>();
            Map<String, Matrix> inputs = values("inputs", origins);
            Map<String, Matrix> targets = values("targets", origins);
            Map<String, Matrix> parameters = values("parameters", origins);
            List<NodeSpec> graph = sorted(graphNodes());
            loss = f.optional(top, "loss").flatMap(n -> f.text(n, "loss"));
            graphBroken |= top.fields().containsKey("loss") && loss.isEmpty();
            Map<String, Matrix> upstream = matrices("upstream");
            Optional<OptimizerSpec> optimizer = f.optional(top, "optimizer").flatMap(this::optimizer);
            Tolerance tolerance = f.optional(top, "tolerance").flatMap(this::tolerance).orElse(Tolerance.DEFAULT);
            checkSeeds(graph, loss, upstream);
            Set<String> seeds = new HashSet<>(upstream.keySet());
            loss.ifPresent(seeds::add);
            Set<String> reachesSeed = Assignment.ancestors(graph, seeds);
            List<Checkpoint> checkpoints = checkpoints(tolerance, parameters, reachesSeed, optimizer.isPresent());
            List<UnitCheckSpec> units = unitChecks();
            if (graph.isEmpty() && units.isEmpty() && !graphBroken) {
                f.problem(top.location(), "the file has neither a graph nor unit_checks: nothing to grade");
            }
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
                    .flatMap(m -> variants(m, inputs, parameters));
            return new Assignment(file, id, title, source, description, inputs, targets, parameters, origins, graph,
                    loss, upstream, optimizer, checkpoints, units, credit, variants);
        }

        private Map<String, Matrix> matrices(String key) {
            Map<String, Matrix> out = new LinkedHashMap<>();
            f.optional(top, key).flatMap(n -> f.map(n, key)).ifPresent(m -> m.fields().forEach((name, node) ->
                    f.matrix(node, key + "." + name).ifPresent(v -> out.put(name, v))));
            return out;
        }

        /** Declares a name; returns false (and reports it) when the name is taken. */
        private boolean declare(String name, Location at) {
            Location first = declared.putIfAbsent(name, at);
            if (first != null) {
                f.problem(at, "the name '" + name + "' is already used at line " + first.line()
                        + "; inputs, targets, parameters and nodes share one namespace");
                return false;
            }
            return true;
        }

        private List<Location> locations(Node list, String what) {
            List<Location> out = new ArrayList<>();
            if (list instanceof Yaml.ListNode l) {
                for (int i = 0; i < l.items().size(); i++) {
                    out.add(l.items().get(i).location().at(what + "[" + i + "]"));
                }
            }
            return out;
        }

        /**
         * Reads the named values of {@code key} (inputs, targets or parameters): each a literal matrix, a
         * {@code constant}, a seeded {@code random} draw, or a seeded {@code one_hot} draw (targets).
         */
        private Map<String, Matrix> values(String key, Map<String, String> origins) {
            Map<String, Matrix> out = new LinkedHashMap<>();
            f.optional(top, key).flatMap(n -> f.map(n, key)).ifPresent(m ->
                    m.fields().forEach((name, node) -> {
                        declare(name, m.keyLocations().get(name));
                        String what = key + "." + name;
                        Optional<Matrix> v;
                        if (node instanceof MapNode spec && spec.fields().containsKey("random")) {
                            v = random(spec, what);
                            v.ifPresent(x -> origins.put(name, "random " + describe(spec)));
                        } else if (node instanceof MapNode spec && spec.fields().containsKey("one_hot")) {
                            v = oneHot(spec, what);
                            v.ifPresent(x -> origins.put(name, "one_hot " + describe(spec)));
                        } else if (node instanceof MapNode spec) {
                            v = constant(spec, what);
                            v.ifPresent(x -> origins.put(name, "constant"));
                        } else {
                            v = f.matrix(node, what);
                            v.ifPresent(x -> origins.put(name, "literal"));
                        }
                        v.ifPresent(x -> {
                            out.put(name, x);
                            shapes.put(name, new int[] {x.rows(), x.cols()});
                        });
                    }));
            return out;
        }

        /** One-hot rows, the hot column of each drawn uniformly with the given seed: {@code {one_hot: SEED, shape}}. */
        private Optional<Matrix> oneHot(MapNode spec, String what) {
            f.onlyKeys(spec, ONE_HOT);
            Optional<Double> seed = f.required(spec, "one_hot").flatMap(n -> f.number(n, what + ".one_hot"));
            Optional<int[]> shape = shape(spec, what);
            if (seed.isEmpty() || shape.isEmpty()) {
                return Optional.empty();
            }
            Random rng = new Random(seed.get().longValue());
            int[] s = shape.get();
            int[] hot = new int[s[0]];
            for (int i = 0; i < s[0]; i++) {
                hot[i] = rng.nextInt(s[1]);
            }
            return Optional.of(Matrix.build(s[0], s[1], (i, j) -> hot[i] == j ? 1 : 0));
        }

        private String describe(MapNode spec) {
            StringBuilder sb = new StringBuilder();
            spec.fields().forEach((k, v) -> {
                if (v instanceof Yaml.ScalarNode s && !s.isNull()) {
                    sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(s.text());
                }
            });
            return sb.toString();
        }

        private Optional<int[]> shape(MapNode spec, String what) {
            return f.required(spec, "shape").flatMap(n -> f.list(n, what + ".shape")).flatMap(l -> {
                if (l.items().size() != 2) {
                    f.problem(l.location(), what + ".shape must be [rows, cols]");
                    return Optional.empty();
                }
                Optional<Integer> r = f.positiveInt(l.items().get(0), what + ".shape rows");
                Optional<Integer> c = f.positiveInt(l.items().get(1), what + ".shape cols");
                if (r.isPresent() && c.isPresent() && (long) r.get() * c.get() > MAX_ENTRIES) {
                    f.problem(l.location(), what + ".shape asks for " + ((long) r.get() * c.get()) + " entries; at "
                            + "most " + MAX_ENTRIES + " are allowed");
                    return Optional.empty();
                }
                return r.isPresent() && c.isPresent() ? Optional.of(new int[] {r.get(), c.get()})
                        : Optional.empty();
            });
        }

        private Optional<Matrix> constant(MapNode spec, String what) {
            f.onlyKeys(spec, CONSTANT);
            Optional<Double> value = f.required(spec, "constant").flatMap(n -> f.number(n, what + ".constant"));
            Optional<int[]> shape = shape(spec, what);
            return value.isPresent() && shape.isPresent()
                    ? Optional.of(Matrix.filled(shape.get()[0], shape.get()[1], value.get())) : Optional.empty();
        }

        private Optional<Matrix> random(MapNode spec, String what) {
            f.onlyKeys(spec, RANDOM);
            Optional<String> dist = f.required(spec, "random").flatMap(n -> f.text(n, what + ".random"));
            Optional<Double> seed = f.required(spec, "seed").flatMap(n -> f.number(n, what + ".seed"));
            Optional<int[]> shape = shape(spec, what);
            double mean = num(spec, "mean", what, 0.0);
            double std = num(spec, "std", what, 1.0);
            double low = num(spec, "low", what, -1.0);
            double high = num(spec, "high", what, 1.0);
            if (dist.isPresent() && !dist.get().equals("normal") && !dist.get().equals("uniform")) {
                f.problem(spec.fields().get("random").location(), what + ".random must be 'normal' or 'uniform', got '"
                        + dist.get() + "'" + Fields.suggest(dist.get(), List.of("normal", "uniform")));
                return Optional.empty();
            }
            if (dist.isEmpty() || seed.isEmpty() || shape.isEmpty()) {
                return Optional.empty();
            }
            Random rng = new Random(seed.get().longValue());
            boolean normal = dist.get().equals("normal");
            int[] s = shape.get();
            double[][] v = new double[s[0]][s[1]];
            for (double[] row : v) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = normal ? mean + std * rng.nextGaussian() : low + (high - low) * rng.nextDouble();
                }
            }
            return Optional.of(Matrix.of(v));
        }

        private double num(MapNode spec, String key, String what, double dflt) {
            return f.optional(spec, key).flatMap(n -> f.number(n, what + "." + key)).orElse(dflt);
        }

        private List<NodeSpec> graphNodes() {
            List<NodeSpec> out = new ArrayList<>();
            f.optional(top, "graph").flatMap(n -> f.list(n, "graph")).ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    String what = "graph[" + i + "]";
                    Optional<MapNode> m = f.map(l.items().get(i), what);
                    if (m.isEmpty()) {
                        continue;
                    }
                    f.onlyKeys(m.get(), NODE);
                    Optional<String> name = f.required(m.get(), "node").flatMap(n -> f.text(n, what + ".node"));
                    Optional<String> op = f.required(m.get(), "op").flatMap(n -> f.text(n, what + ".op"));
                    Optional<Node> insNode = f.required(m.get(), "inputs");
                    List<String> ins = insNode.map(n -> f.names(n, what + ".inputs")).orElse(List.of());
                    boolean unique = name.map(n -> declare(n, m.get().keyLocations().get("node"))).orElse(false);
                    if (name.isEmpty() || op.isEmpty() || insNode.isEmpty() || !unique) {
                        graphBroken = true;
                        continue;
                    }
                    if (Op.byName(op.get()).isEmpty()) {
                        graphBroken = true;
                        f.problem(m.get().fields().get("op").location(), "unknown op '" + op.get() + "'"
                                + Fields.suggest(op.get(), Op.names()) + "; known ops: "
                                + String.join(", ", Op.names()));
                    } else {
                        Op o = Op.byName(op.get()).orElseThrow();
                        if (ins.size() != o.arity()) {
                            graphBroken = true;
                            f.problem(insNode.get().location(), "op '" + o.yamlName() + "' takes "
                                    + o.arity() + " input(s) " + o.inputNames() + ", got " + ins.size());
                        } else {
                            NodeSpec spec = new NodeSpec(name.get(), o.yamlName(), ins, m.get().location().at(what));
                            inputLocations.put(spec, locations(insNode.get(), what + ".inputs"));
                            out.add(spec);
                        }
                    }
                }
            });
            return out;
        }

        /** Returns the nodes in an order where each follows its inputs, checking references, cycles and shapes. */
        private List<NodeSpec> sorted(List<NodeSpec> nodes) {
            Map<String, NodeSpec> byName = new LinkedHashMap<>();
            nodes.forEach(n -> byName.putIfAbsent(n.name(), n));
            boolean ok = true;
            for (NodeSpec n : nodes) {
                List<Location> at = inputLocations.getOrDefault(n, List.of());
                for (int i = 0; i < n.inputs().size(); i++) {
                    String in = n.inputs().get(i);
                    if (!declared.containsKey(in)) {
                        f.problem(i < at.size() ? at.get(i) : n.location(), "node '" + n.name() + "' reads '" + in
                                + "', which is not defined" + Fields.suggest(in, declared.keySet()));
                        ok = false;
                    }
                }
            }
            if (!ok) {
                graphBroken = true;
                return List.of();
            }
            List<NodeSpec> order = new ArrayList<>();
            Map<String, Integer> state = new HashMap<>();
            for (NodeSpec n : nodes) {
                if (!visit(n, byName, state, order, new ArrayList<>())) {
                    graphBroken = true;
                    return List.of();
                }
            }
            for (NodeSpec n : order) {
                Op op = Op.byName(n.op()).orElseThrow();
                List<int[]> in = n.inputs().stream().map(shapes::get).toList();
                if (in.contains(null)) {
                    continue;
                }
                try {
                    shapes.put(n.name(), op.outputShape(in));
                } catch (IllegalArgumentException e) {
                    f.problem(n.location(), "shapes do not fit in node '" + n.name() + "' (" + n.op() + " of "
                            + String.join(", ", n.inputs()) + "): " + e.getMessage());
                }
            }
            return order;
        }

        private boolean visit(NodeSpec n, Map<String, NodeSpec> byName, Map<String, Integer> state,
                List<NodeSpec> order, List<String> stack) {
            Integer s = state.get(n.name());
            if (s != null && s == 2) {
                return true;
            }
            if (s != null && s == 1) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(n.name()), stack.size()));
                cycle.add(n.name());
                f.problem(n.location(), "the graph has a cycle: " + String.join(" → ", cycle));
                return false;
            }
            state.put(n.name(), 1);
            stack.add(n.name());
            for (String in : n.inputs()) {
                NodeSpec dep = byName.get(in);
                if (dep != null && !visit(dep, byName, state, order, stack)) {
                    return false;
                }
            }
            stack.remove(stack.size() - 1);
            state.put(n.name(), 2);
            order.add(n);
            return true;
        }

        private void checkSeeds(List<NodeSpec> graph, Optional<String> loss, Map<String, Matrix> upstream) {
            if (graph.isEmpty() || graphBroken) {
                return;
            }
            if (top.fields().containsKey("upstream") && !(top.fields().get("upstream") instanceof MapNode)) {
                graphBroken = true;
                return; // already reported: upstream must be a mapping
            }
            if (loss.isPresent() && !upstream.isEmpty()) {
                graphBroken = true;
                f.problem(top.keyLocations().get("upstream").at("upstream"), "give either 'loss' or 'upstream', "
                        + "not both");
                return;
            }
            if (loss.isEmpty() && upstream.isEmpty()) {
                graphBroken = true;
                f.problem(top.location(), "missing required field 'loss' (the loss node), or 'upstream' (given "
                        + "gradients)");
                return;
            }
            loss.ifPresent(l -> {
                Location at = top.fields().get("loss").location().at("loss");
                int[] s = shapes.get(l);
                if (!declared.containsKey(l)) {
                    graphBroken = true;
                    f.problem(at, "the loss node '" + l + "' is not defined" + Fields.suggest(l, declared.keySet()));
                } else if (s != null && (s[0] != 1 || s[1] != 1)) {
                    f.problem(at, "the loss node '" + l + "' must be 1×1, but it is " + Op.shape(s));
                }
            });
            MapNode up = (MapNode) top.fields().get("upstream");
            upstream.forEach((name, g) -> {
                Location at = up.keyLocations().get(name);
                int[] s = shapes.get(name);
                if (!declared.containsKey(name)) {
                    f.problem(at, "upstream gradient for '" + name + "', which is not defined"
                            + Fields.suggest(name, declared.keySet()));
                } else if (s != null && (s[0] != g.rows() || s[1] != g.cols())) {
                    f.problem(at, "upstream gradient for '" + name + "' is " + g.shape() + " but the node is "
                            + Op.shape(s));
                }
            });
        }


        private Optional<OptimizerSpec> optimizer(Node node) {
            return f.map(node, "optimizer").flatMap(m -> {
                f.onlyKeys(m, OPTIMIZER);
                Optional<String> method = f.required(m, "method").flatMap(n -> f.text(n, "optimizer.method"));
                if (method.isPresent() && !method.get().equals(SGD)) {
                    f.problem(m.fields().get("method").location(), "optimizer.method must be 'sgd' (with an "
                            + "optional momentum), got '" + method.get() + "'");
                }
                Optional<Double> lr = f.required(m, "learning_rate")
                        .flatMap(n -> f.number(n, "optimizer.learning_rate"));
                double mu = f.optional(m, "momentum").flatMap(n -> f.number(n, "optimizer.momentum")).orElse(0.0);
                if (lr.isPresent() && lr.get() <= 0) {
                    f.problem(m.fields().get("learning_rate").location(), "learning_rate must be > 0");
                }
                if (mu < 0 || mu >= 1) {
                    f.problem(m.fields().get("momentum").location(), "momentum must be in [0, 1)");
                }
                return lr.map(v -> new OptimizerSpec(v, mu));
            });
        }

        private Optional<Tolerance> tolerance(Node node) {
            return f.map(node, "tolerance").map(m -> {
                f.onlyKeys(m, TOLERANCE);
                double abs = f.optional(m, "abs").flatMap(n -> f.number(n, "tolerance.abs"))
                        .orElse(Tolerance.DEFAULT.abs());
                double rel = f.optional(m, "rel").flatMap(n -> f.number(n, "tolerance.rel"))
                        .orElse(Tolerance.DEFAULT.rel());
                if (abs < 0 || rel < 0) {
                    f.problem(m.location(), "tolerances must not be negative");
                }
                return new Tolerance(abs, rel);
            });
        }

        private List<Checkpoint> checkpoints(Tolerance dflt, Map<String, Matrix> parameters, Set<String> reach,
                boolean hasOptimizer) {
            List<Checkpoint> out = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            f.optional(top, "checkpoints").flatMap(n -> f.list(n, "checkpoints")).ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    String what = "checkpoints[" + i + "]";
                    f.map(l.items().get(i), what).flatMap(m -> checkpoint(m, what, dflt, parameters, reach,
                            hasOptimizer)).ifPresent(c -> {
                                if (!ids.add(c.id())) {
                                    f.problem(c.location(), "two checkpoints have the id '" + c.id()
                                            + "'; give one an explicit 'id'");
                                }
                                out.add(c);
                            });
                }
            });
            return out;
        }

        private Optional<Checkpoint> checkpoint(MapNode m, String what, Tolerance dflt,
                Map<String, Matrix> parameters, Set<String> reach, boolean hasOptimizer) {
            f.onlyKeys(m, CHECKPOINT);
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
            Kind kind = kinds.get(0);
            Optional<String> target = f.text(m.fields().get(kind.word()), what + "." + kind.word());
            boolean fromReference = m.fields().get("expected") instanceof Yaml.ScalarNode sn
                    && "reference".equals(sn.text());
            Optional<Matrix> expected = fromReference
                    ? target.map(shapes::get).map(sh -> Matrix.zeros(sh[0], sh[1]))
                    : f.required(m, "expected").flatMap(n -> f.matrix(n, what + ".expected"));
            if (fromReference && expected.isEmpty() && target.isPresent()) {
                f.problem(m.fields().get("expected").location(), what + " has 'expected: reference' but the shape "
                        + "of '" + target.get() + "' is unknown");
            }
            double points = f.optional(m, "points").flatMap(n -> f.number(n, what + ".points")).orElse(1.0);
            if (points < 0) {
                f.problem(m.fields().get("points").location(), what + ".points must not be negative");
            }
            Tolerance tol = f.optional(m, "tolerance").flatMap(this::tolerance).orElse(dflt);
            Visibility vis = f.optional(m, "visibility").flatMap(n -> f.text(n, what + ".visibility"))
                    .flatMap(v -> visibility(v, m.fields().get("visibility").location()))
                    .orElse(Visibility.VISIBLE);
            Optional<String> hint = f.optional(m, "hint").flatMap(n -> f.text(n, what + ".hint"));
            int steps = 0;
            if (kind == Kind.PARAMETER) {
                steps = f.optional(m, "after_steps").flatMap(n -> f.positiveInt(n, what + ".after_steps"))
                        .orElse(1);
            } else if (m.fields().containsKey("after_steps")) {
                f.problem(m.keyLocations().get("after_steps"), "'after_steps' belongs to 'parameter' checkpoints");
            }
            if (target.isEmpty() || expected.isEmpty()) {
                return Optional.empty();
            }
            String t = target.get();
            Location targetAt = m.fields().get(kind.word()).location();
            if (!declared.containsKey(t)) {
                f.problem(targetAt, what + " checks '" + t + "', which is not defined"
                        + Fields.suggest(t, declared.keySet()));
                return Optional.empty();
            }
            if (kind == Kind.GRADIENT && !reach.contains(t) && !graphBroken) {
                f.problem(targetAt, what + " asks for the gradient of '" + t + "', but the loss does not depend on it");
            }
            if (kind == Kind.PARAMETER && !parameters.containsKey(t)) {
                f.problem(targetAt, what + " checks '" + t + "' after optimizer steps, but it is not a parameter");
            }
            if (kind == Kind.PARAMETER && !hasOptimizer) {
                f.problem(targetAt, what + " needs an 'optimizer' section (method, learning_rate)");
            }
            int[] s = shapes.get(t);
            Matrix e = expected.get();
            Location expectedAt = m.fields().get("expected").location().at(what + ".expected");
            if (s != null && (s[0] != e.rows() || s[1] != e.cols())) {
                f.problem(expectedAt, what + ".expected is " + e.shape() + " but '" + t + "' is " + Op.shape(s)
                        + (s[0] == e.cols() && s[1] == e.rows() ? " (transposed? one example a row)" : ""));
            }
            String id = f.optional(m, "id").flatMap(n -> f.text(n, what + ".id")).orElse(defaultId(kind, t, steps,
                    reach));
            return Optional.of(new Checkpoint(id, kind, t, steps, e, points, tol, vis, hint,
                    m.location().at(what), expectedAt, fromReference));
        }

        private String defaultId(Kind kind, String target, int steps, Set<String> reach) {
            String lossName = loss.orElse("L");
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

        private Optional<Assignment.VariantSpec> variants(MapNode m, Map<String, Matrix> inputs,
                Map<String, Matrix> parameters) {
            f.onlyKeys(m, VARIANTS);
            List<String> draw = f.required(m, "draw").map(n -> f.names(n, "variants.draw")).orElse(List.of());
            for (String name : draw) {
                if (!inputs.containsKey(name) && !parameters.containsKey(name)) {
                    f.problem(m.fields().get("draw").location().at("variants.draw"), "variants.draw names '" + name
                            + "', which is neither an input nor a parameter" + Fields.suggest(name, declared.keySet()));
                }
            }
            double std = f.optional(m, "std").flatMap(n -> f.number(n, "variants.std")).orElse(1.0);
            double margin = f.optional(m, "margin").flatMap(n -> f.number(n, "variants.margin")).orElse(0.05);
            if (std <= 0 || margin < 0) {
                f.problem(m.location().at("variants"), "variants.std must be > 0 and variants.margin ≥ 0");
            }
            return draw.isEmpty() ? Optional.empty() : Optional.of(new Assignment.VariantSpec(draw, std, margin));
        }

        /** Reads {@code [rows, cols]}, or {@code [rows, in, out]} for affine and linear. */
        private int[] unitShape(MapNode m, String what) {
            int[] out = {3, 4, 2};
            f.list(m.fields().get("shape"), what + ".shape").ifPresent(l -> {
                if (l.items().size() != 2 && l.items().size() != 3) {
                    f.problem(l.location(), what + ".shape must be [rows, cols], or [rows, inputs, outputs] "
                            + "for affine and linear");
                    return;
                }
                for (int i = 0; i < l.items().size(); i++) {
                    int k = i;
                    f.positiveInt(l.items().get(i), what + ".shape[" + i + "]").ifPresent(v -> out[k] = v);
                }
                if ((long) out[0] * out[1] * out[2] > MAX_ENTRIES) {
                    f.problem(l.location(), what + ".shape is too large; at most " + MAX_ENTRIES + " entries");
                    out[0] = 3;
                    out[1] = 4;
                    out[2] = 2;
                }
            });
            return out;
        }

        private List<UnitCheckSpec> unitChecks() {
            List<UnitCheckSpec> out = new ArrayList<>();
            List<String> known = new ArrayList<>(Op.names());
            known.add(SGD);
            known.add(REVERSE_PASS);
            f.optional(top, "unit_checks").flatMap(n -> f.list(n, "unit_checks")).ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    String what = "unit_checks[" + i + "]";
                    f.map(l.items().get(i), what).ifPresent(m -> {
                        f.onlyKeys(m, UNIT);
                        Optional<String> op = f.required(m, "op").flatMap(n -> f.text(n, what + ".op"));
                        double points = f.optional(m, "points").flatMap(n -> f.number(n, what + ".points"))
                                .orElse(1.0);
                        int[] shape = m.fields().containsKey("shape") ? unitShape(m, what) : new int[] {3, 4, 2};
                        op.ifPresent(o -> {
                            if (out.stream().anyMatch(x -> x.op().equals(o))) {
                                f.problem(m.fields().get("op").location(), "op '" + o + "' is already checked in "
                                        + "unit_checks; each op is checked once");
                            } else if (!known.contains(o)) {
                                f.problem(m.fields().get("op").location(), "unknown op '" + o + "'"
                                        + Fields.suggest(o, known) + "; known: " + String.join(", ", known));
                            } else {
                                out.add(new UnitCheckSpec(o, points, shape[0], shape[1], shape[2], m.location().at(what)));
                            }
                        });
                    });
                }
            });
            return out;
        }
    }
}
