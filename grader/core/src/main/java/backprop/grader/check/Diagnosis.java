package backprop.grader.check;

import backprop.api.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Names the classic mistake a wrong tensor fits, by comparing it with the right one: a flipped sign, the batch
 * mean's {@code 1/N}, the ½ of the squared error, a transpose, a derivative evaluated at the wrong point, or a
 * gradient overwritten where a node feeds several others.
 */
public final class Diagnosis {
    /** How close a ratio or an alternative must be to count as a match. */
    static final double MATCH = 1e-6;

    private Diagnosis() {}

    /** A wrong value that an alternative formula would have produced, and what that formula is. */
    public record Alternative(Matrix value, String mistake) {}

    /**
     * Returns the mistake that explains {@code actual} instead of {@code right}, if a known one does.
     *
     * @param right the right value
     * @param actual the submission's value, same shape
     * @param batch the number of examples (rows) the loss averages over
     * @param consumers how many nodes read the node this tensor belongs to (2 or more: fan-out)
     * @param alternatives values that known wrong formulas produce here
     */
    public static Optional<String> of(Matrix right, Matrix actual, int batch, int consumers,
            List<Alternative> alternatives) {
        if (!right.sameShape(actual)) {
            return right.rows() == actual.cols() && right.cols() == actual.rows()
                    ? Optional.of(transpose()) : Optional.empty();
        }
        for (Alternative alt : alternatives) {
            if (close(alt.value(), actual)) {
                return Optional.of(alt.mistake());
            }
        }
        Optional<Double> ratio = ratio(right, actual);
        if (ratio.isPresent()) {
            double r = ratio.get();
            if (near(r, -1)) {
                return Optional.of("every entry has the right size but the opposite sign: a sign is flipped "
                        + "somewhere (the squared error's gradient is prediction − target; a descent step subtracts "
                        + "the gradient)");
            }
            if (batch > 1 && (near(r, batch) || near(r, 1.0 / batch))) {
                return Optional.of("every entry is " + (near(r, batch) ? batch + " times" : "1/" + batch + " of")
                        + " the right value, and the batch has " + batch + " examples: the 1/N of the batch mean is "
                        + (near(r, batch) ? "missing" : "applied twice"));
            }
            if (near(r, 2) || near(r, 0.5)) {
                return Optional.of("every entry is " + (near(r, 2) ? "twice" : "half") + " the right value: the ½ "
                        + "of the squared error — d/dy ½(y − t)² is (y − t), not 2(y − t)");
            }
        }
        if (right.rows() == right.cols() && right.rows() > 1 && close(right.transpose(), actual)) {
            return Optional.of(transpose());
        }
        if (consumers >= 2) {
            boolean zeroWhereNot = false;
            for (int i = 0; i < right.rows(); i++) {
                for (int j = 0; j < right.cols(); j++) {
                    zeroWhereNot |= actual.get(i, j) == 0 && Math.abs(right.get(i, j)) > MATCH;
                }
            }
            return Optional.of("this node feeds " + consumers + " others, so its gradient is the sum of what each "
                    + "sends back" + (zeroWhereNot ? " (yours is zero where it should not be)" : "")
                    + ": check that your reverse pass adds every contribution instead of overwriting");
        }
        return Optional.empty();
    }

    static String transpose() {
        return "yours is the transpose of the right gradient: a missing or extra transpose (with one example a row, "
                + "dL/dW = (dL/dY)ᵀ X and dL/dX = dL/dY W)";
    }

    /** The single factor {@code actual = r · right} shares at every entry, if there is one. */
    static Optional<Double> ratio(Matrix right, Matrix actual) {
        double scale = 0;
        for (int i = 0; i < right.rows(); i++) {
            for (int j = 0; j < right.cols(); j++) {
                scale = Math.max(scale, Math.abs(right.get(i, j)));
            }
        }
        if (scale == 0) {
            return Optional.empty();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < right.rows(); i++) {
            for (int j = 0; j < right.cols(); j++) {
                double e = right.get(i, j);
                double a = actual.get(i, j);
                if (Math.abs(e) > 1e-9 * scale) {
                    ratios.add(a / e);
                } else if (Math.abs(a) > 1e-9 * scale) {
                    return Optional.empty();
                }
            }
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = r[r.length / 2];
        return Arrays.stream(r).allMatch(x -> Math.abs(x - median) <= 1e-4 * Math.abs(median)) ? Optional.of(median)
                : Optional.empty();
    }

    private static boolean near(double r, double target) {
        return Math.abs(r - target) <= 1e-4 * Math.abs(target);
    }

    static boolean close(Matrix a, Matrix b) {
        if (!a.sameShape(b)) {
            return false;
        }
        double scale = 1;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                scale = Math.max(scale, Math.abs(a.get(i, j)));
            }
        }
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                if (!(Math.abs(a.get(i, j) - b.get(i, j)) <= MATCH * scale)) {
                    return false;
                }
            }
        }
        return true;
    }
}
