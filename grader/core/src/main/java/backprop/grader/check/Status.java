package backprop.grader.check;

import java.util.Locale;

/** How a check ended. */
public enum Status {
    /** The value is right. */
    PASSED,
    /** The value is wrong. */
    FAILED,
    /** The submission's code threw, returned null or the wrong shape, or is missing. */
    ERROR,
    /** Not run because something it needs failed first; the message says what. */
    SKIPPED,
    /**
     * The value differs from the reference only at coordinates where the derivative is undefined (a ReLU
     * input at 0); points are awarded, since any valid subgradient is accepted there.
     */
    INCONCLUSIVE;

    /** The lower-case word used in reports. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns true when the check earns its points. */
    public boolean earnsPoints() {
        return this == PASSED || this == INCONCLUSIVE;
    }
}
