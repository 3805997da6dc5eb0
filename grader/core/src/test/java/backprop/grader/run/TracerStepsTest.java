package backprop.grader.run;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A trace keeps the parameters of the steps checkpoints ask for, not of every step on the way (issue 10). */
class TracerStepsTest {

    @Test
    void onlyTheStepsCheckpointsAskForAreKept() throws Exception {
        String yaml = Files.readString(TestFiles.publicAssignments().resolve("seed-004.yaml"))
                .replaceFirst("after_steps: 1", "after_steps: 40").replaceFirst("after_steps: 1\n",
                        "after_steps: 7\n");
        Assignment a = AssignmentReader.read(Path.of("steps.yaml"), yaml.replaceAll("(?m)^(\\s+expected: ).*$",
                "$1reference"));

        Trace t = Tracer.trace(a, TestFiles.reference());

        assertThat(t.parametersAfter().keySet()).containsExactlyInAnyOrder(1, 7, 40);
        assertThat(t.parametersAfter().values()).allSatisfy(o -> assertThat(o.ok()).isTrue());
    }
}
