package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The binary codec: exact round trips, nothing expected reaches the child, hostile bytes are rejected. */
class CodecTest {

    @Test
    void everyTraceOfTheReferenceAndOfTheStubsRoundTripsExactly() throws IOException {
        for (Assignment a : TestFiles.assignments()) {
            for (var c : List.of(TestFiles.reference(), TestFiles.stubs(), TestFiles.fixture("returns-nan"))) {
                Trace t = Tracer.trace(a, c);
                assertThat(Codec.trace(Codec.trace(t))).as(a.id() + " " + c.label()).isEqualTo(t);
            }
        }
    }

    @Test
    void nanInfinityAndNegativeZeroKeepTheirBits() throws IOException {
        Matrix odd = Matrix.row(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
                0.1 + 0.2);
        Trace t = new Trace(Map.of("x", odd), Optional.of("h"), Optional.of("Relu.forward threw …"),
                Outcome.failed("no"), Map.of(), Map.of(1, Outcome.of(Map.of("W", odd))), Map.of());
        Matrix back = Codec.trace(Codec.trace(t)).forward().get("x");
        for (int j = 0; j < odd.cols(); j++) {
            assertThat(Double.doubleToRawLongBits(back.get(0, j))).isEqualTo(Double.doubleToRawLongBits(odd.get(0, j)));
        }
    }

    @Test
    void aStrippedJobCarriesNoExpectedValueAndTracesTheSame() throws IOException {
        List<Assignment> all = TestFiles.assignments();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] nonce = Sandbox.nonce();
        Codec.writeJob(b, Codec.Job.of(nonce, "someone", 64, all));
        Codec.Job job = Codec.readJob(new ByteArrayInputStream(b.toByteArray()));
        assertThat(job.nonce()).isEqualTo(nonce);
        assertThat(job.label()).isEqualTo("someone");
        for (int i = 0; i < all.size(); i++) {
            Assignment original = all.get(i);
            Assignment sent = job.assignments().get(i);
            assertThat(sent.id()).isEqualTo(original.id());
            assertThat(sent.title()).isEmpty();
            assertThat(sent.parameterOrigins()).isEmpty();
            assertThat(sent.maxPoints()).isZero();
            assertThat(sent.checkpoints()).isEmpty();
            // graded, every gradient has values to compare with: no entry is sampled for finite differences
            assertThat(job.plans().get(i)).isEqualTo(TracePlan.of(original, true));
            assertThat(job.plans().get(i).sampled()).isEmpty();
            assertThat(Tracer.trace(sent, TestFiles.reference(), job.plans().get(i))).as(original.id())
                    .isEqualTo(Tracer.trace(original, TestFiles.reference(), TracePlan.of(original, true)));
        }
        // no expected value of any checkpoint appears in the bytes, unless it is also an input the child needs
        byte[] bytes = b.toByteArray();
        Assignment seed000 = all.stream().filter(a -> a.id().equals("seed-000")).findFirst().orElseThrow();
        Matrix dw1 = seed000.checkpoints().stream().filter(c -> c.id().equals("dJ/dW1")).findFirst().orElseThrow()
                .expected();
        assertThat(contains(bytes, rawBits(dw1))).isFalse();
        assertThat(contains(bytes, rawBits(seed000.inputs().values().iterator().next()))).isTrue();
        // nor any checkpoint's id, hidden ones above all (the names of nodes are the graph's, and travel)
        for (Assignment a : all) {
            for (Checkpoint c : a.checkpoints()) {
                if (!a.leaf(c.id()).isPresent() && a.graph().stream().noneMatch(n -> n.name().equals(c.id()))) {
                    assertThat(contains(bytes, c.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .as(a.id() + " " + c.id()).isFalse();
                }
            }
        }
    }

    @Test
    void theNodesSampledAtEntriesTravelWithThePlanAndMustBeProbedNodes() throws IOException {
        Assignment scale = TestFiles.assignment("scale-784-128-10");
        TracePlan local = TracePlan.of(scale, false);
        assertThat(local.sampled()).containsExactly("W1", "b1", "W2", "b2");
        Codec.Job job = new Codec.Job(Sandbox.nonce(), "someone", 64, List.of(Codec.strip(scale)), List.of(local));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Codec.writeJob(b, job);
        assertThat(Codec.readJob(new ByteArrayInputStream(b.toByteArray())).plans()).containsExactly(local);

        TracePlan forged = new TracePlan(List.of("W1"), List.of(), 0);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        Codec.writeJob(f, new Codec.Job(Sandbox.nonce(), "someone", 64, List.of(Codec.strip(scale)),
                List.of(forged)));
        byte[] bytes = f.toByteArray();
        // the same job with "W1" moved from the probed list to the sampled one: refused on reading
        byte[] w1 = {0, 0, 0, 1, 0, 0, 0, 2, 'W', '1', 0, 0, 0, 0};
        byte[] swapped = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 'W', '1'};
        int at = indexOf(bytes, w1);
        assertThat(at).as("the plan's bytes").isPositive();
        System.arraycopy(swapped, 0, bytes, at, swapped.length);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codec.readJob(new ByteArrayInputStream(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("sampled node that is not probed");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void truncatedOrHostileBytesAreAnErrorNotAnAllocation() {
        Trace t = Tracer.trace(TestFiles.assignment("seed-000"), TestFiles.reference());
        byte[] good = Codec.trace(t);
        for (int cut : new int[] {0, 1, 5, good.length / 2, good.length - 1}) {
            byte[] part = Arrays.copyOf(good, cut);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codec.trace(part)).isInstanceOf(IOException.class);
        }
        byte[] huge = good.clone();
        huge[0] = 0x7f; // the forward map claims two billion entries
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codec.trace(huge)).isInstanceOf(IOException.class);
    }

    private static byte[] rawBits(Matrix m) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * m.size());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                b.putLong(Double.doubleToRawLongBits(m.get(i, j)));
            }
        }
        return b.array();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
