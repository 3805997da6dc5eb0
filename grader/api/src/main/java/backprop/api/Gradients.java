package backprop.api;

import java.util.List;

/**
 * The gradients of the loss with respect to each input of an operation, in the order the inputs were given.
 *
 * @param byInput one gradient per input, each with the shape of that input
 */
public record Gradients(List<Matrix> byInput) {
    /** Copies the list; use {@link #of} to write it out. */
    public Gradients {
        byInput = List.copyOf(byInput);
    }

    /** Returns the gradients of the given inputs, in order. */
    public static Gradients of(Matrix... byInput) {
        return new Gradients(List.of(byInput));
    }

    /** Returns the gradient with respect to input {@code i} (from 0). */
    public Matrix get(int i) {
        return byInput.get(i);
    }
}
