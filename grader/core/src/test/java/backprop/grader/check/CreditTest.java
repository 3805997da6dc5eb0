package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An assignment may charge one fault once, however many checkpoints downstream of it break. */
class CreditTest {

    private static List<CheckResult> grade(Path file, String fixture) throws Exception {
        Assignment a = AssignmentReader.read(file);
        return new Grader(List.of(a), Optional.of(TestFiles.reference())).grade(a, TestFiles.fixture(fixture));
    }

    @Test
    void perFaultCreditChargesOneCheckpointForOneBug(@TempDir Path dir) throws Exception {
        Path perCheckpoint = TestFiles.publicAssignments().resolve("seed-003a.yaml");
        Path perFault = dir.resolve("seed-003a.yaml");
        Files.writeString(perFault, Files.readString(perCheckpoint) + "\ncredit: per-fault\n");

        List<CheckResult> strict = grade(perCheckpoint, "tanh-derivative-from-input");
        List<CheckResult> lenient = grade(perFault, "tanh-derivative-from-input");

        long lostStrict = strict.stream().filter(r -> r.earned() < r.possible()).count();
        List<CheckResult> lost = lenient.stream().filter(r -> r.earned() < r.possible()).toList();
        assertThat(lostStrict).isGreaterThan(2);
        assertThat(lost).singleElement().satisfies(r -> assertThat(r.component()).hasValue("Tanh.backward"));
        assertThat(lenient).filteredOn(r -> r.message().contains("credited")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.message()).contains("is deducted once"));
    }

    @Test
    void anUnknownCreditPolicyIsAProblemAtItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.yaml");
        String text = Files.readString(TestFiles.publicAssignments().resolve("seed-004.yaml"));
        Files.writeString(file, text + "credit: lenient\n");
        int line = (int) text.lines().count() + 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AssignmentReader.read(file))
                .hasMessageContaining(":" + line + ":").hasMessageContaining("credit must be 'per-checkpoint' or "
                        + "'per-fault'");
    }
}
