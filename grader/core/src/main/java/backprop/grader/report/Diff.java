package backprop.grader.report;

import backprop.grader.report.GradingReader.Check;
import backprop.grader.report.GradingReader.Key;
import backprop.grader.report.GradingReader.Student;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What changed between two gradings of a class (two output folders of {@code grader grade}): per student, the
 * total before and after, and each check whose status or points changed. Both folders are read one student at a
 * time ({@link GradingReader}); a student is held only until the other grading reaches them, so two gradings in
 * the same order (the usual case) take the memory of one student.
 *
 * <p>A submission that ran no check on one side (it did not compile, say) is compared by its status and total
 * alone: listing every check of the assignment as changed would bury the one fact that matters.
 */
public final class Diff {
    private Diff() {}

    /** How a student's result changed. */
    public enum Kind {
        /** In both, with a different status, total or check. */
        CHANGED,
        /** In both, the same. */
        UNCHANGED,
        /** Only in the new grading. */
        ADDED,
        /** Only in the old grading. */
        REMOVED;

        /** The word in the CSV. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A student's result on one side.
     *
     * @param total points earned
     * @param max points possible
     * @param status the submission status
     * @param reason its one-line reason
     * @param ran true when some check ran
     */
    public record Side(double total, double max, String status, String reason, boolean ran) {}

    /**
     * A check's outcome on one side.
     *
     * @param status passed, failed, error, skipped or inconclusive
     * @param points earned
     * @param max possible
     */
    public record Outcome(String status, double points, double max) {}

    /**
     * One check that changed; a side without the check (an assignment file that gained or lost it) is empty.
     *
     * @param assignment the assignment id
     * @param check the check id
     * @param before the old outcome
     * @param after the new outcome
     */
    public record CheckChange(String assignment, String check, Optional<Outcome> before, Optional<Outcome> after) {}

    /**
     * One student.
     *
     * @param student the student id
     * @param kind how the result changed
     * @param before the old result, unless added
     * @param after the new result, unless removed
     * @param checks the checks that changed, in the new grading's order, then those only the old one has; empty
     *     when either side ran no check
     */
    public record StudentChange(String student, Kind kind, Optional<Side> before, Optional<Side> after,
            List<CheckChange> checks) {}

    /**
     * How many students of each kind.
     *
     * @param changed in both, different
     * @param unchanged in both, the same
     * @param added only in the new grading
     * @param removed only in the old grading
     */
    public record Counts(int changed, int unchanged, int added, int removed) {}

    /** Receives each student as soon as both gradings have been read that far. */
    @FunctionalInterface
    public interface Sink {
        /** Takes one student. */
        void accept(StudentChange change) throws IOException;
    }

    /**
     * Compares the gradings in {@code before} and {@code after}, handing each student to {@code sink}: those in
     * both as soon as both files reach them, those in one only at the end.
     *
     * @throws IOException when a folder is not a grading, naming the file and line
     */
    public static Counts compare(Path before, Path after, Sink sink) throws IOException {
        int[] counts = new int[Kind.values().length];
        Sink counting = c -> {
            counts[c.kind().ordinal()]++;
            sink.accept(c);
        };
        try (GradingReader old = GradingReader.open(before); GradingReader now = GradingReader.open(after)) {
            Map<String, Student> waitingOld = new LinkedHashMap<>();
            Map<String, Student> waitingNew = new LinkedHashMap<>();
            Set<String> seenOld = new HashSet<>();
            Set<String> seenNew = new HashSet<>();
            Optional<Student> a = old.next();
            Optional<Student> b = now.next();
            while (a.isPresent() || b.isPresent()) {
                if (a.isPresent()) {
                    once(seenOld, a.get(), before);
                    Student partner = waitingNew.remove(a.get().id());
                    if (partner != null) {
                        counting.accept(compare(a.get(), partner));
                    } else {
                        waitingOld.put(a.get().id(), a.get());
                    }
                    a = old.next();
                }
                if (b.isPresent()) {
                    once(seenNew, b.get(), after);
                    Student partner = waitingOld.remove(b.get().id());
                    if (partner != null) {
                        counting.accept(compare(partner, b.get()));
                    } else {
                        waitingNew.put(b.get().id(), b.get());
                    }
                    b = now.next();
                }
            }
            for (Student s : waitingOld.values()) {
                counting.accept(new StudentChange(s.id(), Kind.REMOVED, Optional.of(side(s)), Optional.empty(),
                        List.of()));
            }
            for (Student s : waitingNew.values()) {
                counting.accept(new StudentChange(s.id(), Kind.ADDED, Optional.empty(), Optional.of(side(s)),
                        List.of()));
            }
        }
        return new Counts(counts[Kind.CHANGED.ordinal()], counts[Kind.UNCHANGED.ordinal()],
                counts[Kind.ADDED.ordinal()], counts[Kind.REMOVED.ordinal()]);
    }

