package backprop.grader.author;

import backprop.api.Matrix;
import backprop.grader.check.Grader;
import backprop.grader.check.Validator;
import backprop.grader.files.AtomicFiles;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Literals;
import backprop.grader.spec.Location;
import backprop.grader.spec.Problem;
import backprop.grader.spec.Source;
import backprop.grader.spec.SpecException;
import backprop.grader.spec.Yaml;
import backprop.grader.spec.Yaml.ListNode;
import backprop.grader.spec.Yaml.MapNode;
import backprop.grader.spec.Yaml.Node;
import backprop.grader.spec.Yaml.ScalarNode;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the reference's values into an assignment file in place ({@code grader fill}): into every placeholder
 * ({@code expected: fill}, or a checkpoint without {@code expected}), over every written value the reference
 * disagrees with, and, when asked, over {@code expected: reference}. Only the text of those values changes; every
 * other character of the file (comments, blank lines, key order, spacing, line ends, a byte-order mark) stays.
 * Values the reference agrees with are left as written, so a second fill changes nothing.
 */
public final class Filler {
    /** The largest value written into a file; a larger one belongs in {@code expected: reference}. */
    public static final int MAX_WRITTEN = 4096;

    private Filler() {}

    /** Why a value is written. */
    public enum Reason {
        /** A placeholder gets its value. */
        FILLED,
        /** A written value the reference disagrees with is replaced. */
        CORRECTED,
        /** {@code expected: reference} is replaced by the value, as asked. */
        EXPANDED
    }

    /**
     * One value written.
     *
     * @param checkpoint the checkpoint
     * @param at where its expected value is (or, for a missing one, the checkpoint)
     * @param reason why it is written
     * @param before the text it replaces (empty for a missing {@code expected})
     * @param after the value written, on one line
     * @param value the reference's value, which {@code after} reads back as
     * @param problem for a written value the reference disagrees with, the problem {@code validate} reports
     */
    public record Change(Checkpoint checkpoint, Location at, Reason reason, String before, String after,
            Matrix value, Optional<Problem> problem) {}

    /**
     * What fill would do to a file.
     *
     * @param source the file as read
     * @param text the file's new text
     * @param changes every value written, in file order
     * @param problems what stops a value being written, and what {@code validate} would still report besides the
     *     values (the reference disagreeing with finite differences, a check the reference does not pass)
     */
    public record Plan(Source source, String text, List<Change> changes, List<Problem> problems) {
        /** True when the new text differs from the file's. */
        public boolean changed() {
            return !text.equals(source.text());
        }
    }

