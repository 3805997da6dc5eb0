package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.graph.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic wrong formulas of each op's backward, evaluated at the values a submission's own forward pass
 * computed: what a student who made that mistake would have sent back. A wrong gradient that equals one of them
 * has found its cause. Each is written from the inputs, the output and the upstream gradient alone, so a local run
 * and a graded one evaluate the same formulas on the same numbers.
 */
final class Mistakes {
    private Mistakes() {}

    /** A value a known wrong formula gives, and what that formula is. */
    /**
     * A value a known wrong formula gives, and what that formula is.
     *
     * @param value what the formula gives here
     * @param mistake what it is, for people
     * @param factor true when the formula is the right value times a constant by its nature (a bias averaged
     *     instead of summed is 1/N of it): it then names that factor better than the factor alone does
     */
    record Alternative(Matrix value, String mistake, boolean factor) {
        Alternative(Matrix value, String mistake) {
            this(value, mistake, false);
        }
    }

    /**
     * The wrong formulas for the gradient that {@code op} sends to input {@code input}.
     *
     * @param in the op's inputs (the submission's forward values)
     * @param out its output
     * @param g the upstream gradient its backward was given
     */
    static List<Alternative> of(Op op, int input, List<Matrix> in, Matrix out, Matrix g) {
        List<Alternative> alts = new ArrayList<>();
        Matrix x = in.get(0);
        switch (op) {
            case RELU -> {
                alts.add(alt(g.hadamard(out), "multiplied by ReLU(z) instead of by ReLU'(z), which is 1 where z > 0 "
                        + "and 0 elsewhere"));
                alts.add(alt(g.hadamard(x), "multiplied by z instead of by ReLU'(z), which is 1 where z > 0 and 0 "
                        + "elsewhere"));
                alts.add(alt(g, "the mask is missing: ReLU passes the gradient only where z > 0"));
                alts.add(alt(g.zip(x, (v, z) -> z < 0 ? v : 0), "the mask is inverted: ReLU passes the gradient "
                        + "where z > 0, not where z < 0"));
            }
            case SIGMOID -> {
                alts.add(alt(g.hadamard(out), "σ'(z) computed as σ(z): the factor (1 − σ(z)) is missing"));
                alts.add(alt(g.hadamard(x.map(v -> v * (1 - v))), "the derivative is evaluated at the wrong "
                        + "point: σ' computed as z(1 − z) from the input; it is h(1 − h) with h = σ(z)"));
                alts.add(alt(g.hadamard(out.map(v -> sigmoid(v) * (1 - sigmoid(v)))), "the derivative is evaluated "
                        + "at the wrong point: σ'(h) instead of σ'(z)"));
                alts.add(alt(g.hadamard(out.map(v -> 1 - v)), "σ'(z) computed as 1 − σ(z): the factor σ(z) is "
                        + "missing"));
            }
            case TANH -> {
                alts.add(alt(g.hadamard(x.map(v -> 1 - v * v)), "the derivative is evaluated at the wrong point: "
                        + "tanh' computed as 1 − z² from the input; it is 1 − h² with h = tanh(z)"));
                alts.add(alt(g.hadamard(out.map(v -> 1 - v)), "tanh' computed as 1 − h: it is 1 − h², the square "
                        + "is missing"));
                alts.add(alt(g.hadamard(out.map(v -> v * (1 - v))), "tanh' computed as h(1 − h), which is the "
                        + "sigmoid's; tanh' is 1 − h²"));
            }
            case SOFTMAX -> softmax(alts, out, g);
            case AFFINE, LINEAR -> affine(alts, input, in, g);
            case MULTIPLY -> {
                Matrix self = in.get(input);
                alts.add(alt(g.hadamard(self), "swapped operands: the gradient of a ⊙ b with respect to one "
                        + "operand is the upstream gradient times the other operand, not times itself"));
                alts.add(alt(g, "the upstream gradient is passed through without the factor of the other operand "
                        + "(d(a ⊙ b)/da is b)"));
            }
            case ADD -> {
                alts.add(alt(Matrix.zerosLike(g), "Sum.backward gives this input nothing: a + b passes the upstream "
                        + "gradient unchanged to both inputs"));
                alts.add(new Alternative(g.times(0.5), "the gradient is split between the two inputs: a + b passes "
                        + "it whole to each of them", true));
            }
            default -> loss(alts, op, input, in, g);
        }
        return alts;
    }

