package backprop.grader.spec;

import backprop.api.Matrix;
import java.util.Optional;

/**
 * One graded quantity: a forward value, a gradient, or a parameter after some optimizer steps.
 *
 * @param id unique within the assignment, for example {@code "dL/dW1"}
 * @param kind what is compared
 * @param target the node or parameter it is about
 * @param afterSteps for {@link Kind#PARAMETER}, how many optimizer steps; otherwise 0
 * @param expected the value the author wrote
 * @param points what the check is worth
 * @param tolerance how close a value must be
 * @param visibility whether students see it
 * @param hint shown to a student whose value is wrong
 * @param location where the checkpoint starts in its file
 * @param expectedLocation where its expected value is written
 * @param fromReference true when the file says {@code expected: reference}: the value is computed by the
 *     reference at grading time ({@code expected} then holds zeros of the right shape), and a run without the
 *     reference checks gradients against finite differences only
 */
public record Checkpoint(
        String id,
        Kind kind,
        String target,
        int afterSteps,
        Matrix expected,
        double points,
        Tolerance tolerance,
        Visibility visibility,
        Optional<String> hint,
        Location location,
        Location expectedLocation,
        boolean fromReference) {

    /** A checkpoint whose expected value is written in the file. */
    public Checkpoint(String id, Kind kind, String target, int afterSteps, Matrix expected, double points,
            Tolerance tolerance, Visibility visibility, Optional<String> hint, Location location,
            Location expectedLocation) {
        this(id, kind, target, afterSteps, expected, points, tolerance, visibility, hint, location, expectedLocation,
                false);
    }

    /** Returns this checkpoint with its expected value replaced, for example by the reference's. */
    public Checkpoint withExpected(Matrix value) {
        return new Checkpoint(id, kind, target, afterSteps, value, points, tolerance, visibility, hint, location,
                expectedLocation, false);
    }

    /** What a checkpoint compares. */
    public enum Kind {
        /** The forward value of a node. */
        FORWARD("forward"),
        /** The gradient of the loss with respect to a node or parameter. */
        GRADIENT("gradient"),
        /** A parameter after optimizer steps. */
        PARAMETER("parameter");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word used in files and reports. */
        public String word() {
            return word;
        }
    }

    /** Whether students see a check before grading. */
    public enum Visibility {
        /** Shown to students and run by their local tests. */
        VISIBLE,
        /** Graded, but neither shown nor shipped to students. */
        HIDDEN
    }
}
