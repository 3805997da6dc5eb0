package backprop.grader.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's values shipped with a student's repository: exact, complete, and never silently stale. */
class ExpectedValuesTest {
    @TempDir
    Path dir;

    private static List<Assignment> publicAssignments() throws IOException {
        return AssignmentSet.load(List.of(TestFiles.publicAssignments())).assignments();
    }

    @Test
    void theValuesReadBackBitForBitAsTheReferenceComputedThem() throws IOException {
        List<Assignment> all = publicAssignments();
        ExpectedValues read = ExpectedValues.read(TestFiles.expectedValues(), all);
        for (Assignment a : all) {
            if (a.unitChecks().isEmpty() && a.checkpoints().stream().noneMatch(c -> c.fromReference())) {
                assertThat(read.trace(a)).as(a.id()).isEmpty();
                continue;
            }
            Trace ref = Tracer.trace(a, TestFiles.reference());
            Trace got = read.trace(a).orElseThrow();
            got.units().forEach((op, u) -> {
                assertThat(u.output().value()).as(a.id() + " " + op).isEqualTo(ref.units().get(op).output().value());
                assertThat(u.backward().value()).as(a.id() + " " + op)
                        .isEqualTo(ref.units().get(op).backward().value());
            });
            assertThat(got.units().keySet()).containsExactlyElementsOf(ref.units().keySet());
            got.gradients().get().ifPresent(g -> g.forEach((node, m) ->
                    assertThat(m).as(a.id() + " " + node).isEqualTo(ref.gradients().value().get(node))));
        }
        Assignment scale = all.stream().filter(a -> a.id().equals("scale-784-128-10")).findFirst().orElseThrow();
        assertThat(read.trace(scale).orElseThrow().gradients().value()).containsOnlyKeys("W1", "b1", "W2", "b2");
    }

    @Test
    void aFileMadeFromOtherInputsIsRefusedByName() throws IOException {
        String text = Files.readString(TestFiles.expectedValues());
        String relu = text.substring(text.indexOf("\"relu\""));
        int at = relu.indexOf("\"inputs\" : \"") + 12;
        String print = relu.substring(at, at + 16);
        Path bad = dir.resolve(ExpectedValues.FILE);
        Files.writeString(bad, text.replace(print, "0000000000000000"));
        Files.copy(TestFiles.expectedValues().resolveSibling("expected-values.bin"), dir.resolve("expected-values.bin"));
        assertThatThrownBy(() -> ExpectedValues.read(bad, publicAssignments())).isInstanceOf(IOException.class)
                .hasMessageContaining("ops › relu").hasMessageContaining("other inputs");
    }

    @Test
    void aMissingOrShortSideFileIsNamed() throws IOException {
        Path json = dir.resolve(ExpectedValues.FILE);
        Files.copy(TestFiles.expectedValues(), json);
        assertThatThrownBy(() -> ExpectedValues.read(json, publicAssignments()))
                .hasMessageContaining("missing " + dir.resolve("expected-values.bin"));
        byte[] side = Files.readAllBytes(TestFiles.expectedValues().resolveSibling("expected-values.bin"));
        Files.write(dir.resolve("expected-values.bin"), java.util.Arrays.copyOf(side, side.length / 2));
        assertThatThrownBy(() -> ExpectedValues.read(json, publicAssignments())).hasMessageStartingWith("cannot read "
                + json).hasMessageContaining("side file is shorter");
    }

    @Test
    void aMissingOrBrokenFileSaysWhatToDo() throws IOException {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ExpectedValues.read(missing, publicAssignments()))
                .hasMessageContaining("missing " + missing).hasMessageContaining("restore it");
        Files.write(dir.resolve("broken.bin"), new byte[0]);
        Files.write(dir.resolve("other.bin"), new byte[0]);
        Files.write(dir.resolve("future.bin"), new byte[0]);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"format\": 1, \"assignments\": {\"ops\": [1, 2");
        assertThatThrownBy(() -> ExpectedValues.read(broken, publicAssignments()))
                .hasMessageStartingWith("cannot read " + broken);
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\": 1, \"assignments\": {}}");
        assertThatThrownBy(() -> ExpectedValues.read(other, publicAssignments()))
                .hasMessageContaining("has no values for ops");
        Path future = dir.resolve("future.json");
        Files.writeString(future, "{\"format\": 2, \"assignments\": {}}");
        assertThatThrownBy(() -> ExpectedValues.read(future, publicAssignments())).hasMessageContaining("format 2");
    }
}