    private static void softmax(List<Alternative> alts, Matrix y, Matrix g) {
        alts.add(alt(g.hadamard(y.map(v -> v * (1 - v))), "softmax's backward without its Jacobian: y(1 − y) ⊙ g "
                + "treats each output as if it depended on its own input only; row by row it is y ⊙ (g − Σ_k g_k y_k)"));
        alts.add(alt(g, "the gradient is passed through softmax unchanged; row by row it is y ⊙ (g − Σ_k g_k y_k)"));
        alts.add(alt(g.hadamard(y), "the term Σ_k g_k y_k of softmax's Jacobian is missing: row by row the gradient "
                + "is y ⊙ (g − Σ_k g_k y_k), not y ⊙ g"));
        Matrix rowDot = g.hadamard(y).sumCols();
        alts.add(alt(y.hadamard(g.plus(rowDot.matmul(Matrix.filled(1, g.cols(), 1)))), "a sign in softmax's "
                + "Jacobian: row by row the gradient is y ⊙ (g − Σ_k g_k y_k)"));
        if (g.rows() > 1) {
            Matrix colDot = g.hadamard(y).sumRows().repeatRows(g.rows());
            alts.add(alt(y.hadamard(g.minus(colDot)), "the sum Σ_k g_k y_k in softmax's Jacobian is taken over the "
                    + "batch (a column) instead of over each row (one example)"));
        }
    }

    private static void affine(List<Alternative> alts, int input, List<Matrix> in, Matrix g) {
        Matrix x = in.get(0);
        Matrix w = in.get(1);
        int n = g.rows();
        if (input == 0 && g.cols() == w.cols()) {
            alts.add(alt(g.matmul(w.transpose()), "dL/dX multiplied by Wᵀ instead of W, a transpose too many: with "
                    + "one example a row, Y = X Wᵀ + b gives dL/dX = dL/dY W"));
        }
        if (input == 1 && n > 1) {
            alts.add(alt(firstRow(g).transpose().matmul(firstRow(x)), "dL/dW uses the first example only: it is the "
                    + "sum over the batch, (dL/dY)ᵀ X"));
        }
        if (input == 2 && n > 1) {
            alts.add(new Alternative(g.sumRows().times(1.0 / n), "the bias gradient is averaged over the batch: b is "
                    + "added to every row, so dL/db is the sum of dL/dY over the rows, not their mean", true));
            alts.add(alt(firstRow(g), "the bias gradient is the first example's only: b is added to every row, so "
                    + "dL/db is the sum of dL/dY over the rows"));
        }
    }

    private static void loss(List<Alternative> alts, Op op, int input, List<Matrix> in, Matrix g) {
        double u = g.scalarValue();
        Matrix y = in.get(0);
        Matrix t = in.get(1);
        int n = y.rows();
        if (input == 1) {
            alts.add(alt(Matrix.zerosLike(t), op.simpleClassName() + ".targetGradient returns zeros: the loss "
                    + "depends on its target too, and here the target is computed by the network"));
            return;
        }
        switch (op) {
            case SQUARED_ERROR, MEAN_SQUARED_ERROR -> {
                double scale = op == Op.SQUARED_ERROR ? u : u / n;
                alts.add(alt(y.times(scale), "the target is not subtracted: the gradient is (y − t)"
                        + (op == Op.SQUARED_ERROR ? "" : "/N") + ", not y" + (op == Op.SQUARED_ERROR ? "" : "/N")));
                if (op == Op.MEAN_SQUARED_ERROR && y.cols() > 1) {
                    alts.add(alt(y.minus(t).times(u / y.size()), "divided by the number of entries N·D instead of "
                            + "the number of examples N: the mean is over the rows"));
                }
            }
            case SOFTMAX_CROSS_ENTROPY -> alts.add(alt(y.minus(t).times(u / n), "softmax is not applied: the "
                    + "gradient with respect to the logits is (softmax(logits) − t)/N, not (logits − t)/N"));
            case BINARY_CROSS_ENTROPY -> alts.add(alt(y.minus(t).times(u / n), "(y − t)/N is the gradient with "
                    + "respect to the sigmoid's input z when the sigmoid is folded into the loss; with respect to y it "
                    + "is (y − t)/(y(1 − y))/N"));
            case CROSS_ENTROPY -> {
                alts.add(alt(y.minus(t).times(u / n), "(p − t)/N is the gradient of softmax with cross-entropy with "
                        + "respect to the logits; with respect to the probabilities p it is −t/(N·p)"));
                alts.add(alt(y.map(p -> -u / (n * p)), "the target is missing: the gradient is −t/(N·p), which is "
                        + "zero wherever t is zero"));
            }
            default -> { }
        }
    }

    private static Matrix firstRow(Matrix m) {
        return Matrix.build(1, m.cols(), (i, j) -> m.get(0, j));
    }

    private static Alternative alt(Matrix value, String mistake) {
        return new Alternative(value, mistake);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
