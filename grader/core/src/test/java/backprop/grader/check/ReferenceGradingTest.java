package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class ReferenceGradingTest {

    @TestFactory
    Stream<DynamicTest> referenceEarnsEveryPointOfEveryAssignment() {
        Grader grader = new Grader(TestFiles.assignments(), Optional.of(TestFiles.reference()));
        return grader.assignments().stream().map(a -> DynamicTest.dynamicTest(a.id(), () -> {
            List<CheckResult> results = grader.grade(a, TestFiles.reference());
            assertThat(results).isNotEmpty();
            assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.check() + ": " + r.message())
                    .isIn(Status.PASSED, Status.INCONCLUSIVE));
            assertThat(results.stream().mapToDouble(CheckResult::earned).sum()).isEqualTo(a.maxPoints());
        }));
    }

    @TestFactory
    Stream<DynamicTest> referenceEarnsEveryPointAgainstTheFilesAloneToo() {
        Grader grader = new Grader(TestFiles.assignments(), Optional.empty());
        return grader.assignments().stream().map(a -> DynamicTest.dynamicTest(a.id(), () -> {
            List<CheckResult> results = grader.grade(a, TestFiles.reference());
            assertThat(results).noneMatch(r -> r.status() == Status.FAILED || r.status() == Status.ERROR);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyShippedAssignmentAgreesWithTheReference() {
        Grader grader = new Grader(TestFiles.assignments(), Optional.of(TestFiles.reference()));
        return grader.assignments().stream().map(a -> DynamicTest.dynamicTest(a.id(),
                () -> assertThat(Validator.validate(a, grader)).isEmpty()));
    }

    @org.junit.jupiter.api.Test
    void seed000WithReluInputsAtZeroGetsFullMarksAndNoteTheKinks() {
        Assignment a = TestFiles.assignment("seed-000");
        Grader grader = new Grader(List.of(a), Optional.of(TestFiles.reference()));
        List<CheckResult> results = grader.grade(a, TestFiles.reference());
        assertThat(results).allMatch(r -> r.status() == Status.PASSED);
        assertThat(results).anySatisfy(r -> assertThat(r.message()).contains("kink"));
    }
}