    private static void once(Set<String> seen, Student s, Path dir) throws IOException {
        if (!seen.add(s.id())) {
            throw new IOException(dir.resolve("scores.csv") + ": the student '" + s.id() + "' has two rows");
        }
    }

    private static StudentChange compare(Student before, Student after) {
        List<CheckChange> checks = new ArrayList<>();
        if (before.ran() && after.ran()) {
            Set<Key> keys = new LinkedHashSet<>(after.checks().keySet());
            keys.addAll(before.checks().keySet());
            for (Key k : keys) {
                Optional<Outcome> was = Optional.ofNullable(before.checks().get(k)).map(Diff::outcome);
                Optional<Outcome> is = Optional.ofNullable(after.checks().get(k)).map(Diff::outcome);
                if (!was.equals(is)) {
                    checks.add(new CheckChange(k.assignment(), k.check(), was, is));
                }
            }
        }
        Side was = side(before);
        Side is = side(after);
        boolean same = checks.isEmpty() && was.status().equals(is.status()) && was.total() == is.total()
                && was.max() == is.max() && was.ran() == is.ran();
        return new StudentChange(after.id(), same ? Kind.UNCHANGED : Kind.CHANGED, Optional.of(was),
                Optional.of(is), checks);
    }

    private static Outcome outcome(Check c) {
        return new Outcome(c.status(), c.points(), c.max());
    }

    private static Side side(Student s) {
        return new Side(s.total(), s.max(), s.status(), s.reason(), s.ran());
    }

    /** The header of the CSV {@link #csv} writes. */
    public static final List<String> CSV_HEADER = List.of("student", "change", "assignment", "check", "status_before",
            "status_after", "points_before", "points_after", "max_before", "max_after");

    /**
     * A sink that writes a CSV: per student, a row with an empty assignment and check holding the statuses and
     * totals, then a row per changed check; a side without the student or check has empty cells. Numbers in
     * {@code Locale.ROOT}, without needless decimals.
     */
    public static Sink csv(Writer out) throws IOException {
        List<SafeCsv.Column> columns = CSV_HEADER.stream().map(h -> h.startsWith("points_") || h.startsWith("max_")
                ? SafeCsv.Column.number(h) : SafeCsv.Column.text(h)).toList();
        SafeCsv p = SafeCsv.open(out, columns);
        return c -> {
            p.row(c.student(), c.kind().word(), "", "", c.before().map(Side::status).orElse(""),
                    c.after().map(Side::status).orElse(""), c.before().map(s -> points(s.total())).orElse(null),
                    c.after().map(s -> points(s.total())).orElse(null), c.before().map(s -> points(s.max())).orElse(null),
                    c.after().map(s -> points(s.max())).orElse(null));
            for (CheckChange k : c.checks()) {
                p.row(c.student(), c.kind().word(), k.assignment(), k.check(),
                        k.before().map(Outcome::status).orElse(""), k.after().map(Outcome::status).orElse(""),
                        k.before().map(o -> points(o.points())).orElse(null),
                        k.after().map(o -> points(o.points())).orElse(null),
                        k.before().map(o -> points(o.max())).orElse(null), k.after().map(o -> points(o.max())).orElse(null));
            }
            p.flush();
        };
    }

    /** Points as the scorecards write them. */
    public static String points(double p) {
        return ConsoleReport.points(p);
    }
}
