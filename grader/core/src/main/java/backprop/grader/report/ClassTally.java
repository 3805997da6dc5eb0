package backprop.grader.report;

import backprop.grader.report.StudentResult.AssignmentPoints;
import backprop.grader.report.StudentResult.CheckRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of a class, gathered in one pass over its results. What it keeps does not grow with the class:
 * a count per status, per distinct score, per check and per fault, and at most {@link #WHO} names per fault.
 * The same results in the same order give the same figures, however they were produced (one run or merged
 * shards).
 */
final class ClassTally {
    /** Score buckets of the histogram, each 10 percentage points wide; the last one holds 100 %. */
    static final int BUCKETS = 10;
    /** Students named per fault; the count is always exact. */
    static final int WHO = 20;
    /** Distinct faults kept; students with faults beyond these are counted together. */
    static final int MAX_FAULTS = 500;

    /** How one check went across the class. */
    static final class CheckTally {
        final String assignment;
        final String check;
        final String kind;
        final boolean hidden;
        int passed;

        CheckTally(CheckRow r) {
            assignment = r.assignment();
            check = r.check();
            kind = r.kind();
            hidden = r.hidden();
        }

        /** The share of the class that passed it (a student whose submission never ran did not). */
        double rate(int students) {
            return students == 0 ? 0 : (double) passed / students;
        }
    }

    /** One fault: a component and a likely cause, how many students it was found in, and the first of them. */
    static final class Fault {
        final String component;
        final String cause;
        int count;
        final List<String> who = new ArrayList<>();

        Fault(String component, String cause) {
            this.component = component;
            this.cause = cause;
        }
    }

    /** Points on one assignment across the class. */
    static final class AssignmentTally {
        final String id;
        final double max;
        double sum;
        int full;

        AssignmentTally(String id, double max) {
            this.id = id;
            this.max = max;
        }
    }

    int students;
    double maximum;
    double sum;
    final int[] histogram = new int[BUCKETS];
    final TreeMap<Double, Integer> totals = new TreeMap<>();
    final TreeMap<String, Integer> statuses = new TreeMap<>();
    final Map<String, AssignmentTally> assignments = new LinkedHashMap<>();
    private final Map<String, Map<String, CheckTally>> checks = new LinkedHashMap<>();
    private final Map<List<String>, Fault> faults = new LinkedHashMap<>();
    /** Students with a fault beyond the first {@link #MAX_FAULTS} distinct ones. */
    int otherFaults;

    /** An empty tally, with the assignment columns in the scorecards' order. */
    ClassTally(List<ScoreCards.Column> columns) {
        columns.forEach(c -> {
            assignments.put(c.id(), new AssignmentTally(c.id(), c.max()));
            checks.put(c.id(), new LinkedHashMap<>());
            maximum += c.max();
        });
    }

    /** Tallies {@code results}. */
    static ClassTally of(List<ScoreCards.Column> columns, Iterable<StudentResult> results) {
        ClassTally t = new ClassTally(columns);
        for (StudentResult r : results) {
            t.add(r);
        }
        return t;
    }

    /** Counts one more student. */
    void add(StudentResult r) {
        students++;
        sum += r.total();
        totals.merge(r.total(), 1, Integer::sum);
        statuses.merge(r.status(), 1, Integer::sum);
        histogram[bucket(r.total(), r.maximum())]++;
        for (AssignmentPoints p : r.assignments()) {
            AssignmentTally a = assignments.computeIfAbsent(p.id(), id -> new AssignmentTally(id, p.max()));
            a.sum += p.points();
            a.full += p.points() >= p.max() ? 1 : 0;
        }
        Set<List<String>> mine = new LinkedHashSet<>();
        for (CheckRow c : r.checks()) {
            CheckTally ct = checks.computeIfAbsent(c.assignment(), a -> new LinkedHashMap<>())
                    .computeIfAbsent(c.check(), k -> new CheckTally(c));
            ct.passed += passed(c) ? 1 : 0;
            if (FaultNames.isFault(c)) {
                mine.add(List.of(FaultNames.component(c), FaultNames.cause(c)));
            }
        }
        boolean counted = false;
        for (List<String> key : mine) {
            Fault f = faults.get(key);
            if (f == null && faults.size() >= MAX_FAULTS) {
                otherFaults += counted ? 0 : 1;
                counted = true;
                continue;
            }
            if (f == null) {
                f = new Fault(key.get(0), key.get(1));
                faults.put(key, f);
            }
            f.count++;
            if (f.who.size() < WHO) {
                f.who.add(r.student());
            }
        }
    }

    /** A check counts as passed when it earned its points as right ({@code passed} or {@code inconclusive}). */
    static boolean passed(CheckRow c) {
        return c.status().equals("passed") || c.status().equals("inconclusive");
    }

    /** The histogram bucket of a score, from its percentage as {@code scores.csv} writes it (two decimals). */
    static int bucket(double total, double maximum) {
        double percent = Double.parseDouble(ScoreCards.percent(total, maximum));
        return Math.max(0, Math.min(BUCKETS - 1, (int) Math.floor(percent / (100.0 / BUCKETS))));
    }

    /** The lower bound of a bucket, in percent. */
    static int from(int bucket) {
        return bucket * 100 / BUCKETS;
    }

    /** The upper bound of a bucket, in percent (excluded, but for the last bucket). */
    static int to(int bucket) {
        return (bucket + 1) * 100 / BUCKETS;
    }

    /** Every check, least passed first; ties in the order the assignments and their checks come. */
    List<CheckTally> checksByRate() {
        List<CheckTally> all = new ArrayList<>();
        checks.values().forEach(m -> all.addAll(m.values()));
        all.sort(Comparator.comparingInt((CheckTally c) -> c.passed));
        return all;
    }

    /** The faults, most students first; ties: located ones first, then by component and cause. */
    List<Fault> faults() {
        List<Fault> all = new ArrayList<>(faults.values());
        all.sort(Comparator.comparingInt((Fault f) -> -f.count).thenComparing(f -> f.component.isEmpty())
                .thenComparing(f -> f.component).thenComparing(f -> f.cause));
        return all;
    }

    /** The mean total. */
    double mean() {
        return students == 0 ? 0 : sum / students;
    }

    /**
     * The {@code p}-quantile of the totals, interpolated between the two nearest ranks (as R's default and
     * NumPy's {@code linear} do): 0 is the lowest total, 0.5 the median, 1 the highest.
     */
    double quantile(double p) {
        if (students == 0) {
            return 0;
        }
        double h = (students - 1) * p;
        int lo = (int) Math.floor(h);
        double a = rank(lo);
        double b = rank(Math.min(students - 1, lo + 1));
        return a + (h - lo) * (b - a);
    }

    /** The total at a 0-based rank, lowest first. */
    private double rank(int k) {
        int seen = 0;
        for (Map.Entry<Double, Integer> e : totals.entrySet()) {
            seen += e.getValue();
            if (k < seen) {
                return e.getKey();
            }
        }
        return totals.lastKey();
    }
}
