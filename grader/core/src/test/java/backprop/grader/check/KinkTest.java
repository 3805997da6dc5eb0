package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Seed 000 puts a ReLU input exactly at 0: no valid subgradient may lose points there. */
class KinkTest {

    @Test
    void theOtherSubgradientAtZeroStillEarnsFullMarksOnSeed000() {
        var results = BuggyFixturesTest.results("relu-derivative-one-at-zero").stream()
                .filter(r -> r.assignment().equals("seed-000")).toList();
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.check() + ": " + r.message())
                .isIn(Status.PASSED, Status.INCONCLUSIVE));
        assertThat(results.stream().mapToDouble(CheckResult::earned).sum())
                .isEqualTo(results.stream().mapToDouble(CheckResult::possible).sum());
        assertThat(results).filteredOn(r -> r.check().equals("dJ/dW1")).singleElement()
                .satisfies(r -> assertThat(r.message()).contains("kink"));
    }
}
