package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.check.Mistakes.Alternative;
import backprop.grader.graph.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the classic mistake a wrong tensor fits: a known wrong formula of the op that computed it
 * ({@link Mistakes}), a derivative taken outside [0, 1] at a ReLU kink, a flipped sign, the batch mean's {@code 1/N},
 * the ½ of the squared error, a constant factor, a transpose, or zeros. The words depend on the op: a flipped sign
 * in a loss's gradient is explained by that loss's formula, in any other op by the op itself.
 *
 * <p>Every cause is computed from the submission's own values and the right ones the {@link Authority} gives, so
 * the same code gets the same cause in a local run and a graded one.
 */
final class Diagnosis {
    /** How close a ratio or an alternative must be to count as a match. */
    static final double MATCH = 1e-6;
    private static final Pattern PRODUCT = Pattern.compile("cannot multiply (\\d+)×(\\d+) by (\\d+)×(\\d+)");
    private static final Pattern ELEMENTWISE = Pattern.compile("cannot \\w+ (\\d+)×(\\d+) with (\\d+)×(\\d+)");
    private static final Pattern ROWS = Pattern.compile("with shape (\\d+)×(\\d+); expected 1×(\\d+)");
    private static final Pattern METHOD = Pattern.compile("^([A-Z][A-Za-z0-9_]*\\.[a-z][A-Za-z]*) ");

    private Diagnosis() {}

    /**
     * The cause of a wrong gradient an op sent to one of its inputs.
     *
     * @param op the op
     * @param input which input
     * @param in the op's inputs
     * @param out its output
     * @param g the upstream gradient its backward was given
     * @param got what it sent back to that input
     * @param right what is known of the right value
     */
    static Optional<String> ofOp(Op op, int input, List<Matrix> in, Matrix out, Matrix g, Matrix got, Known right) {
        // A formula that is a factor by its nature names that factor best (a bias averaged instead of summed is 1/N
        // of the right value); then the classic factors, far likelier than a formula that merely happens to give
        // the same numbers (on one number, every formula is some factor of the right one); then the other formulas.
        int batch = in.get(0).rows();
        List<Alternative> alts = Mistakes.of(op, input, in, out, g);
        for (Alternative alt : alts) {
            if (alt.factor() && close(alt.value(), got)) {
                return Optional.of(alt.mistake());
            }
        }
        Optional<String> classic = ratio(right, got).flatMap(r -> classicFactor(r, batch, op, method(op, input)));
        if (classic.isPresent()) {
            return classic;
        }
        for (Alternative alt : alts) {
            if (close(alt.value(), got)) {
                return Optional.of(alt.mistake());
            }
        }
        if (op == Op.RELU && onlyAtKinks(right, got)) {
            return Optional.of("wrong only where the ReLU input is exactly 0: ReLU'(0) may be any value from 0 to 1 "
                    + "(this course uses 0), and yours is outside that range");
        }
        return generic(right, got, batch, op, method(op, input));
    }

    /** The method an op's gradient to one input comes from: {@code Tanh.backward}, {@code SquaredError.gradient}. */
    static String method(Op op, int input) {
        if (!op.isLoss()) {
            return op.simpleClassName() + ".backward";
        }
        return op.simpleClassName() + (input == 0 ? ".gradient" : ".targetGradient");
    }

    /** The cause of a wrong tensor when no op is known to have computed it: sign, factors, transposes, zeros. */
    static Optional<String> of(Known right, Matrix actual, int batch) {
        if (!right.value().sameShape(actual)) {
            Matrix r = right.value();
            return r.rows() == actual.cols() && r.cols() == actual.rows() ? Optional.of(transpose()) : Optional.empty();
        }
        return generic(right, actual, batch, null, null);
    }

    private static Optional<String> generic(Known right, Matrix got, int batch, Op op, String method) {
        if (isZero(got) && right.scale() > 0) {
            return Optional.of(method == null ? "yours is all zeros" : method + " returns all zeros here");
        }
        Optional<Double> ratio = ratio(right, got);
        if (ratio.isPresent()) {
            // one number is always "a factor" of another, and so is a tensor whose entries are all the same: an
            // unusual factor says something only over several different entries, and only if it is not absurd
            double r0 = Math.abs(ratio.get());
            Optional<String> r = distinctEntries(right) > 1 && r0 >= 1e-3 && r0 <= 1e3
                    ? ratio(ratio.get(), batch, op, method) : classicFactor(ratio.get(), batch, op, method);
            if (r.isPresent()) {
                return r;
            }
        }
        Matrix v = right.value();
        if (v.rows() == v.cols() && v.rows() > 1 && close(v.transpose(), got)) {
            return Optional.of(transpose());
        }
        return Optional.empty();
    }

