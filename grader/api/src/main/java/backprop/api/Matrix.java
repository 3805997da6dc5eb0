package backprop.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * An immutable matrix of doubles, stored row by row.
 *
 * <p>Convention used by every contract: a batch of {@code N} examples with {@code D} features is an
 * {@code N×D} matrix, one example a row. A single example is a {@code 1×D} row. A weight matrix that maps
 * {@code D_in} features to {@code D_out} is {@code D_out×D_in} (as written in the lecture, {@code W x}),
 * so a batch goes through it as {@code X Wᵀ}. A bias is a {@code 1×D_out} row. A scalar such as a loss
 * is a {@code 1×1} matrix.
 *
 * <p>Every operation returns a new matrix; none changes its operands.
 */
public final class Matrix {
    private static final java.util.regex.Pattern TRAILING_ZEROS = java.util.regex.Pattern.compile("(\\.\\d*?)0+(e|$)");
    private static final java.util.regex.Pattern BARE_POINT = java.util.regex.Pattern.compile("\\.(e|$)");

    private final int rows;
    private final int cols;
    private final double[] data;

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** Returns a matrix with a copy of the given rows; all rows must have the same, non-zero length. */
    public static Matrix of(double[][] values) {
        if (values.length == 0 || values[0].length == 0) {
            throw new IllegalArgumentException("a matrix needs at least one row and one column");
        }
        int cols = values[0].length;
        double[] data = new double[values.length * cols];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != cols) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + values[i].length + " entries, row 0 has " + cols);
            }
            System.arraycopy(values[i], 0, data, i * cols, cols);
        }
        return new Matrix(values.length, cols, data);
    }

    /** Returns a {@code 1×n} row holding the given values. */
    public static Matrix row(double... values) {
        return of(new double[][] {values});
    }

    /** Returns a {@code 1×1} matrix holding one value. */
    public static Matrix scalar(double value) {
        return new Matrix(1, 1, new double[] {value});
    }

    /** Returns a {@code rows×cols} matrix whose every entry is {@code value}. */
    public static Matrix filled(int rows, int cols, double value) {
        checkShape(rows, cols);
        double[] data = new double[rows * cols];
        Arrays.fill(data, value);
        return new Matrix(rows, cols, data);
    }

    /** Returns a {@code rows×cols} matrix of zeros. */
    public static Matrix zeros(int rows, int cols) {
        return filled(rows, cols, 0.0);
    }

    /** Returns a matrix of zeros with the same shape as {@code like}. */
    public static Matrix zerosLike(Matrix like) {
        return zeros(like.rows, like.cols);
    }

    /** Returns a {@code rows×cols} matrix whose entry {@code (i, j)} is {@code f(i, j)}. */
    public static Matrix build(int rows, int cols, IndexFunction f) {
        checkShape(rows, cols);
        double[] data = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = f.at(i, j);
            }
        }
        return new Matrix(rows, cols, data);
    }

    /** A function of a row and a column index, for {@link #build}. */
    @FunctionalInterface
    public interface IndexFunction {
        /** Returns the entry at row {@code i}, column {@code j}. */
        double at(int i, int j);
    }

    private static void checkShape(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("shape must be positive, got " + rows + "×" + cols);
        }
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** Number of entries, {@code rows() * cols()}. */
    public int size() {
        return data.length;
    }

    /** Returns the entry at row {@code i}, column {@code j} (both from 0). */
    public double get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") outside a " + shape() + " matrix");
        }
        return data[i * cols + j];
    }

    /** Returns the only entry of a {@code 1×1} matrix. */
    public double scalarValue() {
        if (data.length != 1) {
            throw new IllegalStateException("not a 1×1 matrix: " + shape());
        }
        return data[0];
    }

    /** Returns a copy of the entries as rows. */
    public double[][] toArray() {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, i * cols, out[i], 0, cols);
        }
        return out;
    }

    /** Returns the shape as text, for example {@code "3×2"}. */
    public String shape() {
        return rows + "×" + cols;
    }

    /** Returns true when {@code other} has the same number of rows and columns. */
    public boolean sameShape(Matrix other) {
        return rows == other.rows && cols == other.cols;
    }

    /** Returns the transpose: a {@code cols×rows} matrix. */
    public Matrix transpose() {
        double[] out = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = data[i * cols + j];
            }
        }
        return new Matrix(cols, rows, out);
    }

    /** Returns the matrix product {@code this · other}; {@code this} is {@code n×k}, {@code other} is {@code k×m}. */
    public Matrix matmul(Matrix other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("cannot multiply " + shape() + " by " + other.shape());
        }
        double[] out = new double[rows * other.cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                double a = data[i * cols + k];
                if (a == 0.0) {
                    continue;
                }
                int ob = k * other.cols;
                int rb = i * other.cols;
                for (int j = 0; j < other.cols; j++) {
                    out[rb + j] += a * other.data[ob + j];
                }
            }
        }
        return new Matrix(rows, other.cols, out);
    }

    /** Returns {@code f} applied to every entry. */
    public Matrix map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = f.applyAsDouble(data[i]);
        }
        return new Matrix(rows, cols, out);
    }

    /** Returns {@code f(this[i][j], other[i][j])} for every entry; both must have the same shape. */
    public Matrix zip(Matrix other, DoubleBinaryOperator f) {
        requireSameShape(other, "combine");
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = f.applyAsDouble(data[i], other.data[i]);
        }
        return new Matrix(rows, cols, out);
    }

    /** Returns the entrywise sum; both must have the same shape. */
    public Matrix plus(Matrix other) {
        requireSameShape(other, "combine");
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] + other.data[i];
        }
        return new Matrix(rows, cols, out);
    }

    /** Returns the entrywise difference {@code this − other}; both must have the same shape. */
    public Matrix minus(Matrix other) {
        requireSameShape(other, "combine");
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] - other.data[i];
        }
        return new Matrix(rows, cols, out);
    }

    /** Returns the entrywise (Hadamard) product {@code this ⊙ other}; both must have the same shape. */
    public Matrix hadamard(Matrix other) {
        requireSameShape(other, "combine");
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] * other.data[i];
        }
        return new Matrix(rows, cols, out);
    }

    /** Returns every entry multiplied by {@code factor}. */
    public Matrix times(double factor) {
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] * factor;
        }
        return new Matrix(rows, cols, out);
    }

    /** Returns the {@code 1×cols} row of column sums (adds the rows together). */
    public Matrix sumRows() {
        double[] out = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j] += data[i * cols + j];
            }
        }
        return new Matrix(1, cols, out);
    }

    /** Returns the {@code rows×1} column of row sums. */
    public Matrix sumCols() {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += data[i * cols + j];
            }
            out[i] = s;
        }
        return new Matrix(rows, 1, out);
    }

    /** Returns the sum of all entries. */
    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    /** Returns a {@code rows×cols} matrix whose every row is this {@code 1×cols} row. */
    public Matrix repeatRows(int times) {
        if (rows != 1) {
            throw new IllegalStateException("repeatRows needs a 1×n row, got " + shape());
        }
        checkShape(times, cols);
        double[] out = new double[times * cols];
        for (int i = 0; i < times; i++) {
            System.arraycopy(data, 0, out, i * cols, cols);
        }
        return new Matrix(times, cols, out);
    }

    /** Returns a copy with entry {@code (i, j)} replaced by {@code value}. */
    public Matrix with(int i, int j, double value) {
        get(i, j);
        double[] out = data.clone();
        out[i * cols + j] = value;
        return new Matrix(rows, cols, out);
    }

    private void requireSameShape(Matrix other, String what) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException("cannot " + what + " " + shape() + " with " + other.shape());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    /** Returns the entries as nested brackets, for example {@code [[1, 0], [-1, 1]]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < cols; j++) {
                if (j > 0) {
                    sb.append(", ");
                }
                sb.append(format(data[i * cols + j]));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /** Formats one number the way every report does: up to 10 significant digits, {@link Locale#ROOT}. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String s = TRAILING_ZEROS.matcher(String.format(Locale.ROOT, "%.10g", v)).replaceAll("$1$2");
        return BARE_POINT.matcher(s).replaceAll("$1");
    }
}
