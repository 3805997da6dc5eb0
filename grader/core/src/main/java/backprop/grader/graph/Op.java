package backprop.grader.graph;

import backprop.api.Activation;
import backprop.api.AffineOp;
import backprop.api.ElementwiseOp;
import backprop.api.LinearOp;
import backprop.api.Loss;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every operation an assignment's graph can use: its name in YAML, the student class that implements it, the
 * contract that class implements, how many inputs it takes and the shape of its output.
 */
public enum Op {
    IDENTITY("identity", "Identity", Activation.class, 1),
    RELU("relu", "Relu", Activation.class, 1),
    SIGMOID("sigmoid", "Sigmoid", Activation.class, 1),
    TANH("tanh", "Tanh", Activation.class, 1),
    SOFTMAX("softmax", "Softmax", Activation.class, 1),
    AFFINE("affine", "Affine", AffineOp.class, 3),
    LINEAR("linear", "Linear", LinearOp.class, 2),
    MULTIPLY("multiply", "Product", ElementwiseOp.class, 2),
    ADD("add", "Sum", ElementwiseOp.class, 2),
    SQUARED_ERROR("squared_error", "SquaredError", Loss.class, 2),
    MEAN_SQUARED_ERROR("mean_squared_error", "MeanSquaredError", Loss.class, 2),
    SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy", "SoftmaxCrossEntropy", Loss.class, 2),
    BINARY_CROSS_ENTROPY("binary_cross_entropy", "BinaryCrossEntropy", Loss.class, 2),
    CROSS_ENTROPY("cross_entropy", "CrossEntropy", Loss.class, 2);

    /** The package every submission puts its classes in. */
    public static final String PACKAGE = "homework";

    private final String yamlName;
    private final String simpleClassName;
    private final Class<?> contract;
    private final int arity;

    Op(String yamlName, String simpleClassName, Class<?> contract, int arity) {
        this.yamlName = yamlName;
        this.simpleClassName = simpleClassName;
        this.contract = contract;
        this.arity = arity;
    }

    /** The name written in assignment files, for example {@code "relu"}. */
    public String yamlName() {
        return yamlName;
    }

    /** The student's class, for example {@code "Relu"}. */
    public String simpleClassName() {
        return simpleClassName;
    }

    /** The fully qualified student class, for example {@code "homework.Relu"}. */
    public String className() {
        return PACKAGE + "." + simpleClassName;
    }

    /** The interface the student's class implements. */
    public Class<?> contract() {
        return contract;
    }

    /** The number of inputs. */
    public int arity() {
        return arity;
    }

    /** Returns true for a loss, whose output is a {@code 1×1} matrix. */
    public boolean isLoss() {
        return contract == Loss.class;
    }

    /** Returns the op with this YAML name. */
    public static Optional<Op> byName(String name) {
        return Arrays.stream(values()).filter(o -> o.yamlName.equals(name)).findFirst();
    }

    /** All YAML names, for error messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Op::yamlName).toList();
    }

    /** What each input is called, for error messages. */
    public List<String> inputNames() {
        return switch (this) {
            case AFFINE -> List.of("x", "W", "b");
            case LINEAR -> List.of("x", "W");
            case MULTIPLY, ADD -> List.of("a", "b");
            case SQUARED_ERROR, MEAN_SQUARED_ERROR, BINARY_CROSS_ENTROPY -> List.of("prediction", "target");
            case SOFTMAX_CROSS_ENTROPY -> List.of("logits", "target");
            case CROSS_ENTROPY -> List.of("probabilities", "target");
            default -> List.of("z");
        };
    }

    /**
     * Returns the output shape {@code {rows, cols}} for inputs of the given shapes, or throws
     * {@link IllegalArgumentException} saying why they do not fit.
     */
    public int[] outputShape(List<int[]> in) {
        switch (this) {
            case AFFINE, LINEAR -> {
                int[] x = in.get(0);
                int[] w = in.get(1);
                if (w[1] != x[1]) {
                    throw new IllegalArgumentException("W is " + shape(w) + " so x needs " + w[1]
                            + " columns (one example a row), but x is " + shape(x));
                }
                if (this == AFFINE) {
                    int[] b = in.get(2);
                    if (b[0] != 1 || b[1] != w[0]) {
                        throw new IllegalArgumentException("W is " + shape(w) + " so b must be 1×" + w[0]
                                + ", but b is " + shape(b));
                    }
                }
                return new int[] {x[0], w[0]};
            }
            case MULTIPLY, ADD -> {
                requireSame(in.get(0), in.get(1));
                return in.get(0);
            }
            case SQUARED_ERROR, MEAN_SQUARED_ERROR, SOFTMAX_CROSS_ENTROPY, BINARY_CROSS_ENTROPY, CROSS_ENTROPY -> {
                requireSame(in.get(0), in.get(1));
                return new int[] {1, 1};
            }
            default -> {
                return in.get(0);
            }
        }
    }

    private void requireSame(int[] a, int[] b) {
        if (a[0] != b[0] || a[1] != b[1]) {
            throw new IllegalArgumentException(inputNames().get(0) + " is " + shape(a) + " but "
                    + inputNames().get(1) + " is " + shape(b) + "; they must have the same shape");
        }
    }

    /** Formats a shape as {@code "3×2"}. */
    public static String shape(int[] s) {
        return s[0] + "×" + s[1];
    }
}
