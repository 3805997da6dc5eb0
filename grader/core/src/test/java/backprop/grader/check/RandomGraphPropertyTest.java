package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Problem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A right answer is accepted on any network an instructor writes: on random graphs over every op (see
 * {@link RandomGraphs}), the reference earns every point, its gradients agree with finite differences of its
 * own forward pass, and a submission that takes {@code ReLU'(0) = 1} (another valid subgradient) loses nothing,
 * its optimizer steps included. Seeded and bounded, so the suite stays fast and a failure can be replayed.
 */
class RandomGraphPropertyTest {
    /** Graphs per run; {@code -Dgrader.test.graphs=N} runs more. */
    private static final int COUNT = Integer.getInteger("grader.test.graphs", 60);

    @TestFactory
    Stream<DynamicTest> theReferenceEarnsEveryPointOnRandomGraphs() {
        return LongStream.range(0, COUNT).mapToObj(seed -> DynamicTest.dynamicTest("graph " + seed, () -> {
            RandomGraphs.Generated g = RandomGraphs.of(seed);
            Assignment a = AssignmentReader.read(Path.of("random-" + seed + ".yaml"), g.yaml());
            Grader grader = new Grader(List.of(a), Optional.of(TestFiles.reference()));
            List<Problem> problems = Validator.validate(a, grader);
            assertThat(problems).as(g.features() + "\n" + g.yaml()).isEmpty();
            List<CheckResult> other = grader.grade(a, TestFiles.fixture("relu-derivative-one-at-zero"));
            assertThat(other).as(g.features() + "\n" + g.yaml()).allSatisfy(r -> assertThat(r.status().earnsPoints())
                    .as(r.check() + ": " + r.message()).isTrue());
            // and the checks are not vacuous: every gradient off by 1 % fails wherever it is not zero
            Trace ref = grader.referenceTrace(a).orElseThrow();
            Map<String, Matrix> off = new LinkedHashMap<>();
            ref.gradients().value().forEach((k, v) -> off.put(k, v.times(1.01)));
            Trace wrong = new Trace(ref.forward(), ref.failedNode(), ref.forwardFault(), Outcome.of(off),
                    ref.probes(), ref.parametersAfter(), ref.units());
            for (CheckResult r : Checker.check(a, wrong, grader.authority(a, TestFiles.reference()))) {
                if (r.kind().equals("gradient") && r.worst().map(w -> Math.abs(w.expected()) > 1e-3).orElse(false)) {
                    assertThat(r.status()).as(r.check()).isEqualTo(Status.FAILED);
                }
            }
        }));
    }
}
