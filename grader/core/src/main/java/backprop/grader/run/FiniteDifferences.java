package backprop.grader.run;

import backprop.api.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.function.Function;

/**
 * Central finite differences in double precision, with kink detection.
 *
 * <p>The step is {@code h = 1e-5·max(1, |θ|)}: measured on tanh, sigmoid and softmax-cross-entropy, float64
 * central differences are most accurate near {@code 1e-5} (relative error below {@code 1e-8}). A coordinate is
 * a kink when some ReLU's activation pattern differs between {@code θ−h} and {@code θ+h}.
 */
public final class FiniteDifferences {
    /** The relative step. */
    public static final double STEP = 1e-5;

    private FiniteDifferences() {}

    /** One evaluation of the function being differentiated. */
    public record Probe(double value, Map<String, boolean[]> pattern) {}

    /**
     * Estimates the gradient of {@code f} at {@code theta}.
     *
     * @param theta the point
     * @param f the function of the perturbed value; its probe carries the ReLU patterns seen
     * @param center {@code f(theta)}
     */
    public static Numeric gradient(Matrix theta, Function<Matrix, Probe> f, double center) {
        return gradient(theta, f, center, 0);
    }

    /** Tensors up to this many entries are perturbed entry by entry; larger ones are sampled. */
    public static final int FULL = 64;
    /** Entries sampled from a larger tensor. */
    public static final int SAMPLED_ENTRIES = 10;
    /** Random directions checked on a larger tensor. */
    public static final int DIRECTIONS = 3;

    /**
     * Estimates the gradient of {@code f} at {@code theta}: entry by entry for a small tensor; for a larger one,
     * {@link #SAMPLED_ENTRIES} entries chosen with {@code seed} plus {@link #DIRECTIONS} random directions, two
     * forward passes each, which catch even a single wrong entry of a large gradient.
     */
    public static Numeric gradient(Matrix theta, Function<Matrix, Probe> f, double center, long seed) {
        if (theta.size() <= FULL) {
            return full(theta, f, center);
        }
        Random rng = new Random(seed);
        int rows = theta.rows();
        int cols = theta.cols();
        Entries e = new Entries(rows, cols, Double.NaN);
        for (int k = 0; k < SAMPLED_ENTRIES; k++) {
            e.estimate(theta, f, center, rng.nextInt(rows), rng.nextInt(cols));
        }
        double scale = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                scale = Math.max(scale, Math.abs(theta.get(i, j)));
            }
        }
        double eps = STEP * Math.max(1.0, scale);
        List<Numeric.Direction> directions = new ArrayList<>();
        for (int k = 0; k < DIRECTIONS; k++) {
            long s = rng.nextLong();
            Matrix u = direction(s, rows, cols);
            Probe plus = f.apply(theta.plus(u.times(eps)));
            Probe minus = f.apply(theta.minus(u.times(eps)));
            if (samePattern(plus.pattern(), minus.pattern())) {
                directions.add(new Numeric.Direction(s, (plus.value() - minus.value()) / (2 * eps)));
            }
        }
        return e.numeric(center, directions);
    }

    /** The random unit direction of a seed: Gaussian entries scaled to length 1. */
    public static Matrix direction(long seed, int rows, int cols) {
        Random rng = new Random(seed);
        Matrix u = Matrix.build(rows, cols, (i, j) -> rng.nextGaussian());
        double norm = Math.sqrt(u.hadamard(u).sum());
        return u.times(1 / norm);
    }

    private static double[][] filled(int rows, int cols, double v) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            Arrays.fill(row, v);
        }
        return a;
    }

    /** Estimates every entry, however large the tensor (benchmarks compare this with sampling). */
    public static Numeric full(Matrix theta, Function<Matrix, Probe> f, double center) {
        Entries e = new Entries(theta.rows(), theta.cols(), 0);
        for (int i = 0; i < theta.rows(); i++) {
            for (int j = 0; j < theta.cols(); j++) {
                e.estimate(theta, f, center, i, j);
            }
        }
        return e.numeric(center, List.of());
    }

    /** Per-entry estimates being filled in; entries never estimated keep their initial value. */
    private static final class Entries {
        private final double[][] central;
        private final double[][] left;
        private final double[][] right;
        private final double[][] kink;

        Entries(int rows, int cols, double initial) {
            central = filled(rows, cols, initial);
            left = filled(rows, cols, initial);
            right = filled(rows, cols, initial);
            kink = filled(rows, cols, 0);
        }

        /** Perturbs entry {@code (i, j)} both ways: the central difference, both one-sided slopes, and a kink flag. */
        void estimate(Matrix theta, Function<Matrix, Probe> f, double center, int i, int j) {
            double t = theta.get(i, j);
            double h = STEP * Math.max(1.0, Math.abs(t));
            Probe plus = f.apply(theta.with(i, j, t + h));
            Probe minus = f.apply(theta.with(i, j, t - h));
            central[i][j] = (plus.value() - minus.value()) / (2 * h);
            left[i][j] = (center - minus.value()) / h;
            right[i][j] = (plus.value() - center) / h;
            kink[i][j] = samePattern(plus.pattern(), minus.pattern()) ? 0 : 1;
        }

        Numeric numeric(double center, List<Numeric.Direction> directions) {
            return new Numeric(center, Matrix.of(central), Matrix.of(left), Matrix.of(right), Matrix.of(kink),
                    directions);
        }
    }

    private static boolean samePattern(Map<String, boolean[]> a, Map<String, boolean[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, boolean[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
