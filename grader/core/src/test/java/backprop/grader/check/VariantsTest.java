package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.graph.Network;
import backprop.grader.spec.Assignment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-student variants: own numbers per student, the same on every regrade, away from kinks, graded right. */
class VariantsTest {
    private static final Assignment A = TestFiles.assignment("seed-002b");
    private static final Grader GRADER = new Grader(List.of(A), Optional.of(TestFiles.reference()));

    @Test
    void theSameIdGetsTheSameNumbersAndAnotherIdOthers() {
        Variants.Variant alice = Variants.of(A, "alice", TestFiles.reference());
        Variants.Variant again = Variants.of(A, "alice", TestFiles.reference());
        Variants.Variant bob = Variants.of(A, "bob", TestFiles.reference());
        assertThat(alice.seed()).isEqualTo(again.seed()).isNotEqualTo(bob.seed());
        assertThat(alice.assignment().parameters()).isEqualTo(again.assignment().parameters());
        assertThat(alice.assignment().parameters().get("W1")).isNotEqualTo(bob.assignment().parameters().get("W1"))
                .isNotEqualTo(A.parameters().get("W1"));
        assertThat(alice.assignment().targets()).isEqualTo(A.targets());
    }

    @Test
    void everyReluInputStaysAwayFromZero() {
        for (String id : List.of("alice", "bob", "carol", "dave", "erin")) {
            Assignment v = Variants.of(A, id, TestFiles.reference()).assignment();
            Matrix z1 = new Network(v, TestFiles.reference()).forward(v.parameters()).values().get("z1");
            for (int j = 0; j < z1.cols(); j++) {
                assertThat(Math.abs(z1.get(0, j))).isGreaterThanOrEqualTo(0.1);
            }
        }
    }

    @Test
    void theReferenceEarnsFullMarksOnAVariantAndTheResultsCarryItsSeed() {
        List<CheckResult> results = GRADER.grade(TestFiles.reference(), Optional.of("alice"));
        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).as(r.check() + ": " + r.message()).isEqualTo(Status.PASSED);
            assertThat(r.variant()).hasValue(Variants.seed("alice", "seed-002b"));
        });
    }

    @Test
    void aBugIsCaughtOnAVariantJustAsOnThePublicNumbers() {
        List<CheckResult> results = GRADER.grade(TestFiles.fixture("batch-mean-missing"), Optional.of("alice"));
        assertThat(results).allMatch(r -> r.status() == Status.PASSED); // single example: N = 1, no 1/N to miss
        List<CheckResult> sign = GRADER.grade(TestFiles.fixture("returns-nan"), Optional.of("alice"));
        assertThat(sign).allMatch(r -> r.status() == Status.PASSED); // no sigmoid in this network
        List<CheckResult> relu = GRADER.grade(TestFiles.fixture("throws"), Optional.of("alice"));
        assertThat(relu).filteredOn(r -> r.check().equals("a1")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(Status.ERROR));
    }

    @Test
    void withoutAStudentIdTheFilesOwnNumbersAreThePublicVariant() {
        assertThat(GRADER.variant(A, Optional.empty())).isEmpty();
        assertThat(GRADER.grade(TestFiles.reference(), Optional.empty())).allMatch(r -> r.variant().isEmpty());
    }
}
