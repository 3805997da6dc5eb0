package backprop.grader.run;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FiniteDifferencesTest {

    private static Function<Matrix, FiniteDifferences.Probe> smooth(Function<Matrix, Double> f) {
        return m -> new FiniteDifferences.Probe(f.apply(m), Map.of());
    }

    @Test
    void centralDifferencesOfASmoothFunctionAreAccurateToAboutTenDigits() {
        Matrix theta = Matrix.row(0.3, -1.2, 2.5);
        // f = Σ tanh(θ)·sin(θ); df/dθ = (1 − tanh²)·sin + tanh·cos
        Numeric n = FiniteDifferences.gradient(theta,
                smooth(m -> m.map(v -> Math.tanh(v) * Math.sin(v)).sum()),
                theta.map(v -> Math.tanh(v) * Math.sin(v)).sum());
        for (int j = 0; j < 3; j++) {
            double v = theta.get(0, j);
            double exact = (1 - Math.tanh(v) * Math.tanh(v)) * Math.sin(v) + Math.tanh(v) * Math.cos(v);
            assertThat(Math.abs(n.central().get(0, j) - exact)).isLessThan(1e-9);
            assertThat(n.isKink(0, j)).isFalse();
        }
    }

    @Test
    void theStepGrowsWithTheParameterSoLargeValuesStayAccurate() {
        Matrix theta = Matrix.row(1e4);
        Numeric n = FiniteDifferences.gradient(theta, smooth(m -> m.get(0, 0) * m.get(0, 0)), 1e8);
        assertThat(n.central().get(0, 0)).isCloseTo(2e4, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void aReluInputExactlyAtZeroIsMarkedAsAKinkWithBothOneSidedSlopes() {
        // f(θ) = relu(θ) at θ = 0: central difference 0.5, left slope 0, right slope 1.
        Function<Matrix, FiniteDifferences.Probe> relu = m -> new FiniteDifferences.Probe(
                Math.max(0, m.get(0, 0)), Map.of("relu", new boolean[] {m.get(0, 0) > 0}));
        Numeric n = FiniteDifferences.gradient(Matrix.row(0.0), relu, 0.0);
        assertThat(n.isKink(0, 0)).isTrue();
        assertThat(n.central().get(0, 0)).isEqualTo(0.5);
        assertThat(n.left().get(0, 0)).isEqualTo(0.0);
        assertThat(n.right().get(0, 0)).isEqualTo(1.0);
    }

    @Test
    void aReluInputAwayFromZeroIsNoKink() {
        Function<Matrix, FiniteDifferences.Probe> relu = m -> new FiniteDifferences.Probe(
                Math.max(0, m.get(0, 0)), Map.of("relu", new boolean[] {m.get(0, 0) > 0}));
        Numeric n = FiniteDifferences.gradient(Matrix.row(0.3), relu, 0.3);
        assertThat(n.isKink(0, 0)).isFalse();
        assertThat(n.central().get(0, 0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
