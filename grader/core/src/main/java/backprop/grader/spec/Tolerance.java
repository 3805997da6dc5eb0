package backprop.grader.spec;

/**
 * How close a value must be to the expected one: entry by entry, {@code |actual − expected| ≤ abs + rel·|expected|}.
 *
 * @param abs absolute part
 * @param rel relative part
 */
public record Tolerance(double abs, double rel) {
    /** The default for checkpoints that do not give one: tight, since every value is computed in double. */
    public static final Tolerance DEFAULT = new Tolerance(1e-6, 1e-6);
}
