package backprop.grader.spec;

import backprop.api.Matrix;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How values are written into an assignment file: each number in the shortest decimal form that reads back to the
 * same double, matrices in the flow style of the shipped files ({@code [0.5]}, {@code [1.0, -2.5]},
 * {@code [[1.0, 0.0], [0.0, 1.0]]}).
 */
public final class Literals {
    private Literals() {}

    /**
     * The shortest text that reads back to {@code v}, with a decimal point, and with a signed exponent below 1e-4
     * and from 1e16 on ({@code 0.1}, {@code 3.0}, {@code -0.30000000000000004}, {@code 1.5e-7}): the form every
     * YAML reader, 1.1 included, takes for a number. {@code -0.0} is written {@code 0.0}, the same number.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which an assignment cannot hold
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        if (v == 0) {
            return "0.0";
        }
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal d = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(d.toString()) == v) {
                return layout(d);
            }
        }
        throw new IllegalStateException("17 significant digits always read back: " + v);
    }

    /** Lays out a number whose digits are already the fewest: plain decimal, or scientific when very small or large. */
    private static String layout(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = stripped.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = stripped.unscaledValue().abs().toString();
        String mantissa = digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0");
        return (stripped.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }

    /** A matrix on one line: {@code [x]} for 1×1, a flat list for one row, else a list of rows. */
    public static String matrix(Matrix m) {
        return matrix(m, ", ");
    }

    /**
     * A matrix with {@code rowSeparator} between the rows of a list of rows, for example {@code ",\n    "} to put
     * each row on a line of its own.
     */
    public static String matrix(Matrix m, String rowSeparator) {
        if (m.rows() == 1) {
            return row(m, 0);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < m.rows(); i++) {
            sb.append(i == 0 ? "" : rowSeparator).append(row(m, i));
        }
        return sb.append(']').toString();
    }

    private static String row(Matrix m, int i) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < m.cols(); j++) {
            sb.append(j == 0 ? "" : ", ").append(number(m.get(i, j)));
        }
        return sb.append(']').toString();
    }
}
