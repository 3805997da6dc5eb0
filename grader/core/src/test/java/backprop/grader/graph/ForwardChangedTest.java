package backprop.grader.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Outcome;
import backprop.grader.run.Probes;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * A finite-difference pass that runs only the nodes depending on the moved value gives, bit for bit, what a pass
 * over the whole network gives: on every public assignment, for the reference and for submissions with bugs.
 */
class ForwardChangedTest {

    static Stream<String> submissions() {
        return Stream.of("reference", "affine-backward-no-transpose", "batch-mean-missing", "loss-half-missing",
                "relu-derivative-one-at-zero", "sigmoid-derivative-as-sigmoid", "tanh-derivative-from-input",
                "returns-nan", "zeroed-weight-entry");
    }

    private static Components components(String name) {
        return name.equals("reference") ? TestFiles.reference() : TestFiles.fixture(name);
    }

    @ParameterizedTest
    @MethodSource("submissions")
    void probesOfTheChangedPartAreThoseOfTheWholeNetwork(String name) {
        Components c = components(name);
        int compared = 0;
        for (Assignment a : TestFiles.assignments()) {
            TracePlan plan = TracePlan.of(a);
            if (a.graph().isEmpty()) {
                continue;
            }
            Network net = new Network(a, c, new HashSet<>(plan.probed()));
            Network.Forward fw = net.forward(a.parameters());
            if (!fw.ok()) {
                continue;
            }
            Outcome<Map<String, Matrix>> grads = Outcome.capture(() -> net.backward(fw));
            for (String t : plan.probed()) {
                Matrix theta = fw.values().get(t);
                FiniteDifferences.Plan lines = FiniteDifferences.plan(theta.rows(), theta.cols(),
                        Tracer.probeSeed(a, t));
                Optional<Matrix> analytic = grads.get().map(g -> g.get(t));
                Outcome<Probes> whole = probe(theta, m -> Tracer.objectiveWith(net, t, m), fw, a, lines, analytic);
                Outcome<Probes> changed = probe(theta, m -> Tracer.objectiveFrom(net, fw, t, m), fw, a, lines,
                        analytic);
                assertThat(changed).as("%s / %s / %s", name, a.id(), t).isEqualTo(whole);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(40);
    }

    private static Outcome<Probes> probe(Matrix theta, ToDoubleFunction<Matrix> f, Network.Forward fw, Assignment a,
            FiniteDifferences.Plan lines, Optional<Matrix> analytic) {
        return Outcome.capture(() -> FiniteDifferences.probe(theta, f, fw.objective(a), lines, analytic));
    }

    @Test
    void aChangedNodeKeepsEveryValueItDoesNotReach() {
        Assignment a = TestFiles.assignment("scale-784-128-10");
        Network net = new Network(a, TestFiles.reference());
        Network.Forward fw = net.forward(a.parameters());
        Matrix w2 = a.parameters().get("W2");
        Network.Forward moved = net.forwardChanged(fw, "W2", w2.with(0, 0, w2.get(0, 0) + 1));
        for (String kept : List.of("x", "W1", "b1", "z1", "h1")) {
            assertThat(moved.values().get(kept)).as(kept).isSameAs(fw.values().get(kept));
        }
        assertThat(moved.values().get("z2")).isNotEqualTo(fw.values().get("z2"));
        assertThat(moved.values().get("L")).isNotEqualTo(fw.values().get("L"));
        Network.Forward whole = net.forward(Map.of("W1", a.parameters().get("W1"), "b1", a.parameters().get("b1"),
                "W2", w2.with(0, 0, w2.get(0, 0) + 1), "b2", a.parameters().get("b2")));
        assertThat(moved.values()).isEqualTo(whole.values());
    }

    @Test
    void aFailedBasePassIsRefused() {
        Assignment a = TestFiles.assignment("seed-000");
        Network net = new Network(a, TestFiles.fixture("throws"));
        Network.Forward fw = net.forward(a.parameters());
        assertThat(fw.ok()).isFalse();
        assertThatThrownBy(() -> net.forwardChanged(fw, a.parameters().keySet().iterator().next(),
                Matrix.zeros(1, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