    /** What a uniform factor {@code r} between a wrong tensor and the right one says. */
    private static Optional<String> ratio(double r, int batch, Op op, String method) {
        Optional<String> classic = classicFactor(r, batch, op, method);
        if (classic.isPresent() || !(Math.abs(r) > 1e-9)) {
            return classic;
        }
        return Optional.of("every entry is " + Matrix.format(r) + " times the right value: a constant factor is wrong"
                + (method == null ? "" : " in " + method));
    }

    /** A flipped sign, the batch mean's {@code 1/N}, the ½ of the squared error; empty for any other factor. */
    private static Optional<String> classicFactor(double r, int batch, Op op, String method) {
        boolean loss = op != null && op.isLoss();
        boolean squared = op == Op.SQUARED_ERROR || op == Op.MEAN_SQUARED_ERROR;
        boolean mean = loss && op != Op.SQUARED_ERROR;
        if (near(r, -1)) {
            return Optional.of("every entry has the right size but the opposite sign: " + (loss ? signOf(op)
                    : method == null ? "a sign is flipped somewhere" : "a sign is flipped in " + method));
        }
        boolean half = squared && (near(r, 2) || near(r, 0.5));
        String halfWhy = "the ½ of the squared error — d/dy ½(y − t)² is (y − t), not " + (near(r, 2) ? "2(y − t)"
                : "(y − t)/2");
        if (batch > 1 && (near(r, batch) || near(r, 1.0 / batch))) {
            String factor = near(r, batch) ? batch + " times" : "1/" + batch + " of";
            String times = "every entry is " + factor + " the right value, and the batch has " + batch + " examples: ";
            if (mean) {
                return Optional.of(times + "the 1/N of the batch mean is " + (near(r, batch) ? "missing" : "applied "
                        + "twice") + (half ? ", or " + halfWhy : ""));
            }
            if (op == Op.SQUARED_ERROR) {
                String notMean = "squared_error is a sum over the batch, not a mean: do not divide by N";
                return Optional.of(near(r, batch) ? "every entry is twice the right value: " + halfWhy
                        : times + notMean + (half ? "; or " + halfWhy : ""));
            }
            return Optional.of(times + "only the loss averages over the batch, so no other gradient is divided (or "
                    + "multiplied) by N");
        }
        if (half) {
            return Optional.of("every entry is " + (near(r, 2) ? "twice" : "half") + " the right value: " + halfWhy);
        }
        return Optional.empty();
    }

    private static String signOf(Op op) {
        return switch (op) {
            case SQUARED_ERROR -> "d/dy ½ Σ (y − t)² is y − t, not t − y";
            case MEAN_SQUARED_ERROR -> "the gradient of the mean ½ squared error is (y − t)/N, not (t − y)/N";
            case SOFTMAX_CROSS_ENTROPY -> "the gradient with respect to the logits is (softmax(logits) − t)/N, not "
                    + "(t − softmax(logits))/N";
            case BINARY_CROSS_ENTROPY -> "dL/dy is (−t/y + (1 − t)/(1 − y))/N: the minus sign of −log is lost or "
                    + "doubled";
            case CROSS_ENTROPY -> "dL/dp of −Σ t log p / N is −t/(N·p): the minus sign of −log is lost";
            default -> "a sign is flipped in " + op.simpleClassName();
        };
    }

    /** The cause of an exception or a wrong shape, from its one-line message: a transpose, a bias not summed. */
    static Optional<String> ofError(String message) {
        if (message.contains("(transposed?)")) {
            return Optional.of(transpose());
        }
        Matcher p = PRODUCT.matcher(message);
        if (p.find()) {
            int[] d = dims(p);
            boolean fits = d[1] == d[3] || d[0] == d[2] || d[0] == d[3];
            return Optional.of("a matrix product whose shapes do not fit (" + d[0] + "×" + d[1] + " by " + d[2] + "×"
                    + d[3] + ")" + (fits ? ": one operand needs a transpose — " + layout() : ": check each operand's "
                    + "shape (one example a row)"));
        }
        Matcher e = ELEMENTWISE.matcher(message);
        if (e.find()) {
            int[] d = dims(e);
            if (d[0] == d[3] && d[1] == d[2]) {
                return Optional.of("entry-by-entry arithmetic on a matrix and the transpose of one of its shape (" + d[0]
                        + "×" + d[1] + " with " + d[2] + "×" + d[3] + "): " + transpose());
            }
        }
        Matcher r = ROWS.matcher(message);
        if (r.find() && Integer.parseInt(r.group(1)) > 1 && r.group(2).equals(r.group(3))) {
            return Optional.of("one row per example where the gradient has a single row: b is added to every row, so "
                    + "dL/db is the sum of dL/dY over the rows (the examples)");
        }
        return Optional.empty();
    }

