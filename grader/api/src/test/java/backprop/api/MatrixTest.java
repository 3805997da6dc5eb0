package backprop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MatrixTest {

    private static Matrix m(double[]... rows) {
        return Matrix.of(rows);
    }

    /** 2×3: [[1, 2, 3], [4, 5, 6]]. */
    private static final Matrix A = m(new double[] {1, 2, 3}, new double[] {4, 5, 6});

    // ---------------------------------------------------------------- construction and shape errors

    @Test
    void ofKeepsRowsInOrderAndReportsItsShape() {
        assertThat(A.rows()).isEqualTo(2);
        assertThat(A.cols()).isEqualTo(3);
        assertThat(A.size()).isEqualTo(6);
        assertThat(A.shape()).isEqualTo("2×3");
        assertThat(A.get(0, 0)).isEqualTo(1.0);
        assertThat(A.get(0, 2)).isEqualTo(3.0);
        assertThat(A.get(1, 0)).isEqualTo(4.0);
        assertThat(A.get(1, 2)).isEqualTo(6.0);
    }

    @Test
    void raggedRowsAreRejectedNamingTheOddRow() {
        assertThatThrownBy(() -> m(new double[] {1, 2}, new double[] {3, 4}, new double[] {5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row 2 has 1 entries, row 0 has 2");
    }

    @Test
    void matrixWithoutRowsIsRejected() {
        assertThatThrownBy(() -> Matrix.of(new double[0][]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a matrix needs at least one row and one column");
    }

    @Test
    void matrixWithEmptyRowsIsRejected() {
        assertThatThrownBy(() -> Matrix.of(new double[][] {{}, {}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a matrix needs at least one row and one column");
        assertThatThrownBy(Matrix::row).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonPositiveShapesAreRejected() {
        assertThatThrownBy(() -> Matrix.zeros(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape must be positive, got 0×2");
        assertThatThrownBy(() -> Matrix.filled(2, -1, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape must be positive, got 2×-1");
        assertThatThrownBy(() -> Matrix.build(0, 0, (i, j) -> 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowScalarFilledZerosAndBuildMakeTheShapesTheyName() {
        assertThat(Matrix.row(1, 2, 3)).isEqualTo(m(new double[] {1, 2, 3}));
        assertThat(Matrix.row(1, 2, 3).shape()).isEqualTo("1×3");
        assertThat(Matrix.scalar(2.5).shape()).isEqualTo("1×1");
        assertThat(Matrix.scalar(2.5).scalarValue()).isEqualTo(2.5);
        assertThat(Matrix.filled(2, 2, 7)).isEqualTo(m(new double[] {7, 7}, new double[] {7, 7}));
        assertThat(Matrix.zeros(1, 2)).isEqualTo(Matrix.row(0, 0));
        assertThat(Matrix.zerosLike(A)).isEqualTo(Matrix.zeros(2, 3));
        assertThat(Matrix.build(2, 3, (i, j) -> 3 * i + j + 1)).isEqualTo(A);
    }

    @Test
    void entriesOutsideTheMatrixAreRejected() {
        assertThatThrownBy(() -> A.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("(2, 0) outside a 2×3 matrix");
        assertThatThrownBy(() -> A.get(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> A.get(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void scalarValueNeedsAOneByOneMatrix() {
        assertThatThrownBy(() -> Matrix.row(1, 2).scalarValue()).isInstanceOf(IllegalStateException.class)
                .hasMessage("not a 1×1 matrix: 1×2");
    }

    // ---------------------------------------------------------------- immutability

    @Test
    void toArrayReturnsACopy() {
        double[][] copy = A.toArray();
        assertThat(copy).isDeepEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
        copy[0][0] = 99;
        assertThat(A.get(0, 0)).isEqualTo(1.0);
        assertThat(A.toArray()).isNotSameAs(A.toArray());
    }

    @Test
    void ofCopiesItsInput() {
        double[][] values = {{1, 2}, {3, 4}};
        Matrix x = Matrix.of(values);
        values[1][1] = 99;
        assertThat(x.get(1, 1)).isEqualTo(4.0);
        double[] row = {1, 2};
        Matrix r = Matrix.row(row);
        row[0] = 99;
        assertThat(r.get(0, 0)).isEqualTo(1.0);
    }

    @Test
    void operationsLeaveTheirOperandsUnchanged() {
        Matrix before = Matrix.of(A.toArray());
        A.transpose();
        A.plus(A);
        A.minus(A);
        A.hadamard(A);
        A.times(3);
        A.map(Math::exp);
        A.with(0, 0, 42);
        A.matmul(A.transpose());
        assertThat(A).isEqualTo(before);
    }

    @Test
    void withReturnsACopyWithOneEntryReplaced() {
        Matrix changed = A.with(1, 2, -6);
        assertThat(changed).isEqualTo(m(new double[] {1, 2, 3}, new double[] {4, 5, -6}));
        assertThat(A.get(1, 2)).isEqualTo(6.0);
        assertThatThrownBy(() -> A.with(2, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("(2, 0) outside a 2×3 matrix");
    }

    // ---------------------------------------------------------------- arithmetic

    @Test
    void transposeSwapsRowsAndColumns() {
        Matrix t = A.transpose();
        assertThat(t.shape()).isEqualTo("3×2");
        assertThat(t).isEqualTo(m(new double[] {1, 4}, new double[] {2, 5}, new double[] {3, 6}));
        assertThat(t.transpose()).isEqualTo(A);
        assertThat(Matrix.row(1, 2, 3).transpose().shape()).isEqualTo("3×1");
    }

    @Test
    void matmulMultipliesRowsByColumns() {
        Matrix b = m(new double[] {1, 0}, new double[] {0, 1}, new double[] {1, -1});
        // [[1,2,3],[4,5,6]] · [[1,0],[0,1],[1,-1]] = [[4, -1], [10, -1]]
        assertThat(A.matmul(b)).isEqualTo(m(new double[] {4, -1}, new double[] {10, -1}));
        assertThat(A.matmul(A.transpose())).isEqualTo(m(new double[] {14, 32}, new double[] {32, 77}));
        assertThat(Matrix.row(1, 2).matmul(m(new double[] {3}, new double[] {4}))).isEqualTo(Matrix.scalar(11));
    }

    @Test
    void matmulOfMismatchedShapesNamesBothShapes() {
        assertThatThrownBy(() -> A.matmul(A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot multiply 2×3 by 2×3");
    }

    @Test
    void entrywiseOperationsCombineMatchingEntries() {
        Matrix b = m(new double[] {1, 1, 1}, new double[] {2, 2, 2});
        assertThat(A.plus(b)).isEqualTo(m(new double[] {2, 3, 4}, new double[] {6, 7, 8}));
        assertThat(A.minus(b)).isEqualTo(m(new double[] {0, 1, 2}, new double[] {2, 3, 4}));
        assertThat(A.hadamard(b)).isEqualTo(m(new double[] {1, 2, 3}, new double[] {8, 10, 12}));
        assertThat(A.times(-1)).isEqualTo(m(new double[] {-1, -2, -3}, new double[] {-4, -5, -6}));
        assertThat(A.map(v -> v * v)).isEqualTo(A.hadamard(A));
        assertThat(A.zip(b, Math::max)).isEqualTo(A);
    }

    @Test
    void entrywiseOperationsGiveTheBitsOfTheirFormulaEvenForSpecialValues() {
        double[] special = {0.0, -0.0, 1e-310, -3.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MAX_VALUE, 0.1, 1 / 3.0};
        int n = special.length;
        Matrix x = Matrix.build(n, n, (i, j) -> special[i]);
        Matrix y = Matrix.build(n, n, (i, j) -> special[j]);
        assertThat(x.plus(y)).isEqualTo(x.zip(y, (a, b) -> a + b));
        assertThat(x.minus(y)).isEqualTo(x.zip(y, (a, b) -> a - b));
        assertThat(x.hadamard(y)).isEqualTo(x.zip(y, (a, b) -> a * b));
        for (double f : special) {
            assertThat(x.times(f)).isEqualTo(x.map(v -> v * f));
        }
    }

    @Test
    void entrywiseOperationsOfMismatchedShapesNameBothShapes() {
        Matrix t = A.transpose();
        assertThatThrownBy(() -> A.plus(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot combine 2×3 with 3×2");
        assertThatThrownBy(() -> A.minus(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot combine 2×3 with 3×2");
        assertThatThrownBy(() -> A.hadamard(Matrix.row(1, 2, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot combine 2×3 with 1×3");
    }

    @Test
    void sumRowsAddsTheRowsIntoOneRow() {
        assertThat(A.sumRows()).isEqualTo(Matrix.row(5, 7, 9));
        assertThat(Matrix.row(1, 2).sumRows()).isEqualTo(Matrix.row(1, 2));
    }

    @Test
    void sumColsAddsEachRowIntoOneColumn() {
        assertThat(A.sumCols()).isEqualTo(m(new double[] {6}, new double[] {15}));
        assertThat(A.sumCols().shape()).isEqualTo("2×1");
        assertThat(A.sum()).isEqualTo(21.0);
    }

    @Test
    void repeatRowsStacksCopiesOfARow() {
        assertThat(Matrix.row(1, 2).repeatRows(3))
                .isEqualTo(m(new double[] {1, 2}, new double[] {1, 2}, new double[] {1, 2}));
        assertThat(Matrix.row(1, 2).repeatRows(1)).isEqualTo(Matrix.row(1, 2));
    }

    @Test
    void repeatRowsNeedsOneRowAndAPositiveCount() {
        assertThatThrownBy(() -> A.repeatRows(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("repeatRows needs a 1×n row, got 2×3");
        assertThatThrownBy(() -> Matrix.row(1, 2).repeatRows(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape must be positive, got 0×2");
    }

    @Test
    void sameShapeComparesRowsAndColumnsOnly() {
        assertThat(A.sameShape(Matrix.zeros(2, 3))).isTrue();
        assertThat(A.sameShape(A.transpose())).isFalse();
    }

    // ---------------------------------------------------------------- equals and hashCode

    @Test
    void equalMatricesHaveEqualHashCodes() {
        Matrix same = Matrix.build(2, 3, (i, j) -> 3 * i + j + 1);
        assertThat(same).isEqualTo(A).isNotSameAs(A);
        assertThat(same.hashCode()).isEqualTo(A.hashCode());
        assertThat(A).isEqualTo(A).isNotEqualTo(null).isNotEqualTo("[[1, 2, 3], [4, 5, 6]]");
    }

    @Test
    void matricesWithTheSameEntriesInAnotherShapeDiffer() {
        Matrix row = Matrix.row(1, 2, 3, 4, 5, 6);
        Matrix threeByTwo = m(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6});
        assertThat(row).isNotEqualTo(A);
        assertThat(threeByTwo).isNotEqualTo(A);
        assertThat(A.with(1, 1, 5.0000001)).isNotEqualTo(A);
    }

    @Test
    void equalsComparesEntriesBitForBit() {
        // Arrays.equals(double[], double[]) semantics: NaN equals NaN, 0.0 differs from -0.0.
        assertThat(Matrix.scalar(Double.NaN)).isEqualTo(Matrix.scalar(Double.NaN));
        assertThat(Matrix.scalar(0.0)).isNotEqualTo(Matrix.scalar(-0.0));
    }

    // ---------------------------------------------------------------- formatting

    @Nested
    class FormatUnderAGermanDefaultLocale {
        private Locale saved;

        @BeforeEach
        void useGermanLocale() {
            saved = Locale.getDefault();
            Locale.setDefault(Locale.GERMANY);
        }

        @AfterEach
        void restoreLocale() {
            Locale.setDefault(saved);
        }

        @Test
        void fractionsUseADotNotTheLocaleComma() {
            assertThat(String.format("%.1f", 0.5)).as("the default locale really is German").isEqualTo("0,5");
            assertThat(Matrix.format(0.5)).isEqualTo("0.5");
            assertThat(Matrix.format(-1.25)).isEqualTo("-1.25");
            assertThat(Matrix.format(100.5)).isEqualTo("100.5");
            assertThat(Matrix.format(123456.789)).isEqualTo("123456.789");
            assertThat(Matrix.format(0.0001)).isEqualTo("0.0001");
        }

        @Test
        void integersPrintWithoutDecimals() {
            assertThat(Matrix.format(3)).isEqualTo("3");
            assertThat(Matrix.format(-2)).isEqualTo("-2");
            assertThat(Matrix.format(0)).isEqualTo("0");
            assertThat(Matrix.format(1e14)).isEqualTo("100000000000000");
            assertThat(Matrix.format(999_999_999_999_999.0)).isEqualTo("999999999999999");
        }

        @Test
        void negativeZeroKeepsItsSign() {
            assertThat(Matrix.format(-0.0)).isEqualTo("-0");
        }

        @Test
        void smallAndLargeNumbersUseExponentsWithoutTrailingZeros() {
            assertThat(Matrix.format(1e-5)).isEqualTo("1e-05");
            assertThat(Matrix.format(2.5e-7)).isEqualTo("2.5e-07");
            assertThat(Matrix.format(1e-300)).isEqualTo("1e-300");
            assertThat(Matrix.format(1e15)).isEqualTo("1e+15");
            assertThat(Matrix.format(1.5e20)).isEqualTo("1.5e+20");
        }

        @Test
        void atMostTenSignificantDigitsArePrinted() {
            assertThat(Matrix.format(1.0 / 3)).isEqualTo("0.3333333333");
            assertThat(Matrix.format(0.1 + 0.2)).isEqualTo("0.3");
            assertThat(Matrix.format(1234567890123.5)).isEqualTo("1.23456789e+12");
        }

        @Test
        void nonFiniteValuesPrintByName() {
            assertThat(Matrix.format(Double.NaN)).isEqualTo("NaN");
            assertThat(Matrix.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
            assertThat(Matrix.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        }

        @Test
        void toStringNestsRowsInBracketsWithFormattedEntries() {
            assertThat(m(new double[] {1, 0.5}, new double[] {-1, 1e-5}).toString())
                    .isEqualTo("[[1, 0.5], [-1, 1e-05]]");
            assertThat(Matrix.scalar(0.25).toString()).isEqualTo("[[0.25]]");
        }
    }
}
