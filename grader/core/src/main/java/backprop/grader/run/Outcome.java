package backprop.grader.run;

import java.util.Optional;
import java.util.function.Supplier;
import backprop.grader.submission.StudentFault;

/**
 * A value a submission computed, or the one-line reason it could not.
 *
 * @param value the value, when there is one
 * @param fault why there is none
 */
public record Outcome<T>(T value, String fault) {

    /** A computed value. */
    public static <T> Outcome<T> of(T value) {
        return new Outcome<>(value, null);
    }

    /** A failure. */
    public static <T> Outcome<T> failed(String fault) {
        return new Outcome<>(null, fault);
    }

    /** Runs {@code body}, catching the {@link StudentFault} it may throw. */
    public static <T> Outcome<T> capture(Supplier<T> body) {
        try {
            return of(body.get());
        } catch (StudentFault f) {
            return failed(f.getMessage());
        }
    }

    /** Returns true when there is a value. */
    public boolean ok() {
        return fault == null;
    }

    /** The value, if any. */
    public Optional<T> get() {
        return Optional.ofNullable(value);
    }
}
