package backprop.grader.check;

/**
 * The entry of a compared tensor that is furthest from its expected value.
 *
 * @param tensor what was compared, for example {@code "dL/dW1"}
 * @param row row index, from 0
 * @param col column index, from 0
 * @param expected the expected value there
 * @param actual the submission's value there
 * @param absError {@code |actual − expected|}
 * @param relError {@code |actual − expected| / |expected|} ({@code absError} when expected is 0)
 */
public record Worst(String tensor, int row, int col, double expected, double actual, double absError,
        double relError) {

    /** Returns {@code tensor[row][col]}, or the tensor alone when the error is not at one entry (row −1). */
    public String where() {
        return row < 0 ? tensor : tensor + "[" + row + "][" + col + "]";
    }
}
