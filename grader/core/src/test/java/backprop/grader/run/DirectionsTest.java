package backprop.grader.run;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import org.junit.jupiter.api.Test;

/** The random directions of finite differences, kept once drawn: the same numbers, bounded memory. */
class DirectionsTest {

    @Test
    void aKeptDirectionIsTheOneDrawnAfreshBitForBit() {
        for (long seed : new long[] {0, 1, -7, Long.MAX_VALUE, 0x5DEECE66DL}) {
            Matrix kept = FiniteDifferences.direction(seed, 128, 784);
            assertThat(kept).isEqualTo(FiniteDifferences.drawDirection(seed, 128, 784));
            assertThat(FiniteDifferences.direction(seed, 128, 784)).isSameAs(kept);
            assertThat(kept.hadamard(kept).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void theSameSeedOfAnotherShapeIsAnotherDirection() {
        Matrix a = FiniteDifferences.direction(42, 10, 128);
        Matrix b = FiniteDifferences.direction(42, 128, 10);
        assertThat(b.rows()).isEqualTo(128);
        assertThat(a.rows()).isEqualTo(10);
        assertThat(FiniteDifferences.direction(42, 1, 1280)).isEqualTo(FiniteDifferences.drawDirection(42, 1, 1280));
    }

    @Test
    void manyLargeDirectionsDropTheLeastRecentlyUsedAndStayRight() {
        Matrix first = FiniteDifferences.direction(-1, 1024, 1024);
        for (long seed = 1000; seed < 1005; seed++) {
            FiniteDifferences.direction(seed, 1024, 1024); // 5 Mi entries: more than are kept
        }
        Matrix again = FiniteDifferences.direction(-1, 1024, 1024);
        assertThat(again).isNotSameAs(first).isEqualTo(first);
    }
}
