package backprop.grader.run;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A submission's own forward pass evaluated at perturbed points: the raw material of finite differences, and
 * nothing else. The child JVM sends these; the grader turns them into estimates and judges them, so no flag or
 * verdict ever travels with them.
 *
 * @param center the objective at the unperturbed point
 * @param lines one entry or one random direction each, in the order of the {@link FiniteDifferences.Plan}
 */
public record Probes(double center, List<Line> lines) {

    /**
     * The objective along one line through the point: an entry ({@code row}, {@code col}) or a random unit
     * direction ({@code seed}, with {@code row = col = -1}), at steps that halve from one level to the next.
     *
     * @param row the entry's row, or -1 for a direction
     * @param col the entry's column, or -1 for a direction
     * @param seed the direction's seed (see {@link FiniteDifferences#direction}); 0 for an entry
     * @param steps the step of each level, {@code h, h/2, h/4, …}
     * @param plus {@code f(θ + step·e)} at each level
     * @param minus {@code f(θ − step·e)} at each level
     */
    public record Line(int row, int col, long seed, double[] steps, double[] plus, double[] minus) {

        /** Returns true when this line is a random direction rather than one entry. */
        public boolean isDirection() {
            return row < 0;
        }

        /** The number of levels evaluated. */
        public int levels() {
            return Math.min(steps.length, Math.min(plus.length, minus.length));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && row == l.row && col == l.col && seed == l.seed
                    && Arrays.equals(steps, l.steps) && Arrays.equals(plus, l.plus) && Arrays.equals(minus, l.minus);
        }

        @Override
        public int hashCode() {
            return Objects.hash(row, col, seed, Arrays.hashCode(steps), Arrays.hashCode(plus), Arrays.hashCode(minus));
        }

        @Override
        public String toString() {
            return "Line[" + row + ", " + col + ", " + seed + ", steps " + Arrays.toString(steps) + ", plus "
                    + Arrays.toString(plus) + ", minus " + Arrays.toString(minus) + "]";
        }
    }
}
