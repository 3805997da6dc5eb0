package backprop.grader.check;

import backprop.api.Matrix;
import backprop.grader.graph.Network;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.VariantSpec;
import backprop.grader.spec.Checkpoint;
import backprop.grader.submission.Components;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Per-student variants: an assignment whose inputs and parameters are drawn from a seed derived from the student
 * id, kept away from ReLU kinks, with every expected value computed by the reference. The same id always gives
 * the same seed, so a regrade sees the same numbers.
 */
public final class Variants {
    /** Draws tried before giving up on keeping every ReLU input away from 0. */
    static final int ATTEMPTS = 100;

    private Variants() {}

    /**
     * One student's variant.
     *
     * @param assignment the assignment with the student's values and the reference's expected values
     * @param seed the seed the values were drawn from (recorded in the details)
     * @param authority the reference's evaluation of it, which the expected values were taken from
     */
    public record Variant(Assignment assignment, long seed, Authority authority) {}

    /** The seed of a student's variant of an assignment: the first 8 bytes of SHA-256 of "id/assignment". */
    public static long seed(String studentId, String assignmentId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((studentId + "/" + assignmentId)
                    .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a student's variant of {@code a}, which must have a {@code variants} section. */
    public static Variant of(Assignment a, String studentId, Components reference) {
        VariantSpec spec = a.variants().orElseThrow(() -> new IllegalArgumentException(a.id() + " has no variants"));
        long seed = seed(studentId, a.id());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Random rng = new Random(seed + attempt);
            Map<String, Matrix> drawn = new LinkedHashMap<>();
            for (String name : spec.draw()) {
                Matrix old = a.leaf(name).orElseThrow();
                drawn.put(name, Matrix.build(old.rows(), old.cols(), (i, j) -> spec.std() * rng.nextGaussian()));
            }
            Assignment candidate = a.with(drawn, a.checkpoints());
            Network.Forward fw = new Network(candidate, reference).forward(candidate.parameters());
            if (fw.ok() && awayFromKinks(candidate, fw, spec.margin())) {
                Trace ref = Tracer.trace(candidate, reference);
                Assignment mine = withReferenceValues(candidate, ref);
                return new Variant(mine, seed, Authority.of(mine, reference, ref));
            }
        }
        throw new IllegalStateException(a.id() + ": no draw in " + ATTEMPTS + " keeps every ReLU input at least "
                + spec.margin() + " from 0; lower variants.margin");
    }

    private static boolean awayFromKinks(Assignment a, Network.Forward fw, double margin) {
        for (Assignment.NodeSpec n : a.graph()) {
            if (!n.op().equals("relu")) {
                continue;
            }
            Matrix z = fw.values().get(n.inputs().get(0));
            for (int i = 0; i < z.rows(); i++) {
                for (int j = 0; j < z.cols(); j++) {
                    if (Math.abs(z.get(i, j)) < margin) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static Assignment withReferenceValues(Assignment a, Trace ref) {
        List<Checkpoint> cps = new ArrayList<>();
        for (Checkpoint cp : a.checkpoints()) {
            Matrix v = switch (cp.kind()) {
                case FORWARD -> ref.forward().get(cp.target());
                case GRADIENT -> ref.gradients().get().map(g -> g.get(cp.target())).orElse(null);
                case PARAMETER -> java.util.Optional.ofNullable(ref.parametersAfter().get(cp.afterSteps()))
                        .flatMap(Outcome::get).map(p -> p.get(cp.target())).orElse(null);
            };
            if (v == null) {
                throw new IllegalStateException(a.id() + ": the reference computes no value for " + cp.id());
            }
            cps.add(cp.withExpected(v));
        }
        return a.with(Map.of(), cps);
    }
}
