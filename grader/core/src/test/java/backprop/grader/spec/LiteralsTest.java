package backprop.grader.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.api.Matrix;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code grader fill} writes numbers: the fewest digits that read back to the same double, as YAML numbers. */
class LiteralsTest {

    @ParameterizedTest
    @CsvSource({"0.1, 0.1", "3, 3.0", "-2.5, -2.5", "100, 100.0", "0.30000000000000004, 0.30000000000000004",
        "1e-7, 1.0e-7", "-1.25e-5, -1.25e-5", "0.0001, 0.0001", "1e16, 1.0e+16", "123456789012345.6, 123456789012345.6",
        "1.5e300, 1.5e+300", "4.9e-324, 5.0e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
        "-0.0, 0.0"})
    void numbersAreWrittenInTheirShortestForm(double v, String text) {
        assertThat(Literals.number(v)).isEqualTo(text);
    }

    @Test
    void everyNumberReadsBackExactlyWithNoDigitToSpareAndIsAYamlNumber() {
        Random rng = new Random(10);
        for (int k = 0; k < 20_000; k++) {
            double v = switch (k % 4) {
                case 0 -> rng.nextGaussian();
                case 1 -> rng.nextDouble() * Math.pow(10, rng.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(rng.nextLong());
                default -> Math.round(rng.nextGaussian() * 1000) / 1000.0;
            };
            if (!Double.isFinite(v)) {
                continue;
            }
            String s = Literals.number(v);
            assertThat(Double.parseDouble(s)).as(s).isEqualTo(v == 0 ? 0.0 : v);
            assertThat(Yaml.classify(s)).as(s).isEqualTo(Yaml.Scalar.NUMBER);
            int digits = new BigDecimal(s).stripTrailingZeros().precision();
            if (digits > 1) {
                String fewer = new BigDecimal(v).round(new MathContext(digits - 1, RoundingMode.HALF_EVEN)).toString();
                assertThat(Double.parseDouble(fewer)).as("%s has a digit to spare", s).isNotEqualTo(v);
            }
        }
    }

    @Test
    void theYamlReaderTakesWhatIsWrittenForTheSameNumbers() throws SpecException {
        Matrix m = Matrix.of(new double[][] {{0.1, -3, 1e-9}, {2.5e20, 0.30000000000000004, -0.0}});
        Yaml.Node root = Yaml.parse(Path.of("m.yaml"), "m: " + Literals.matrix(m) + "\n");
        Fields f = new Fields();
        Matrix back = f.matrix(((Yaml.MapNode) root).fields().get("m"), "m").orElseThrow();
        assertThat(f.problems()).isEmpty();
        assertThat(back.toArray()).isDeepEqualTo(new double[][] {{0.1, -3, 1e-9}, {2.5e20, 0.30000000000000004, 0}});
    }

    @Test
    void matricesAreWrittenInTheFlowStyleOfTheShippedFiles() {
        assertThat(Literals.matrix(Matrix.scalar(0.5))).isEqualTo("[0.5]");
        assertThat(Literals.matrix(Matrix.row(1, -1, 0))).isEqualTo("[1.0, -1.0, 0.0]");
        assertThat(Literals.matrix(Matrix.of(new double[][] {{1, 2}, {3, 4}}))).isEqualTo("[[1.0, 2.0], [3.0, 4.0]]");
        assertThat(Literals.matrix(Matrix.of(new double[][] {{1}, {2}}), ",\n  ")).isEqualTo("[[1.0],\n  [2.0]]");
    }

    @Test
    void theLocaleDoesNotChangeTheText() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Literals.number(1234.5)).isEqualTo("1234.5");
            assertThat(Literals.number(1.5e-7)).isEqualTo("1.5e-7");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void aNumberAnAssignmentCannotHoldIsRefused() {
        assertThatThrownBy(() -> Literals.number(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Literals.number(Double.POSITIVE_INFINITY)).isInstanceOf(
                IllegalArgumentException.class);
    }
}
