package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.spec.Yaml.ListNode;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import backprop.grader.spec.Yaml.ScalarNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Reads the named values an assignment starts from ({@code inputs}, {@code targets}, {@code parameters}): each a
 * literal matrix, a {@code constant}, a seeded {@code random} draw or a seeded {@code one_hot} draw. Nothing is
 * allocated before its size is known to fit: one matrix at most {@link #MAX_ENTRIES} entries, all of them
 * together at most {@link Budget#MAX_ENTRIES}.
 */
final class Leaves {
    /** The most entries a drawn or constant matrix may have (a 784-128-10 network needs about 10⁵). */
    static final long MAX_ENTRIES = 1L << 22;
    private static final Set<String> CONSTANT = new LinkedHashSet<>(List.of("constant", "shape"));
    private static final Set<String> ONE_HOT = new LinkedHashSet<>(List.of("one_hot", "shape"));
    private static final Set<String> RANDOM = new LinkedHashSet<>(List.of("random", "seed", "shape", "mean",
            "std", "low", "high"));

    private final Fields f;
    private final Names names;
    /** Every value read, by name. */
    final Map<String, int[]> shapes = new HashMap<>();
    /** How each value was given: literal, constant, or the spec of a draw. */
    final Map<String, String> origins = new LinkedHashMap<>();
    private long total;

    Leaves(Fields f, Names names) {
        this.f = f;
        this.names = names;
    }

    /** Reads one group; every name in it is declared, even when its value has a problem. */
    Map<String, Matrix> group(MapNode top, String key) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        f.optional(top, key).flatMap(n -> f.map(n, key)).ifPresent(m -> m.fields().forEach((name, node) -> {
            names.declare(name, m.keyLocations().get(name));
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
                v = f.matrix(node, what).filter(x -> fits(x.size(), node.location(), what));
                v.ifPresent(x -> origins.put(name, "literal"));
            }
            v.ifPresent(x -> {
                out.put(name, x);
                shapes.put(name, new int[] {x.rows(), x.cols()});
            });
        }));
        return out;
    }

    /** Counts {@code entries} against the file's total; false (and a problem) when the total would be too large. */
    private boolean fits(long entries, Location at, String what) {
        if (total + entries > Budget.MAX_ENTRIES) {
            f.problem(at, String.format(Locale.ROOT, "%s would bring the values this file starts from to %,d "
                    + "entries, over the budget of %,d (see 'The budget' in assignments/README.md)", what,
                    total + entries, Budget.MAX_ENTRIES));
            return false;
        }
        total += entries;
        return true;
    }

    /** One-hot rows, the hot column of each drawn uniformly with the given seed: {@code {one_hot: SEED, shape}}. */
    private Optional<Matrix> oneHot(MapNode spec, String what) {
        f.onlyKeys(spec, ONE_HOT);
        Optional<Long> seed = f.required(spec, "one_hot").flatMap(n -> f.seed(n, what + ".one_hot"));
        Optional<int[]> shape = shape(spec, what);
        if (seed.isEmpty() || shape.isEmpty()) {
            return Optional.empty();
        }
        Random rng = new Random(seed.get());
        int[] s = shape.get();
        int[] hot = new int[s[0]];
        for (int i = 0; i < s[0]; i++) {
            hot[i] = rng.nextInt(s[1]);
        }
        return Optional.of(Matrix.build(s[0], s[1], (i, j) -> hot[i] == j ? 1 : 0));
    }

    private static String describe(MapNode spec) {
        StringBuilder sb = new StringBuilder();
        spec.fields().forEach((k, v) -> {
            if (v instanceof ScalarNode s && !s.isNull()) {
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
            if (r.isEmpty() || c.isEmpty()) {
                return Optional.empty();
            }
            long entries = (long) r.get() * c.get();
            if (entries > MAX_ENTRIES) {
                f.problem(l.location(), String.format(Locale.ROOT, "%s.shape asks for %,d entries; at most %,d are "
                        + "allowed in one matrix", what, entries, MAX_ENTRIES));
                return Optional.empty();
            }
            return fits(entries, l.location(), what) ? Optional.of(new int[] {r.get(), c.get()}) : Optional.empty();
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
        if (dist.isPresent() && !dist.get().equals("normal") && !dist.get().equals("uniform")) {
            f.problem(spec.fields().get("random").location(), what + ".random must be 'normal' or 'uniform', got '"
                    + dist.get() + "'" + Fields.suggest(dist.get(), List.of("normal", "uniform")));
            return Optional.empty();
        }
        Optional<Long> seed = f.required(spec, "seed").flatMap(n -> f.seed(n, what + ".seed"));
        Optional<Double> mean = num(spec, "mean", what, 0.0);
        Optional<Double> std = num(spec, "std", what, 1.0);
        Optional<Double> low = num(spec, "low", what, -1.0);
        Optional<Double> high = num(spec, "high", what, 1.0);
        Optional<int[]> shape = shape(spec, what);
        if (dist.isEmpty() || seed.isEmpty() || mean.isEmpty() || std.isEmpty() || low.isEmpty() || high.isEmpty()
                || shape.isEmpty()) {
            return Optional.empty();
        }
        if (std.get() < 0 || low.get() > high.get()) {
            f.problem(spec.location().at(what), what + (std.get() < 0 ? ".std must not be negative"
                    : ".low must not be above .high"));
            return Optional.empty();
        }
        return Optional.of(draw(dist.get().equals("normal"), seed.get(), mean.get(), std.get(), low.get(), high.get(),
                shape.get()));
    }

    /**
     * Draws a matrix row by row from {@code new java.util.Random(seed)}: {@code mean + std·nextGaussian()} for a
     * normal draw, {@code low + (high − low)·nextDouble()} for a uniform one ({@code assignments/provenance/}
     * reproduces both in Python).
     */
    static Matrix draw(boolean normal, long seed, double mean, double std, double low, double high, int[] s) {
        Random rng = new Random(seed);
        double[][] v = new double[s[0]][s[1]];
        for (double[] row : v) {
            for (int j = 0; j < row.length; j++) {
                row[j] = normal ? mean + std * rng.nextGaussian() : low + (high - low) * rng.nextDouble();
            }
        }
        return Matrix.of(v);
    }

    private Optional<Double> num(MapNode spec, String key, String what, double dflt) {
        Node n = spec.fields().get(key);
        if (n == null || n instanceof ScalarNode s && s.isNull()) {
            return Optional.of(dflt);
        }
        return f.number(n, what + "." + key);
    }

    /** Reads {@code [rows, cols]}, or {@code [rows, in, out]} for affine and linear, of a unit check. */
    int[] unitShape(ListNode l, String what) {
        int[] out = {3, 4, 2};
        if (l.items().size() != 2 && l.items().size() != 3) {
            f.problem(l.location(), what + ".shape must be [rows, cols], or [rows, inputs, outputs] for affine and "
                    + "linear");
            return out;
        }
        for (int i = 0; i < l.items().size(); i++) {
            int k = i;
            f.positiveInt(l.items().get(i), what + ".shape[" + i + "]").ifPresent(v -> out[k] = v);
        }
        long entries = (long) out[0] * out[1] * (l.items().size() == 3 ? out[2] : 1);
        if (entries > MAX_ENTRIES) {
            f.problem(l.location(), String.format(Locale.ROOT, "%s.shape asks for %,d entries; at most %,d are "
                    + "allowed", what, entries, MAX_ENTRIES));
            out[0] = 3;
            out[1] = 4;
            out[2] = 2;
        }
        return out;
    }
}
