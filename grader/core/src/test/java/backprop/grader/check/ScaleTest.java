package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A 784-128-10 network: one zeroed entry among W1's 100,352 is caught, with and without the reference. */
class ScaleTest {
    private static final Assignment SCALE = TestFiles.assignment("scale-784-128-10");

    private static CheckResult dW1(Optional<backprop.grader.submission.Components> reference, String fixture) {
        return new Grader(List.of(SCALE), reference).grade(SCALE, TestFiles.fixture(fixture)).stream()
                .filter(r -> r.check().equals("dL/dW1")).findFirst().orElseThrow();
    }

    @Test
    void aSingleZeroedEntryIsCaughtAgainstTheReference() {
        CheckResult r = dW1(Optional.of(TestFiles.reference()), "zeroed-weight-entry");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.worst()).hasValueSatisfying(w -> assertThat(w.where()).isEqualTo("dL/dW1[5][300]"));
        assertThat(r.message()).startsWith("1 of 100352 entries wrong");
    }

    @Test
    void aSingleZeroedEntryIsCaughtByRandomDirectionsWithoutTheReference() {
        CheckResult r = dW1(Optional.empty(), "zeroed-weight-entry");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.FAILED);
        assertThat(r.message()).contains("along random direction");
    }

    @Test
    void theReferencePassesBothWays() {
        for (Optional<backprop.grader.submission.Components> ref : List.of(Optional.of(TestFiles.reference()),
                Optional.<backprop.grader.submission.Components>empty())) {
            List<CheckResult> results = new Grader(List.of(SCALE), ref).grade(SCALE, TestFiles.reference());
            assertThat(results).filteredOn(r -> r.kind().equals("gradient"))
                    .allSatisfy(r -> assertThat(r.status()).as(r.message()).isEqualTo(Status.PASSED));
        }
    }
}
