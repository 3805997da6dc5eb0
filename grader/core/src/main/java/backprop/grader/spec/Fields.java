package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.spec.Yaml.ListNode;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import backprop.grader.spec.Yaml.ScalarNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed values out of a located YAML tree, recording a {@link Problem} (and returning empty) for
 * anything missing, misspelt or of the wrong type, so that one pass reports every problem in a file.
 */
final class Fields {
    private final List<Problem> problems = new ArrayList<>();

    List<Problem> problems() {
        return problems;
    }

    void problem(Location at, String message) {
        problems.add(new Problem(at, message));
    }

    /** Reports every key of {@code map} not in {@code allowed}, suggesting the closest allowed key. */
    void onlyKeys(MapNode map, Set<String> allowed) {
        map.keyLocations().forEach((key, loc) -> {
            if (!allowed.contains(key)) {
                problem(loc, "unknown field '" + key + "'" + suggest(key, allowed)
                        + "; allowed here: " + String.join(", ", allowed));
            }
        });
    }

    Optional<MapNode> map(Node node, String what) {
        if (node instanceof MapNode m) {
            return Optional.of(m);
        }
        problem(node.location(), what + " must be a mapping (key: value lines)");
        return Optional.empty();
    }

    Optional<ListNode> list(Node node, String what) {
        if (node instanceof ListNode l) {
            return Optional.of(l);
        }
        problem(node.location(), what + " must be a list");
        return Optional.empty();
    }

    Optional<Node> required(MapNode map, String key) {
        Node n = map.fields().get(key);
        if (n == null || (n instanceof ScalarNode s && s.isNull())) {
            problem(map.location().at(join(map.location().path(), key)),
                    "missing required field '" + key + "'");
            return Optional.empty();
        }
        return Optional.of(n);
    }

    Optional<Node> optional(MapNode map, String key) {
        Node n = map.fields().get(key);
        if (n instanceof ScalarNode s && s.isNull()) {
            return Optional.empty();
        }
        return Optional.ofNullable(n);
    }

    Optional<String> text(Node node, String what) {
        if (node instanceof ScalarNode s && !s.isNull()) {
            return Optional.of(s.text());
        }
        problem(node.location(), what + " must be a single value, not a " + kind(node));
        return Optional.empty();
    }

    Optional<Double> number(Node node, String what) {
        if (node instanceof ScalarNode s && s.number() != null) {
            return Optional.of(s.number());
        }
        if (node instanceof ScalarNode s && s.text() != null) {
            try {
                double v = Double.parseDouble(s.text().trim());
                if (Double.isFinite(v)) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problem(node.location(), what + " must be a number, got '" + s.text() + "'");
            return Optional.empty();
        }
        problem(node.location(), what + " must be a number, not a " + kind(node));
        return Optional.empty();
    }

    Optional<Integer> positiveInt(Node node, String what) {
        return number(node, what).flatMap(v -> {
            if (v != Math.rint(v) || v < 1 || v > 1_000_000) {
                problem(node.location(), what + " must be a whole number ≥ 1, got " + Matrix.format(v));
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        });
    }

    List<String> names(Node node, String what) {
        List<String> out = new ArrayList<>();
        list(node, what).ifPresent(l -> l.items().forEach(i -> text(i, what + " entry").ifPresent(out::add)));
        return out;
    }

    /** Reads a flat list as a 1×n row, or a list of equal-length lists as a matrix, row by row. */
    Optional<Matrix> matrix(Node node, String what) {
        if (node instanceof ScalarNode) {
            return number(node, what).map(Matrix::scalar);
        }
        Optional<ListNode> list = list(node, what);
        if (list.isEmpty()) {
            return Optional.empty();
        }
        List<Node> items = list.get().items();
        if (items.isEmpty()) {
            problem(node.location(), what + " is empty; a matrix needs at least one entry");
            return Optional.empty();
        }
        boolean nested = items.get(0) instanceof ListNode;
        List<Node> rows = nested ? items : List.of(node);
        double[][] values = new double[rows.size()][];
        boolean ok = true;
        for (int i = 0; i < rows.size(); i++) {
            Node row = rows.get(i);
            if (!(row instanceof ListNode rl)) {
                problem(row.location(), what + ": row " + i + " must be a list like the first row");
                ok = false;
                continue;
            }
            values[i] = new double[rl.items().size()];
            for (int j = 0; j < rl.items().size(); j++) {
                Optional<Double> v = number(rl.items().get(j), what + " entry [" + i + "][" + j + "]");
                if (v.isPresent()) {
                    values[i][j] = v.get();
                } else {
                    ok = false;
                }
            }
            if (values[i].length != values[0].length) {
                problem(row.location(), what + ": row " + i + " has " + values[i].length
                        + " entries but row 0 has " + values[0].length);
                ok = false;
            } else if (values[i].length == 0) {
                problem(row.location(), what + ": row " + i + " is empty");
                ok = false;
            }
        }
        return ok ? Optional.of(Matrix.of(values)) : Optional.empty();
    }

    private static String kind(Node n) {
        return n instanceof MapNode ? "mapping" : n instanceof ListNode ? "list" : "value";
    }

    static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    /** Returns {@code " (did you mean 'x'?)"} for the closest candidate within two edits, else "". */
    static String suggest(String word, Collection<String> candidates) {
        return Spelling.suggest(word, candidates);
    }
}