    /**
     * Works out the new text of a file, computing every value with the reference as {@code validate} does.
     *
     * @param expandReference also write the value of every {@code expected: reference}
     * @throws SpecException when the file has problems (it is not filled then)
     */
    public static Plan plan(Path file, Components reference, boolean expandReference) throws SpecException,
            IOException {
        Source src = Source.read(file);
        Assignment a = AssignmentReader.readForFill(src);
        List<Node> items = checkpointNodes(Yaml.parse(src));
        Validator.Report report = Validator.run(a, new Grader(List.of(a), Optional.of(reference)));
        List<Problem> problems = new ArrayList<>(report.others());
        List<Change> changes = new ArrayList<>();
        List<Edit> edits = new ArrayList<>();
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < a.checkpoints().size(); i++) {
            Checkpoint cp = a.checkpoints().get(i);
            MapNode m = (MapNode) items.get(i);
            if (m.location().line() != cp.location().line()) {
                throw new IllegalStateException("checkpoint " + i + " of " + file + " is not where the reader put it");
            }
            Validator.Value v = report.values().get(i);
            Optional<Reason> reason = reason(m.fields().get("expected"), v, expandReference);
            if (reason.isEmpty() || v.reference().isEmpty()) {
                continue;
            }
            Matrix value = v.reference().get();
            if (value.size() > MAX_WRITTEN) {
                problems.add(new Problem(cp.expectedLocation(), String.format(Locale.ROOT, "the value of '%s' has "
                        + "%,d entries, too many to write into the file (at most %,d); write 'expected: reference' "
                        + "and the reference computes it at grading time", cp.id(), value.size(), MAX_WRITTEN)));
                continue;
            }
            Edit e = edit(src, m, cp, value);
            edits.add(e);
            Optional<Problem> disagreement = report.disagreements().stream()
                    .filter(p -> p.location().equals(cp.expectedLocation())).findFirst();
            changes.add(new Change(cp, cp.expectedLocation(), reason.get(),
                    src.text().substring(e.start(), e.end()).strip(), Literals.matrix(value), value, disagreement));
            written.add(i);
        }
        String text = apply(src.text(), edits);
        verify(src, text, written, changes);
        problems.sort(Comparator.comparingInt((Problem p) -> p.location().line()));
        return new Plan(src, text, changes, problems);
    }

    /** Writes a plan's text over its file, atomically; does nothing when nothing changed. */
    public static void write(Plan plan) throws IOException {
        if (plan.changed()) {
            AtomicFiles.write(plan.source().file(), plan.source().encode(plan.text()));
        }
    }

    private static List<Node> checkpointNodes(Node root) {
        if (root instanceof MapNode top && top.fields().get("checkpoints") instanceof ListNode l) {
            return l.items();
        }
        return List.of();
    }

    private static Optional<Reason> reason(Node expected, Validator.Value v, boolean expandReference) {
        if (expected == null || expected instanceof ScalarNode s && s.isNull()) {
            return Optional.of(Reason.FILLED);
        }
        String word = expected instanceof ScalarNode s && s.kind() == Yaml.Scalar.TEXT ? s.text() : "";
        if (word.equals("fill")) {
            return Optional.of(Reason.FILLED);
        }
        if (word.equals("reference")) {
            return expandReference ? Optional.of(Reason.EXPANDED) : Optional.empty();
        }
        return v.agrees() ? Optional.empty() : Optional.of(Reason.CORRECTED);
    }

    /** Replaces {@code [start, end)} of the text with {@code text}. */
    private record Edit(int start, int end, String text) {}

    private static Edit edit(Source src, MapNode checkpoint, Checkpoint cp, Matrix value) {
        String s = src.text();
        Node expected = checkpoint.fields().get("expected");
        if (expected instanceof ScalarNode n && n.isNull()) {
            if (n.span().end() > n.span().start()) { // ~ or null
                return new Edit(n.span().start(), n.span().end(), Literals.matrix(value));
            }
            int colon = s.indexOf(':', checkpoint.keySpans().get("expected").end());
            return new Edit(colon + 1, colon + 1, " " + Literals.matrix(value));
        }
        if (expected == null) {
            Node kind = checkpoint.fields().get(cp.kind().word());
            int after = kind.span().end();
            if (checkpoint.flow()) {
                return new Edit(after, after, ", expected: " + Literals.matrix(value));
            }
            int lineEnd = lineEnd(s, after);
            Yaml.Span key = checkpoint.keySpans().get(cp.kind().word());
            String indent = " ".repeat(key.start() - lineStart(s, key.start()));
            return new Edit(lineEnd, lineEnd, src.lineBreak() + indent + "expected: " + Literals.matrix(value));
        }
        if (expected instanceof ListNode l && !l.flow() || expected instanceof MapNode m && !m.flow()) {
            // A block value starts on the next line: the flow value takes the place of all of it, after the colon.
            int colon = s.indexOf(':', checkpoint.keySpans().get("expected").end());
            return new Edit(colon + 1, expected.span().end(), " " + Literals.matrix(value));
        }
        if (expected instanceof ListNode l && l.items().size() > 1 && value.rows() > 1
                && l.items().get(0).location().line() != l.items().get(l.items().size() - 1).location().line()) {
            // Rows written one a line stay so, each under the first.
            int first = l.items().get(0).span().start();
            String indent = " ".repeat(first - lineStart(s, first));
            return new Edit(expected.span().start(), expected.span().end(),
                    Literals.matrix(value, "," + src.lineBreak() + indent));
        }
        return new Edit(expected.span().start(), expected.span().end(), Literals.matrix(value));
    }

    private static int lineStart(String s, int at) {
        int i = at;
        while (i > 0 && s.charAt(i - 1) != '\n' && s.charAt(i - 1) != '\r') {
            i--;
        }
        return i;
    }

    private static int lineEnd(String s, int at) {
        int i = at;
        while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private static String apply(String text, List<Edit> edits) {
        StringBuilder sb = new StringBuilder(text);
        List<Edit> backwards = new ArrayList<>(edits);
        backwards.sort(Comparator.comparingInt(Edit::start).reversed());
        for (Edit e : backwards) {
            sb.replace(e.start(), e.end(), e.text());
        }
        return sb.toString();
    }

    /** Reads the new text back and makes sure every value written reads as the reference's, number for number. */
    private static void verify(Source src, String text, List<Integer> written, List<Change> changes)
            throws SpecException {
        if (changes.isEmpty()) {
            return;
        }
        Assignment after = AssignmentReader.readForFill(Source.of(src.file(), text));
        for (int k = 0; k < changes.size(); k++) {
            Change c = changes.get(k);
            Matrix read = after.checkpoints().get(written.get(k)).expected();
            if (!read.sameShape(c.value()) || !sameNumbers(read, c.value())) {
                throw new IllegalStateException("fill wrote " + c.after() + " for '" + c.checkpoint().id() + "' in "
                        + src.file() + " but it reads back as " + read);
            }
        }
    }

    private static boolean sameNumbers(Matrix a, Matrix b) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                if (a.get(i, j) != b.get(i, j)) {
                    return false;
                }
            }
        }
        return true;
    }
}
