package backprop.grader.submission;

import backprop.api.Activation;
import backprop.api.AffineOp;
import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.LinearOp;
import backprop.api.Loss;
import backprop.api.Matrix;
import backprop.grader.graph.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Calls one op of a submission forward or backward through its contract, turning whatever goes wrong (an
 * exception, null, a wrong shape) into a {@link StudentFault} that names the method.
 */
public final class OpCall {
    private OpCall() {}

    /** Runs the op forward; a loss gives a {@code 1×1} matrix. */
    public static Matrix forward(Components c, Op op, List<Matrix> in) {
        String method = op.simpleClassName() + (op.isLoss() ? ".value" : ".forward");
        Object impl = c.op(op);
        Matrix out = call(c, method, () -> switch (op.contract().getSimpleName()) {
            case "Activation" -> ((Activation) impl).forward(in.get(0));
            case "AffineOp" -> ((AffineOp) impl).forward(in.get(0), in.get(1), in.get(2));
            case "LinearOp" -> ((LinearOp) impl).forward(in.get(0), in.get(1));
            case "ElementwiseOp" -> ((ElementwiseOp) impl).forward(in.get(0), in.get(1));
            case "Loss" -> Matrix.scalar(((Loss) impl).value(in.get(0), in.get(1)));
            default -> throw new IllegalStateException(op.toString());
        });
        int[] shape = op.outputShape(in.stream().map(m -> new int[] {m.rows(), m.cols()}).toList());
        requireShape(out, shape[0], shape[1], method, "its result");
        return out;
    }

    /**
     * Runs the op backward: given the inputs, the output and {@code dL/d(output)}, returns {@code dL/d(input)}
     * for each input, a loss's target included.
     */
    public static List<Matrix> backward(Components c, Op op, List<Matrix> in, Matrix out, Matrix dOut) {
        return backward(c, op, in, out, dOut, true);
    }

    /**
     * Runs the op backward, as {@link #backward(Components, Op, List, Matrix, Matrix)}; when {@code lossTarget} is
     * false a loss's target gets zeros without asking the loss (a target that is plain data and that no check
     * asks about).
     */
    public static List<Matrix> backward(Components c, Op op, List<Matrix> in, Matrix out, Matrix dOut,
            boolean lossTarget) {
        String method = op.simpleClassName() + (op.isLoss() ? ".gradient" : ".backward");
        Object impl = c.op(op);
        List<Matrix> grads = call(c, method, () -> switch (op.contract().getSimpleName()) {
            case "Activation" -> List.of(nonNull(((Activation) impl).backward(in.get(0), out, dOut), method));
            case "AffineOp" -> list(((AffineOp) impl).backward(in.get(0), in.get(1), in.get(2), dOut), method);
            case "LinearOp" -> list(((LinearOp) impl).backward(in.get(0), in.get(1), dOut), method);
            case "ElementwiseOp" -> list(((ElementwiseOp) impl).backward(in.get(0), in.get(1), dOut), method);
            case "Loss" -> {
                Matrix g = nonNull(((Loss) impl).gradient(in.get(0), in.get(1)), method);
                yield List.of(g.times(dOut.scalarValue()));
            }
            default -> throw new IllegalStateException(op.toString());
        });
        if (op.isLoss() && grads.size() == 1) {
            // the target's gradient is a call of its own, under its own time limit
            Matrix t = lossTarget ? targetGradient(c, (Loss) impl, op, in) : Matrix.zerosLike(in.get(1));
            grads = List.of(grads.get(0), t.times(dOut.scalarValue()));
        }
        if (grads.size() != in.size()) {
            throw new StudentFault(method + " returned " + grads.size() + " gradient(s); " + op.simpleClassName()
                    + " has " + in.size() + " input(s) " + op.inputNames());
        }
        for (int i = 0; i < in.size(); i++) {
            requireShape(grads.get(i), in.get(i).rows(), in.get(i).cols(), method,
                    "the gradient for " + op.inputNames().get(i));
        }
        return grads;
    }

    private static Matrix targetGradient(Components c, Loss loss, Op op, List<Matrix> in) {
        String method = op.simpleClassName() + ".targetGradient";
        Matrix t = call(c, method, () -> loss.targetGradient(in.get(0), in.get(1)));
        requireShape(t, in.get(1).rows(), in.get(1).cols(), method, "the gradient for " + op.inputNames().get(1));
        return t;
    }

    private static List<Matrix> list(Gradients g, String method) {
        if (g == null || g.byInput() == null) {
            throw new StudentFault(method + " returned null");
        }
        List<Matrix> out = new ArrayList<>();
        for (Matrix m : g.byInput()) {
            out.add(nonNull(m, method));
        }
        return out;
    }

    private static Matrix nonNull(Matrix m, String method) {
        if (m == null) {
            throw new StudentFault(method + " returned null");
        }
        return m;
    }

    /**
     * Copies a map a submission returned into one of the grader's, inside {@link #call}: the submission's map is its
     * own object and reading it runs its code. Entries that are not a name and a matrix are left out.
     */
    public static Map<String, Matrix> copy(Map<?, ?> theirs) {
        if (theirs == null) {
            return null;
        }
        Map<String, Matrix> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : theirs.entrySet()) {
            if (e.getKey() instanceof String k && (e.getValue() == null || e.getValue() instanceof Matrix)) {
                copy.put(k, (Matrix) e.getValue());
            }
        }
        return copy;
    }

    /**
     * Runs student code of {@code c} under its per-call time limit ({@link CallGuard}), turning anything it throws
     * into a {@link StudentFault}. A method that hung once is not called again: its later calls fail at once.
     */
    public static <T> T call(Components c, String method, Supplier<T> body) {
        CallGuard.Done<T> done = CallGuard.run(c, method, body);
        Throwable t = done.thrown();
        if (t instanceof StackOverflowError) {
            throw new StudentFault(method + " overflowed the stack (endless recursion?)");
        }
        if (t instanceof VirtualMachineError || t instanceof CallGuard.Abandoned) {
            throw (Error) t;
        }
        if (t != null) {
            throw StudentFault.from(t, method);
        }
        T value = done.value();
        if (value == null) {
            throw new StudentFault(method + " returned null");
        }
        return value;
    }

    /** Throws a fault unless {@code m} is {@code rows×cols}. */
    public static void requireShape(Matrix m, int rows, int cols, String method, String what) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new StudentFault(method + " returned " + what + " with shape " + m.shape() + "; expected "
                    + rows + "×" + cols + (m.rows() == cols && m.cols() == rows ? " (transposed?)" : ""));
        }
    }
}
