package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StubGradingTest {
    private final List<CheckResult> results = new Grader(TestFiles.assignments(), Optional.of(TestFiles.reference()))
            .grade(TestFiles.stubs());

    @Test
    void untouchedStubsScoreZero() {
        assertThat(results).isNotEmpty();
        assertThat(results.stream().mapToDouble(CheckResult::earned).sum()).isZero();
    }

    @Test
    void everyStubCheckSaysWhichMethodIsNotImplementedInOneLine() {
        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isIn(Status.ERROR, Status.SKIPPED);
            assertThat(r.message()).contains("not implemented yet: ")
                    .containsPattern("not implemented yet: [A-Z][A-Za-z]+\\.[a-z]+")
                    .doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        });
    }

    @Test
    void errorsNameTheMethodOfTheirOwnCheckAndSkipsNameThePrerequisite() {
        assertThat(results).filteredOn(r -> r.check().equals("sigmoid › backward")).singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo("not implemented yet: Sigmoid.backward"));
        assertThat(results).filteredOn(r -> r.assignment().equals("seed-000") && r.kind().equals("gradient"))
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(Status.SKIPPED);
                    assertThat(r.message()).startsWith("needs the forward pass, which failed at 'a1'");
                });
    }
}
