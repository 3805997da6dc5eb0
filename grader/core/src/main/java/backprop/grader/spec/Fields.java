package backprop.grader.spec;

import backprop.api.Matrix;
import backprop.grader.spec.Yaml.ListNode;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import backprop.grader.spec.Yaml.Scalar;
import backprop.grader.spec.Yaml.ScalarNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
        if (node instanceof ScalarNode s && s.kind() == Scalar.NUMBER) {
            return Optional.of(s.number());
        }
        problem(node.location(), notANumber(node, what));
        return Optional.empty();
    }

    /** Says why a value is not a number an assignment can use, in an author's words. */
    static String notANumber(Node node, String what) {
        if (!(node instanceof ScalarNode s) || s.isNull()) {
            return what + " must be a number, not " + (node instanceof ScalarNode ? "empty" : "a " + kind(node));
        }
        return switch (s.kind()) {
            case QUOTED -> looksNumeric(s.text())
                    ? what + " is written in quotes, so it is text, not a number: write " + s.text().strip()
                            + " without the quotes"
                    : what + " must be a number, got '" + s.text() + "'";
            case NOT_FINITE -> what + " is " + s.text() + ": not-a-number and infinite values are valid YAML but "
                    + "not allowed here; every value must be a finite number";
            case OUT_OF_RANGE -> what + " is " + s.text() + ", which a double cannot hold ("
                    + (s.text().matches("(?s).*[eE]-.*") ? "it rounds to 0; write 0 if you mean zero"
                            : "the largest is about 1.8e308") + ")";
            case NOT_DECIMAL -> what + " is " + s.text() + ": write numbers in plain decimal (YAML reads 0x… as "
                    + "hexadecimal, a leading 0 as octal, and skips '_'), for example 0.5, -3 or 1.0e-6";
            default -> what + " must be a number, got '" + s.text() + "'";
        };
    }

    private static boolean looksNumeric(String text) {
        return Yaml.classify(text) != Scalar.NOT_DECIMAL;
    }

    /** A count between 1 and {@code max}, written as a whole number. */
    Optional<Integer> count(Node node, String what, int max) {
        return number(node, what).flatMap(v -> {
            if (v != Math.rint(v) || v < 1 || v > max) {
                problem(node.location(), what + " must be a whole number from 1 to " + String.format(Locale.ROOT,
                        "%,d", max) + ", got " + ((ScalarNode) node).text());
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        });
    }

    Optional<Integer> positiveInt(Node node, String what) {
        return count(node, what, 1_000_000);
    }

    /** A number that must be greater than 0. */
    Optional<Double> positive(Node node, String what) {
        return number(node, what).flatMap(v -> {
            if (v <= 0) {
                problem(node.location(), what + " must be greater than 0, got " + ((ScalarNode) node).text());
                return Optional.empty();
            }
            return Optional.of(v);
        });
    }

    /** The largest seed: {@link java.util.Random} keeps only the low 48 bits, so a larger seed repeats a smaller. */
    static final long MAX_SEED = (1L << 48) - 1;

    /**
     * A seed for {@link java.util.Random}: a whole number written without a decimal point or exponent, from 0 to
     * {@link #MAX_SEED}, so that every seed gives draws of its own.
     */
    Optional<Long> seed(Node node, String what) {
        if (node instanceof ScalarNode s && s.kind() == Scalar.NUMBER && s.text().strip().matches("\\+?[0-9]+")) {
            java.math.BigInteger v = new java.math.BigInteger(s.text().strip().replace("+", ""));
            if (v.compareTo(java.math.BigInteger.valueOf(MAX_SEED)) <= 0) {
                return Optional.of(v.longValue());
            }
        }
        if (node instanceof ScalarNode s && s.kind() != Scalar.NUMBER && s.kind() != Scalar.NOT_DECIMAL) {
            problem(node.location(), notANumber(node, what));
        } else {
            problem(node.location(), what + " must be a whole number from 0 to " + MAX_SEED + " (2^48 − 1: "
                    + "java.util.Random keeps only the low 48 bits of a seed, so larger ones would repeat smaller "
                    + "ones' draws), written without a sign, decimal point or exponent; got "
                    + (node instanceof ScalarNode s ? s.text() : "a " + kind(node)));
        }
        return Optional.empty();
    }

    List<String> names(Node node, String what) {
        List<String> out = new ArrayList<>();
        list(node, what).ifPresent(l -> l.items().forEach(i -> text(i, what + " entry").ifPresent(out::add)));
        return out;
    }

    /**
     * Reads a flat list as a 1×n row, or a list of equal-length lists as a matrix, row by row. A matrix with many bad
     * entries gets one problem, at the first, counting the others.
     */
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
        Defects entries = new Defects();
        Defects shape = new Defects();
        int width = ((ListNode) rows.get(0)).items().size();
        for (int i = 0; i < rows.size(); i++) {
            Node row = rows.get(i);
            if (!(row instanceof ListNode rl)) {
                shape.add(row.location(), what + ": row " + i + " must be a list like the first row");
                continue;
            }
            values[i] = new double[rl.items().size()];
            for (int j = 0; j < rl.items().size(); j++) {
                Node e = rl.items().get(j);
                if (e instanceof ScalarNode s && s.kind() == Scalar.NUMBER) {
                    values[i][j] = s.number();
                } else {
                    entries.add(e.location(), notANumber(e, what + " entry [" + i + "][" + j + "]"));
                }
            }
            if (values[i].length == 0) {
                shape.add(row.location(), what + ": row " + i + " is empty");
            } else if (values[i].length != width) {
                shape.add(row.location(), what + ": row " + i + " has " + values[i].length + " entries but row 0 has "
                        + width);
            }
        }
        entries.report("more entries of this matrix are not numbers either");
        shape.report("more rows of this matrix are wrong too");
        return entries.count == 0 && shape.count == 0 ? Optional.of(Matrix.of(values)) : Optional.empty();
    }

    /** The first of a run of like problems, and how many followed it. */
    private final class Defects {
        private Location first;
        private String message;
        private int count;

        void add(Location at, String what) {
            if (count++ == 0) {
                first = at;
                message = what;
            }
        }

        void report(String others) {
            if (count > 0) {
                problem(first, count == 1 ? message : message + " (and " + (count - 1) + " " + others + ")");
            }
        }
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
