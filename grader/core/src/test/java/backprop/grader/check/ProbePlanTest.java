package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Probes;
import backprop.grader.run.Trace;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which lines finite differences probe. Where values judge every entry of a gradient (the file's, or the
 * reference's when grading), they only check that the forward pass fits the gradient, and a large tensor is
 * probed along random directions alone; where nothing else judges it (a student's run without the reference's
 * values), sampled entries are probed too. Fewer lines can only keep points a submission earned, never give any:
 * finite differences only take points back. And the grader evaluates kinks only on lines of its own plan.
 */
class ProbePlanTest {

    private static Probes probes(Trace t, String target) {
        return t.probes().get(target).get().orElseThrow();
    }

    @Test
    void gradedALargeTensorIsProbedAlongDirectionsOnlyAndASmallOneAtEveryEntry() {
        for (Assignment a : TestFiles.assignments()) {
            TracePlan graded = TracePlan.of(a, true);
            assertThat(graded.sampled()).as(a.id()).isEmpty();
            Trace t = Tracer.trace(a, TestFiles.reference(), graded);
            for (String target : graded.probed()) {
                int size = t.forward().get(target).size();
                List<Probes.Line> lines = probes(t, target).lines();
                if (size <= FiniteDifferences.FULL) {
                    assertThat(lines).as(a.id() + " " + target).hasSize(size).noneMatch(Probes.Line::isDirection);
                } else {
                    assertThat(lines).as(a.id() + " " + target).hasSize(FiniteDifferences.DIRECTIONS)
                            .allMatch(Probes.Line::isDirection);
                }
            }
        }
    }

    @Test
    void withoutTheReferencesValuesFiniteDifferencesJudgeAndSampleEntriesToo() {
        Assignment scale = TestFiles.assignment("scale-784-128-10");
        TracePlan local = TracePlan.of(scale, false);
        assertThat(local.sampled()).containsExactly("W1", "b1", "W2", "b2");
        // values exported for some gradients only: the others are judged by finite differences alone
        assertThat(TracePlan.of(scale, target -> target.equals("W1")).sampled()).containsExactly("b1", "W2", "b2");
        Trace t = Tracer.trace(scale, TestFiles.reference(), local);
        assertThat(probes(t, "W1").lines()).hasSize(FiniteDifferences.SAMPLED_ENTRIES + FiniteDifferences.DIRECTIONS);
        // the directions are the same lines either way, so a local run and the grade probe them alike
        List<Long> seeds = probes(Tracer.trace(scale, TestFiles.reference(), TracePlan.of(scale, true)), "W1")
                .lines().stream().map(Probes.Line::seed).toList();
        assertThat(probes(t, "W1").lines().stream().filter(Probes.Line::isDirection).map(Probes.Line::seed))
                .containsExactlyElementsOf(seeds);
        // a file's own expected values judge its gradients wherever it is graded
        Assignment seed = TestFiles.assignment("seed-000");
        assertThat(seed.checkpoints()).anyMatch(cp -> cp.kind() == Checkpoint.Kind.GRADIENT && !cp.fromReference());
        assertThat(TracePlan.of(seed, false).sampled()).isEmpty();
        assertThat(TracePlan.of(seed).sampled()).isEqualTo(TracePlan.of(seed).probed());
    }

    @Test
    void aForwardPassThatIgnoresMovedWeightsLosesItsGradientPointsAlongTheDirections() {
        Assignment scale = TestFiles.assignment("scale-784-128-10");
        Grader grader = new Grader(List.of(scale), Optional.of(TestFiles.reference()));
        List<CheckResult> rs = grader.grade(scale, TestFiles.fixture("affine-forward-ignores-moved-weights"));
        for (String id : List.of("dL/dW1", "dL/db1", "dL/dW2", "dL/db2")) {
            CheckResult r = rs.stream().filter(x -> x.check().equals(id)).findFirst().orElseThrow();
            assertThat(r.status()).as(id + ": " + r.message()).isEqualTo(Status.FAILED);
            assertThat(r.message()).as(id).contains("your gradient matches, but finite differences")
                    .contains("not the function your gradient differentiates");
        }
        CheckResult w1 = rs.stream().filter(x -> x.check().equals("dL/dW1")).findFirst().orElseThrow();
        assertThat(w1.message()).contains("along random direction");
        assertThat(rs.stream().filter(x -> x.check().equals("L")).findFirst().orElseThrow().status())
                .isEqualTo(Status.PASSED);
        // the reference, graded the same way, earns every point
        assertThat(grader.grade(scale, TestFiles.reference())).allSatisfy(r -> assertThat(r.status())
                .as(r.check() + ": " + r.message()).isEqualTo(Status.PASSED));
    }

    @Test
    void kinksAreEvaluatedOnTheGradersOwnLinesOnlyWhateverAChildSends() throws Exception {
        // the third hidden unit of this network has input exactly 0 on every example
        Assignment a = AssignmentReader.read(Path.of("inline.yaml"), RightAnswersTest.KINK_STEPS);
        double[] none = new double[0];
        List<Probes.Line> lines = List.of(
                new Probes.Line(2, 0, 0, none, none, none), // through the kink: W1[2][0] moves a1[0][2] off 0
                new Probes.Line(0, 0, 0, none, none, none), // far from any kink
                new Probes.Line(7, 9, 0, none, none, none), // outside the tensor: not a line of the plan
                new Probes.Line(-1, -1, 12345, none, none, none)); // a direction the plan (all entries) lacks
        boolean[] straddled = Kinks.straddled(a, TestFiles.reference(), "W1", lines);
        assertThat(straddled).containsExactly(true, false, false, false);
        // the authority keys what it keeps by the lines, so other lines get their own answer
        Authority authority = Authority.of(a, TestFiles.reference());
        assertThat(authority.straddled("W1", new Probes(0, lines))).containsExactly(true, false, false, false);
        assertThat(authority.straddled("W1", new Probes(0, lines.subList(1, 2)))).containsExactly(false);
    }
}
