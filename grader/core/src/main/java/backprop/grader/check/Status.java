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
     * Only in a student's local run, for a gradient whose right value only the reference knows: finite
     * differences of the student's own forward pass agree where they can decide, but some lines they cannot
     * (a ReLU kink within the step, or too inexact an estimate). The points count locally; the grade compares
     * with the reference.
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
