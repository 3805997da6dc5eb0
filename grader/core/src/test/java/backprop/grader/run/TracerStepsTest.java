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

    @Test
    void aChildLearnsWhichStepsToKeepFromItsPlanAlone() throws Exception {
        String yaml = Files.readString(TestFiles.publicAssignments().resolve("seed-004.yaml"))
                .replaceFirst("after_steps: 1", "after_steps: 40").replaceAll("(?m)^(\\s+expected: ).*$",
                        "$1reference");
        Assignment a = AssignmentReader.read(Path.of("steps.yaml"), yaml);
        assertThat(TracePlan.of(a).steps()).isEqualTo(40);
        assertThat(TracePlan.of(a).kept()).containsExactly(1, 40);

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        backprop.grader.sandbox.Codec.writeJob(bytes, backprop.grader.sandbox.Codec.Job.of(new byte[16], "s", 4,
                java.util.List.of(a)));
        backprop.grader.sandbox.Codec.Job job = backprop.grader.sandbox.Codec.readJob(
                new java.io.ByteArrayInputStream(bytes.toByteArray()));
        assertThat(job.assignments().get(0).checkpoints()).isEmpty();
        Trace t = Tracer.trace(job.assignments().get(0), TestFiles.reference(), job.plans().get(0));
        assertThat(t.parametersAfter().keySet()).containsExactly(1, 40);
    }
}
