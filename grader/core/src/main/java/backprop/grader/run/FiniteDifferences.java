package backprop.grader.run;

import backprop.api.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences in double precision, with an estimate of their own error.
 *
 * <p>Each coordinate (or random direction) is probed at steps {@code h, h/2, h/4, h/8} with
 * {@code h = 1e-5·max(1, |θ|)}, as far as needed: the central difference {@code D(h)} is Richardson-extrapolated
 * from one level to the next, and the change between successive extrapolations estimates the error. Most
 * coordinates are decided at the first level (two forward passes); one near a saturated sigmoid, where {@code h}
 * is no longer small against the function's own scale, takes more levels instead of failing a right answer. An
 * estimate whose error stays too large to tell a 0.1 % mistake is undecided: it never fails and never passes
 * anything.
 */
public final class FiniteDifferences {
    /** The relative step of the first level: float64 central differences are most accurate near it. */
    public static final double STEP = 1e-5;
    /** Levels of halving steps, at most. */
    public static final int LEVELS = 4;
    /** Tensors up to this many entries are perturbed entry by entry; larger ones are sampled. */
    public static final int FULL = 64;
    /** Entries sampled from a larger tensor. */
    public static final int SAMPLED_ENTRIES = 10;
    /** Random directions checked on a larger tensor. */
    public static final int DIRECTIONS = 3;
    /** Absolute agreement, scaled by {@code max(1, |objective|)}. */
    public static final double ATOL = 1e-6;
    /** Relative agreement. */
    public static final double RTOL = 1e-5;
    /**
     * The largest error estimate, relative to the derivative, that still decides: with it the widened tolerance
     * stays below {@code 3e-4}, so a 0.1 % error is always seen.
     */
    public static final double MAX_REL_ERROR = 1e-4;
    private static final double EPS = Math.ulp(1.0);

    private FiniteDifferences() {}

    /**
     * Where a tensor is probed: every entry of a small one; for a larger one, entries sampled with the seed plus
     * random directions, which catch even a single wrong entry of a large gradient.
     *
     * @param entries {@code {row, col}} pairs
     * @param directions the seeds of the random unit directions
     */
    public record Plan(List<int[]> entries, List<Long> directions) {
        /** Whether {@code line} is one of this plan's (an entry it probes, or a direction of one of its seeds). */
        public boolean has(Probes.Line line) {
            return line.isDirection() ? directions.contains(line.seed())
                    : entries.stream().anyMatch(e -> e[0] == line.row() && e[1] == line.col());
        }
    }

    /** The plan for a {@code rows×cols} tensor: deterministic in the seed, so every party probes the same lines. */
    public static Plan plan(int rows, int cols, long seed) {
        return plan(rows, cols, seed, true);
    }

    /**
     * The plan for a {@code rows×cols} tensor, deterministic in the seed. A small tensor is probed entry by entry
     * either way. A larger one is probed along random directions, and at sampled entries only when
     * {@code sampleEntries}: where values (the reference's, or the file's) judge every entry of the gradient, finite
     * differences only check that the forward pass fits it, and a direction checks every entry at once for the
     * price of one sampled entry. The directions are the same with or without the entries.
     */
    public static Plan plan(int rows, int cols, long seed, boolean sampleEntries) {
        if ((long) rows * cols <= FULL) {
            return fullPlan(rows, cols);
        }
        List<int[]> entries = new ArrayList<>();
        List<Long> directions = new ArrayList<>();
        Random rng = new Random(seed);
        for (int k = 0; k < SAMPLED_ENTRIES; k++) {
            entries.add(new int[] {rng.nextInt(rows), rng.nextInt(cols)});
        }
        for (int k = 0; k < DIRECTIONS; k++) {
            directions.add(rng.nextLong());
        }
        return new Plan(sampleEntries ? entries : List.of(), directions);
    }