    /** The method a one-line fault names first ({@code Affine.backward threw …}), if it names one. */
    static Optional<String> methodOf(String message) {
        Matcher m = METHOD.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static int[] dims(Matcher m) {
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4))};
    }

    static String transpose() {
        return "yours is the transpose of the right gradient: a missing or extra transpose (" + layout() + ")";
    }

    private static String layout() {
        return "with one example a row, Y = X Wᵀ + b, dL/dW = (dL/dY)ᵀ X and dL/dX = dL/dY W";
    }

    private static boolean onlyAtKinks(Known right, Matrix got) {
        double scale = right.scale();
        boolean any = false;
        for (int i = 0; i < got.rows(); i++) {
            for (int j = 0; j < got.cols(); j++) {
                if (right.known(i, j) && !right.accepts(got, i, j, scale)) {
                    if (!right.kinked(i, j)) {
                        return false;
                    }
                    any = true;
                }
            }
        }
        return any;
    }

    /** How many different nonzero values the entries known hold (equal up to {@link #MATCH}, relative). */
    private static int distinctEntries(Known right) {
        double scale = right.scale();
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < right.value().rows(); i++) {
            for (int j = 0; j < right.value().cols(); j++) {
                double v = right.value().get(i, j);
                if (right.known(i, j) && !right.kinked(i, j) && Math.abs(v) > 1e-9 * scale
                        && seen.stream().noneMatch(x -> Math.abs(x - v) <= MATCH * scale)) {
                    seen.add(v);
                }
            }
        }
        return seen.size();
    }

    /** The single factor {@code actual = r · right} shares at every entry known, if there is one. */
    static Optional<Double> ratio(Known right, Matrix actual) {
        double scale = right.scale();
        if (scale == 0 || !right.value().sameShape(actual)) {
            return Optional.empty();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < actual.rows(); i++) {
            for (int j = 0; j < actual.cols(); j++) {
                if (!right.known(i, j) || right.kinked(i, j)) {
                    continue;
                }
                double e = right.value().get(i, j);
                double a = actual.get(i, j);
                if (Math.abs(e) > 1e-9 * scale) {
                    ratios.add(a / e);
                } else if (Math.abs(a) > 1e-6 * scale) {
                    return Optional.empty();
                }
            }
        }
        if (ratios.isEmpty()) {
            return Optional.empty();
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = r[r.length / 2];
        return Arrays.stream(r).allMatch(x -> Math.abs(x - median) <= 1e-4 * Math.abs(median)) ? Optional.of(median)
                : Optional.empty();
    }

    /** The factor of a matrix relative to a right one known exactly everywhere. */
    static Optional<Double> ratio(Matrix right, Matrix actual) {
        return ratio(Known.exactly(right, Known.Source.REFERENCE), actual);
    }

    static boolean near(double r, double target) {
        return Math.abs(r - target) <= 1e-4 * Math.abs(target);
    }

    static boolean isZero(Matrix m) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                if (m.get(i, j) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Returns true when two tensors agree to {@link #MATCH} relative to the larger entry (and at least 1e-300). */
    static boolean close(Matrix a, Matrix b) {
        return close(a, b, MATCH);
    }

    /** Returns true when two tensors agree to {@code rel} relative to the larger entry (and at least 1e-300). */
    static boolean close(Matrix a, Matrix b, double rel) {
        if (!a.sameShape(b)) {
            return false;
        }
        double scale = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                scale = Math.max(scale, Math.max(Math.abs(a.get(i, j)), Math.abs(b.get(i, j))));
            }
        }
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                if (!(Math.abs(a.get(i, j) - b.get(i, j)) <= rel * scale + 1e-300)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code n} and a noun, singular or plural: {@code "1 entry"}, {@code "3 entries"}. */
    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
