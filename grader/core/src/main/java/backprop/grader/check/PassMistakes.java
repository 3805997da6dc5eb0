package backprop.grader.check;

import backprop.api.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The classic mistakes of a reverse pass, recognised from the submission's own numbers alone: what arrived at a
 * node, what the pass kept as its gradient, and what it passed on. Nothing here needs a right value, so a local run
 * and a graded one say exactly the same.
 */
final class PassMistakes {
    private PassMistakes() {}

    /**
     * One thing that arrives at a node: its seed, or what one of the nodes it feeds sends back.
     *
     * @param label for sentences: {@code "its seed"}, {@code "'z2'"}
     * @param value the gradient it contributes
     */
    record Part(String label, Matrix value) {}

    /** The sum of the parts, shaped like {@code like}. */
    static Matrix sum(List<Part> parts, Matrix like) {
        Matrix s = Matrix.zerosLike(like);
        for (Part p : parts) {
            s = s.plus(p.value());
        }
        return s;
    }

    /**
     * Why a node's gradient is not the sum of the parts that arrive at it.
     *
     * @param held the gradient the reverse pass holds for the node
     * @param parts what arrives at it
     * @param calls how often the node's backward was called
     * @param upstream what those calls were given, added up
     */
    static Optional<String> combination(Matrix held, List<Part> parts, int calls, Matrix upstream) {
        Matrix expected = sum(parts, held);
        if (parts.size() == 1 && parts.get(0).label().equals(SEED)) {
            return Optional.of("the reverse pass starts from the seed — dL/dL = 1 at the loss, or the given upstream "
                    + "gradients — and must keep it as that node's gradient");
        }
        if (Diagnosis.isZero(held)) {
            // passed on as zero too: the node was visited before anything had arrived
            return Optional.of(calls > 0 && Diagnosis.isZero(upstream) ? "your reverse pass visits it before what the "
                    + "nodes it feeds send back has arrived: visit the nodes in reverse topological order, each after "
                    + "every node it feeds" : "its gradient is zero: what arrives at it is never added to it");
        }
        if (parts.size() >= 2) {
            for (Part p : parts) {
                if (Diagnosis.close(held, p.value())) {
                    return Optional.of(p.label().equals(SEED) ? "it is only its seed: what the nodes it feeds send "
                            + "back must be added to the seed"
                            : "it is only what " + p.label() + " sends back: your reverse pass overwrites the "
                            + "gradient instead of adding every contribution");
                }
            }
            Optional<List<Part>> subset = subsetSumming(parts, held);
            if (subset.isPresent()) {
                List<String> in = subset.get().stream().map(Part::label).toList();
                List<String> out = parts.stream().filter(p -> !subset.get().contains(p)).map(Part::label).toList();
                return Optional.of("it adds up only " + Blame.and(in) + "; what " + Blame.and(out)
                        + (out.size() == 1 ? " sends" : " send") + " back is missing: your reverse pass overwrites the "
                        + "gradient instead of adding every contribution");
            }
        }
        Optional<Double> r = Diagnosis.ratio(expected, held);
        if (r.isPresent() && Math.rint(r.get()) >= 2 && Diagnosis.near(r.get(), Math.rint(r.get()))) {
            return Optional.of("it is " + (long) Math.rint(r.get()) + " times the sum of what arrives: a contribution "
                    + "is added more than once");
        }
        if (r.isPresent() && Diagnosis.near(r.get(), -1)) {
            return Optional.of("it is the sum of what arrives with the opposite sign");
        }
        return Optional.empty();
    }

    /**
     * Why the reverse pass called a node's backward with something other than the node's gradient.
     *
     * @param calls how often it was called
     * @param upstream what it was given, added up
     * @param parts what arrived at the node
     */
    static Optional<String> propagation(int calls, Matrix upstream, List<Part> parts) {
        if (calls == 0) {
            return Optional.of("a reverse pass visits every node the loss depends on, each after every node it "
                    + "feeds");
        }
        Matrix expected = sum(parts, upstream);
        if (calls >= 2) {
            return Optional.of("it calls a node's backward more than once" + (Diagnosis.close(upstream,
                    expected.times(calls)) ? ", each time with the whole gradient" : "") + ": visit each node once, "
                    + "when its gradient is complete (or, calling it once per path, pass each call only that path's "
                    + "part)");
        }
        if (Diagnosis.isZero(upstream) || subsetSumming(parts, upstream).isPresent()
                || parts.stream().anyMatch(p -> Diagnosis.close(upstream, p.value()))) {
            return Optional.of("it calls a node's backward before every node it feeds has sent back its "
                    + "contribution: visit the nodes in reverse topological order, each after every node it feeds");
        }
        return Optional.empty();
    }

    /** The label of a node's seed. */
    static final String SEED = "its seed";

    /** A proper subset of two or more parts whose sum is {@code target}, looked for among up to 8 parts. */
    private static Optional<List<Part>> subsetSumming(List<Part> parts, Matrix target) {
        int n = parts.size();
        if (n < 2 || n > 8) {
            return Optional.empty();
        }
        for (int mask = 1; mask < (1 << n) - 1; mask++) {
            if (Integer.bitCount(mask) < 2) {
                continue;
            }
            List<Part> chosen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    chosen.add(parts.get(i));
                }
            }
            if (Diagnosis.close(sum(chosen, target), target)) {
                return Optional.of(chosen);
            }
        }
        return Optional.empty();
    }
}