    /** Every entry, however large the tensor (benchmarks compare this with sampling). */
    public static Plan fullPlan(int rows, int cols) {
        List<int[]> entries = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                entries.add(new int[] {i, j});
            }
        }
        return new Plan(entries, List.of());
    }

    /** The first step along an entry: {@code 1e-5·max(1, |θ_ij|)}. */
    public static double entryStep(Matrix theta, int i, int j) {
        return STEP * Math.max(1.0, Math.abs(theta.get(i, j)));
    }

    /** The first step along a unit direction: {@code 1e-5·max(1, max |θ|)}. */
    public static double directionStep(Matrix theta) {
        double scale = 0;
        for (int i = 0; i < theta.rows(); i++) {
            for (int j = 0; j < theta.cols(); j++) {
                scale = Math.max(scale, Math.abs(theta.get(i, j)));
            }
        }
        return STEP * Math.max(1.0, scale);
    }

    /** The point one step along a line: {@code θ + t·e_ij}, or {@code θ + t·u} for a direction. */
    public static Matrix moved(Matrix theta, Probes.Line line, double t) {
        return line.isDirection() ? theta.plus(direction(line.seed(), theta.rows(), theta.cols()).times(t))
                : theta.with(line.row(), line.col(), theta.get(line.row(), line.col()) + t);
    }

    /**
     * Probes {@code f} along every line of {@code plan}, level by level, stopping a line as soon as it agrees with
     * {@code analytic} or is decided against it; without an analytic gradient, only the first level is taken.
     *
     * @param f the objective as a function of the tensor (it may throw: the caller decides what a throw means)
     * @param center {@code f(theta)}
     */
    public static Probes probe(Matrix theta, ToDoubleFunction<Matrix> f, double center, Plan plan,
            Optional<Matrix> analytic) {
        List<Probes.Line> lines = new ArrayList<>();
        Matrix[] units = new Matrix[plan.directions().size()];
        for (int[] e : plan.entries()) {
            double h = entryStep(theta, e[0], e[1]);
            Optional<Double> a = analytic.filter(g -> g.sameShape(theta)).map(g -> g.get(e[0], e[1]));
            lines.add(line(e[0], e[1], 0, h, a, center, t -> f.applyAsDouble(theta.with(e[0], e[1],
                    theta.get(e[0], e[1]) + t))));
        }
        double eps = plan.directions().isEmpty() ? 0 : directionStep(theta);
        for (int k = 0; k < units.length; k++) {
            long seed = plan.directions().get(k);
            Matrix u = direction(seed, theta.rows(), theta.cols());
            Optional<Double> a = analytic.filter(g -> g.sameShape(theta)).map(g -> g.hadamard(u).sum());
            lines.add(line(-1, -1, seed, eps, a, center, t -> f.applyAsDouble(theta.plus(u.times(t)))));
        }
        return new Probes(center, lines);
    }

    private interface Along {
        double at(double t);
    }

    private static Probes.Line line(int row, int col, long seed, double h, Optional<Double> analytic, double center,
            Along f) {
        double[] steps = new double[LEVELS];
        double[] plus = new double[LEVELS];
        double[] minus = new double[LEVELS];
        int n = 0;
        for (int k = 0; k < LEVELS; k++) {
            steps[k] = h / (1 << k);
            plus[k] = f.at(steps[k]);
            minus[k] = f.at(-steps[k]);
            n = k + 1;
            if (analytic.isEmpty()) {
                break;
            }
            Probes.Line sofar = new Probes.Line(row, col, seed, Arrays.copyOf(steps, n), Arrays.copyOf(plus, n),
                    Arrays.copyOf(minus, n));
            Judgement j = judge(analytic.get(), sofar, center);
            if (j.agreement() == Agreement.AGREE || j.agreement() == Agreement.DISAGREE && j.best().exact()) {
                break;
            }
        }
        return new Probes.Line(row, col, seed, Arrays.copyOf(steps, n), Arrays.copyOf(plus, n),
                Arrays.copyOf(minus, n));
    }

    /**
     * One estimate of a derivative.
     *
     * @param value the estimate
     * @param error an estimate of its absolute error, rounding included; infinite when unknown
     * @param exact true when the truncation error was estimated (from two levels or more) and is small
     */
    public record Estimate(double value, double error, boolean exact) {}

    /** What finite differences say about an analytic value. */
    public enum Agreement {
        /** Some level agrees within the tolerance widened by its error estimate. */
        AGREE,
        /** A reliable estimate disagrees. */
        DISAGREE,
        /** No estimate is reliable enough to tell. */
        UNDECIDABLE
    }

    /**
     * A verdict of finite differences on one analytic value.
     *
     * @param agreement the verdict
     * @param best the estimate it rests on (the agreeing one, or the most reliable)
     */
    public record Judgement(Agreement agreement, Estimate best) {}

    /**
     * The estimates of a line, one per level: the central difference at the first level (truncation error unknown),
     * then Richardson extrapolations whose error is estimated from the previous level.
     */
    public static List<Estimate> estimates(Probes.Line line, double center) {
        List<Estimate> out = new ArrayList<>();
        double prevD = Double.NaN;
        double prevR = Double.NaN;
        for (int k = 0; k < line.levels(); k++) {
            double h = line.steps()[k];
            double d = (line.plus()[k] - line.minus()[k]) / (2 * h);
            double rounding = 4 * EPS * (Math.abs(line.plus()[k]) + Math.abs(line.minus()[k]) + Math.abs(center))
                    / (2 * h);
            if (!Double.isFinite(d) || !(h > 0)) {
                out.add(new Estimate(Double.NaN, Double.POSITIVE_INFINITY, false));
                prevD = Double.NaN;
                prevR = Double.NaN;
                continue;
            }
            if (Double.isNaN(prevD)) {
                out.add(new Estimate(d, rounding, false));
                prevD = d;
                continue;
            }
            double r = (4 * d - prevD) / 3;
            double error = (Double.isNaN(prevR) ? Math.abs(d - prevD) / 3 : Math.abs(r - prevR)) + rounding;
            out.add(new Estimate(r, error, true));
            prevD = d;
            prevR = r;
        }
        return out;
    }

    /** The tolerance of an agreement between an analytic value and an estimate. */
    public static double tolerance(double analytic, double estimate, double center) {
        return ATOL * Math.max(1, Math.abs(center)) + RTOL * Math.max(Math.abs(analytic), Math.abs(estimate));
    }

    /** Judges an analytic value against a line's estimates; see {@link Agreement}. */
    public static Judgement judge(double analytic, Probes.Line line, double center) {
        List<Estimate> es = estimates(line, center);
        Estimate best = null;
        for (Estimate e : es) {
            if (!Double.isFinite(e.value())) {
                continue;
            }
            double tol = tolerance(analytic, e.value(), center);
            double maxError = MAX_REL_ERROR * Math.max(Math.abs(analytic), Math.abs(e.value()))
                    + ATOL * Math.max(1, Math.abs(center));
            boolean reliable = e.error() <= maxError;
            if (reliable && Math.abs(analytic - e.value()) <= tol + 2 * e.error()) {
                return new Judgement(Agreement.AGREE, e);
            }
            if (best == null || e.exact() && (!best.exact() || e.error() < best.error())) {
                best = e;
            }
        }
        if (best == null) {
            return new Judgement(Agreement.UNDECIDABLE, new Estimate(Double.NaN, Double.POSITIVE_INFINITY, false));
        }
        if (!Double.isFinite(analytic)) {
            return new Judgement(Agreement.DISAGREE, best);
        }
        double maxError = MAX_REL_ERROR * Math.max(Math.abs(analytic), Math.abs(best.value()))
                + ATOL * Math.max(1, Math.abs(center));
        // A first-level estimate alone carries an unknown truncation error, but the probing stops there only when it
        // agrees; one that disagrees at every level it was given is taken at its word (only the student's own
        // forward pass could have produced it, and it can only cost that student).
        boolean decides = best.error() <= maxError;
        return new Judgement(decides ? Agreement.DISAGREE : Agreement.UNDECIDABLE, best);
    }

    /**
     * The random unit direction of a seed (see {@link #drawDirection}). Drawn once and kept: the grader
     * judges every submission's probes along the same few directions, and a 128×784 one takes milliseconds to draw.
     */
    public static Matrix direction(long seed, int rows, int cols) {
        Direction key = new Direction(seed, rows, cols);
        synchronized (KEPT) {
            Matrix u = KEPT.get(key);
            if (u != null) {
                return u;
            }
        }
        Matrix u = drawDirection(seed, rows, cols);
        synchronized (KEPT) {
            if (KEPT.putIfAbsent(key, u) == null) {
                directionEntries += u.size();
                // the least recently used go first, so seeds sent by a hostile child cannot hold the memory
                for (var it = KEPT.entrySet().iterator(); directionEntries > KEPT_ENTRIES && it.hasNext(); ) {
                    directionEntries -= it.next().getValue().size();
                    it.remove();
                }
            }
        }
        return u;
    }

    /** Directions kept, by seed and shape, least recently used first. */
    private static final java.util.Map<Direction, Matrix> KEPT = new java.util.LinkedHashMap<>(16, 0.75f, true);
    /** The entries of the directions kept, at most (32 MiB). */
    private static final long KEPT_ENTRIES = 1L << 22;
    private static long directionEntries;

    private record Direction(long seed, int rows, int cols) {}

    /**
     * The direction of a seed, drawn afresh (benchmarks compare this with the directions kept): entries uniform in
     * [−1, 1), scaled to length 1. Any continuous distribution serves (no error pattern cancels along it but with
     * probability 0); this one costs one step of a {@link SplittableRandom} per entry, where Gaussian draws took a
     * cold child JVM some 50 ms for the directions of a 784-128-10 network.
     */
    public static Matrix drawDirection(long seed, int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] u = new double[rows][cols];
        double squares = 0;
        for (double[] row : u) {
            for (int j = 0; j < cols; j++) {
                double x = 2 * rng.nextDouble() - 1;
                row[j] = x;
                squares += x * x;
            }
        }
        double scale = 1 / Math.sqrt(squares);
        for (double[] row : u) {
            for (int j = 0; j < cols; j++) {
                row[j] *= scale;
            }
        }
        return Matrix.of(u);
    }
}
