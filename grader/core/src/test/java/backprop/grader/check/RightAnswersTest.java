package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.submission.Components;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One regression test per way a right answer used to lose points: finite differences near a saturated sigmoid,
 * a loss between two computed nodes, the gradient of a target, and optimizer steps taken from another valid
 * subgradient at a ReLU kink.
 */
class RightAnswersTest {

    private static Assignment read(String yaml) throws Exception {
        return AssignmentReader.read(Path.of("inline.yaml"), yaml);
    }

    private static List<CheckResult> grade(Assignment a, Components c) {
        return new Grader(List.of(a), Optional.of(TestFiles.reference())).grade(a, c);
    }

    private static CheckResult check(List<CheckResult> rs, String id) {
        return rs.stream().filter(r -> r.check().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + rs));
    }

    private static void assertFullMarks(List<CheckResult> rs) {
        assertThat(rs).isNotEmpty().allSatisfy(r -> assertThat(r.status().earnsPoints())
                .as(r.check() + ": " + r.message()).isTrue());
    }

    /** A sigmoid output within {@code gap} of 0 and of 1, each under binary cross-entropy. */
    private static String saturated(double bias) {
        return """
                id: saturated
                title: saturated sigmoid
                source: regression test
                description: |
                  An output unit pushed to within 1e-4 of 0 and another to within 1e-4 of 1.
                inputs:
                  x: [[0.5, -0.25], [1.0, 0.75]]
                targets:
                  t: [[1.0, 0.0], [1.0, 0.0]]
                parameters:
                  W: [[0.1, -0.2], [0.3, 0.05]]
                  b: [%1$s, %2$s]
                graph:
                  - {node: z, op: affine, inputs: [x, W, b]}
                  - {node: y, op: sigmoid, inputs: [z]}
                  - {node: L, op: binary_cross_entropy, inputs: [y, t]}
                loss: L
                checkpoints:
                  - {forward: y, expected: reference}
                  - {gradient: y, expected: reference}
                  - {gradient: z, expected: reference}
                  - {gradient: W, expected: reference}
                  - {gradient: b, expected: reference}
                """.formatted(Double.toString(-bias), Double.toString(bias));
    }

    @Test
    void aCorrectGradientNearASaturatedSigmoidPassesItsFiniteDifferenceCheck() throws Exception {
        for (double bias : new double[] {6.9, 9.2, 9.5}) { // σ ≈ 1e-3, 1e-4 and 7.5e-5 from the ends
            Assignment a = read(saturated(bias));
            Grader grader = new Grader(List.of(a), Optional.of(TestFiles.reference()));
            assertThat(Validator.validate(a, grader)).as("bias " + bias).isEmpty();
            assertFullMarks(grader.grade(a, TestFiles.reference()));
        }
    }

    private static final String TWIN = """
            id: twin
            title: twin branches compared by squared error
            source: regression test
            description: |
              Two inputs through one shared affine layer and a tanh; the loss compares the two outputs.
            inputs:
              xa: [[1.0, -0.5], [0.25, 2.0]]
              xb: [[0.5, 1.5], [-1.0, 0.5]]
            targets:
              t: [[0.5, -0.5], [0.0, 1.0]]
            parameters:
              W: [[0.4, -0.3], [0.2, 0.6]]
              b: [0.1, -0.2]
              V: [[0.7, 0.1], [-0.4, 0.3]]
            graph:
              - {node: za, op: affine, inputs: [xa, W, b]}
              - {node: ya, op: tanh, inputs: [za]}
              - {node: zb, op: affine, inputs: [xb, W, b]}
              - {node: yb, op: tanh, inputs: [zb]}
              - {node: u, op: linear, inputs: [t, V]}
              - {node: s, op: add, inputs: [yb, u]}
              - {node: L, op: squared_error, inputs: [ya, s]}
            loss: L
            checkpoints:
              - {gradient: ya, expected: reference}
              - {gradient: s, expected: reference}
              - {gradient: yb, expected: reference}
              - {gradient: W, expected: reference}
              - {gradient: V, expected: reference}
              - {gradient: t, expected: reference}
            """;

    @Test
    void aLossBetweenTwoComputedNodesSendsItsGradientIntoBothBranches() throws Exception {
        Assignment a = read(TWIN);
        Grader grader = new Grader(List.of(a), Optional.of(TestFiles.reference()));
        assertThat(Validator.validate(a, grader)).isEmpty();
        Matrix dya = grader.referenceTrace(a).orElseThrow().gradients().value().get("ya");
        Matrix ds = grader.referenceTrace(a).orElseThrow().gradients().value().get("s");
        assertThat(ds).isEqualTo(dya.times(-1)); // ½‖ya − s‖²: the second input gets the gradient's opposite
        assertThat(ds.hadamard(ds).sum()).isPositive();
        assertFullMarks(grader.grade(a, TestFiles.reference()));
        // a reverse pass that treats the loss's second input as a constant is caught on the second branch
        assertThat(check(grader.grade(a, TestFiles.fixture("loss-target-constant")), "dL/dV").status())
                .isEqualTo(Status.FAILED);
    }

    @Test
    void theGradientOfATargetIsComputedAndIncludesEveryUseOfIt() throws Exception {
        Assignment a = read(TWIN);
        Matrix t = a.targets().get("t");
        Grader grader = new Grader(List.of(a), Optional.of(TestFiles.reference()));
        var ref = grader.referenceTrace(a).orElseThrow();
        Matrix ds = ref.gradients().value().get("s");
        Matrix viaLinear = ds.matmul(a.parameters().get("V"));
        // t reaches the loss only through u = t Vᵀ here, so dL/dt is that product, not zero
        assertThat(ref.gradients().value().get("t")).isEqualTo(viaLinear);
        assertThat(t.sameShape(viaLinear)).isTrue();
        String direct = """
                id: target
                title: the gradient of a target
                source: regression test
                description: |
                  ½ (y − t)² with y = W x: dL/dt = t − y.
                inputs:
                  x: [1.0, 2.0]
                targets:
                  t: [0.5]
                parameters:
                  W: [[0.25, 0.5]]
                graph:
                  - {node: y, op: linear, inputs: [x, W]}
                  - {node: L, op: squared_error, inputs: [y, t]}
                loss: L
                checkpoints:
                  - {gradient: t, expected: [-0.75]}
                """;
        Assignment d = read(direct);
        assertThat(Validator.validate(d, new Grader(List.of(d), Optional.of(TestFiles.reference())))).isEmpty();
    }

    static final String KINK_STEPS = """
            id: kink-steps
            title: a ReLU unit held at 0, trained with momentum
            source: regression test
            description: |
              The third hidden unit's weights and bias are 0, so its input is exactly 0 on every example.
            inputs:
              x: [[1.0, 0.0], [0.5, -1.0]]
            targets:
              t: [[2.0], [1.0]]
            parameters:
              W1: [[1.0, 0.0], [-1.0, 1.0], [0.0, 0.0]]
              b1: [0.0, 0.5, 0.0]
              W2: [[1.0, 2.0, 1.0]]
              b2: [0.0]
            graph:
              - {node: a1, op: affine, inputs: [x, W1, b1]}
              - {node: h, op: relu, inputs: [a1]}
              - {node: z, op: affine, inputs: [h, W2, b2]}
              - {node: J, op: squared_error, inputs: [z, t]}
            loss: J
            optimizer: {method: sgd, learning_rate: 0.1, momentum: 0.9}
            checkpoints:
              - {gradient: W1, expected: reference}
              - {gradient: b1, expected: reference}
              - {gradient: W2, expected: reference}
              - {gradient: b2, expected: reference}
              - {parameter: W1, after_steps: 1, expected: reference}
              - {parameter: b1, after_steps: 1, expected: reference}
              - {parameter: W1, after_steps: 3, expected: reference}
              - {parameter: b1, after_steps: 3, expected: reference}
              - {parameter: W2, after_steps: 3, expected: reference}
            """;

    @Test
    void optimizerStepsFromAnotherValidSubgradientAtAKinkAreAccepted() throws Exception {
        Assignment a = read(KINK_STEPS);
        for (String valid : List.of("relu-derivative-one-at-zero", "relu-derivative-half-at-zero")) {
            List<CheckResult> rs = grade(a, TestFiles.fixture(valid));
            assertFullMarks(rs);
            assertThat(check(rs, "W1 after 3 steps").message()).as(valid).contains("valid subgradient");
        }
        assertFullMarks(grade(a, TestFiles.reference()));
    }

    @Test
    void aValueOutsideTheSubgradientsOrAWrongStepStillFails() throws Exception {
        Assignment a = read(KINK_STEPS);
        List<CheckResult> two = grade(a, TestFiles.fixture("relu-derivative-two-at-zero"));
        assertThat(check(two, "dJ/dW1").status()).isEqualTo(Status.FAILED);
        assertThat(check(two, "W1 after 1 step").status()).isEqualTo(Status.SKIPPED);
        List<CheckResult> ascent = grade(a, TestFiles.fixture("optimizer-adds-gradient"));
        assertThat(check(ascent, "dJ/dW1").status()).isEqualTo(Status.PASSED);
        assertThat(check(ascent, "W1 after 1 step").status()).isEqualTo(Status.FAILED);
        assertThat(check(ascent, "W2 after 3 steps").status()).isEqualTo(Status.FAILED);
    }
}
