package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.run.UnitTracer;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Checkpoint;
import backprop.grader.spec.Checkpoint.Visibility;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference's values for the visible checks whose expected values the assignment files do not hold: each
 * op's unit check on the grader's seeded random inputs, and every {@code expected: reference} checkpoint. They are
 * computed when a student repository is made (and by this repository's build for its own template), written
 * beside the public assignments as {@value #FILE} (with {@code expected-values.bin} for the large matrices), and
 * read by a student's {@code mvn test}, which grades those checks against them exactly as the grader grades them
 * against the reference: the same checks, the same points. The files hold values only, never code.
 */
public final class ExpectedValues {
    /** The file's name, in the folder of public assignments. */
    public static final String FILE = "expected-values.json";

    private final Map<String, Trace> traces;
    private final List<Assignment> assignments;

    private ExpectedValues(Map<String, Trace> traces, List<Assignment> assignments) {
        this.traces = traces;
        this.assignments = assignments;
    }

    /** The fingerprint of each unit check's inputs as the grader draws them, by assignment id, then op. */
    private static Map<String, Map<String, String>> fingerprints(List<Assignment> assignments) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            Map<String, String> ops = new LinkedHashMap<>();
            for (UnitCheckSpec u : a.unitChecks()) {
                UnitTracer.Inputs in = UnitTracer.inputs(a, u);
                ops.put(u.op(), ValuesFile.fingerprint(in.values(), in.upstream()));
            }
            out.put(a.id(), ops);
        }
        return out;
    }

    /** The stand-in for the reference's trace of {@code a}: only the values its visible checks need. */
    public Optional<Trace> trace(Assignment a) {
        return Optional.ofNullable(traces.get(a.id()));
    }

    /**
     * Writes the values of the assignments in a folder, computed by a reference solution, to a file: {@code
     * ExpectedValues ASSIGNMENTS_DIR REFERENCE OUT_FILE}, where REFERENCE is the solution's module folder, its
     * compiled classes or its sources.
     * This repository's build runs it for its own template; {@code grader export-template} does the same in process.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ExpectedValues ASSIGNMENTS_DIR REFERENCE OUT_FILE");
        }
        AssignmentSet set = AssignmentSet.load(List.of(Path.of(args[0])));
        if (!set.problems().isEmpty()) {
            throw new IllegalStateException("the assignments have problems: " + set.problems());
        }
        compute(set.assignments(), Submission.open("reference", reference(Path.of(args[1])))).write(Path.of(args[2]));
    }

    /**
     * Where a reference solution's code is, given its module folder: its compiled classes when the build made them,
     * else its sources; any other folder as it is.
     */
    public static Path reference(Path module) {
        Path classes = module.resolve("target/classes");
        Path sources = module.resolve("src/main/java");
        return Files.isRegularFile(classes.resolve("homework/Backprop.class")) ? classes
                : Files.isDirectory(sources) ? sources : module;
    }

    /** Computes the values of every assignment in {@code assignments} by running {@code reference} on it. */
    public static ExpectedValues compute(List<Assignment> assignments, Components reference) {
        Map<String, Trace> out = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            boolean anyFromReference = a.checkpoints().stream().anyMatch(ExpectedValues::needed);
            if (a.unitChecks().isEmpty() && !anyFromReference) {
                continue;
            }
            Trace full = Tracer.trace(a, reference);
            out.put(a.id(), kept(a, full));
        }
        return new ExpectedValues(out, assignments);
    }

    private static boolean needed(Checkpoint cp) {
        return cp.fromReference() && cp.visibility() != Visibility.HIDDEN;
    }

    /** The part of a reference trace that visible checks need and the files lack; a failure there is a bug. */
    private static Trace kept(Assignment a, Trace full) {
        Map<String, Matrix> forward = new TreeMap<>();
        Map<String, Matrix> gradients = new TreeMap<>();
        Map<Integer, Outcome<Map<String, Matrix>>> after = new TreeMap<>();
        for (Checkpoint cp : a.checkpoints()) {
            if (!needed(cp)) {
                continue;
            }
            switch (cp.kind()) {
                case FORWARD -> forward.put(cp.target(), required(a, cp, full.forward().get(cp.target())));
                case GRADIENT -> gradients.put(cp.target(), required(a, cp, value(full.gradients())
                        .get(cp.target())));
                case PARAMETER -> {
                    Outcome<Map<String, Matrix>> o = full.parametersAfter().get(cp.afterSteps());
                    Matrix v = required(a, cp, o == null ? null : value(o).get(cp.target()));
                    after.computeIfAbsent(cp.afterSteps(), k -> Outcome.of(new TreeMap<>())).value()
                            .put(cp.target(), v);
                }
            }
        }
        Map<String, Trace.UnitTrace> units = new LinkedHashMap<>();
        for (UnitCheckSpec u : a.unitChecks()) {
            Trace.UnitTrace t = full.units().get(u.op());
            units.put(u.op(), unit(value(t.output()), value(t.backward())));
        }
        return trace(forward, gradients, after, units);
    }

    /** A unit trace of the reference: what it returned forward and backward; the rest is the student's. */
    private static Trace.UnitTrace unit(List<Matrix> output, List<Matrix> backward) {
        return new Trace.UnitTrace(Outcome.of(output), Outcome.of(backward), Outcome.of(List.of()),
                Outcome.of(List.of()));
    }

    private static <T> T value(Outcome<T> o) {
        if (!o.ok()) {
            throw new IllegalStateException("the reference failed where the expected values come from: " + o.fault());
        }
        return o.value();
    }

    private static Matrix required(Assignment a, Checkpoint cp, Matrix m) {
        if (m == null) {
            throw new IllegalStateException(a.id() + ": the reference computed no value for " + cp.id());
        }
        return m;
    }

    private static Trace trace(Map<String, Matrix> forward, Map<String, Matrix> gradients,
            Map<Integer, Outcome<Map<String, Matrix>>> after, Map<String, Trace.UnitTrace> units) {
        Outcome<Map<String, Matrix>> grads = gradients.isEmpty() ? Outcome.failed("not exported")
                : Outcome.of(gradients);
        return new Trace(forward, Optional.empty(), Optional.empty(), grads, Map.of(), after, units);
    }

    /** Writes the values to {@code file}, atomically. */
    public void write(Path file) throws IOException {
        ValuesFile.write(file, traces, fingerprints(assignments));
    }

    /**
     * Reads the values written by {@link #write} for {@code assignments}, checking that each unit check's values
     * were computed from the inputs the grader draws now.
     *
     * @throws IOException when the file is missing, unreadable or does not fit the assignments; the message says
     *     which
     */
    public static ExpectedValues read(Path file, List<Assignment> assignments) throws IOException {
        return fit(file, stored(file), assignments);
    }

    /**
     * The values as {@code file} holds them, before they meet the assignments: the part of {@link #read} that can
     * run while the assignments are being read.
     */
    static Map<String, ValuesFile.Stored> stored(Path file) throws IOException {
        for (Path f : List.of(file, ValuesFile.side(file))) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("missing " + f + ": it holds the expected values of the checks the assignment "
                        + "files do not (restore it, for example with git checkout)");
            }
        }
        return ValuesFile.read(file);
    }

    /** The rest of {@link #read}: the stored values of {@code file}, checked against the assignments. */
    static ExpectedValues fit(Path file, Map<String, ValuesFile.Stored> stored, List<Assignment> assignments)
            throws IOException {
        Map<String, Trace> traces = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            ValuesFile.Stored st = stored.get(a.id());
            boolean needs = !a.unitChecks().isEmpty() || a.checkpoints().stream().anyMatch(ExpectedValues::needed);
            if (st == null && needs) {
                throw new IOException(file + " has no values for " + a.id() + ": it was made for other assignments");
            }
            if (st != null) {
                traces.put(a.id(), trace(file, a, st));
            }
        }
        // the inputs' fingerprints were checked above; a student's run never writes, so it never draws them again
        return new ExpectedValues(traces, assignments);
    }

    /** A stored assignment's trace, each unit check's inputs drawn as the grader draws them and checked. */
    private static Trace trace(Path file, Assignment a, ValuesFile.Stored st) throws IOException {
        Map<String, Trace.UnitTrace> out = new LinkedHashMap<>();
        for (UnitCheckSpec u : a.unitChecks()) {
            ValuesFile.StoredUnit su = st.units().get(u.op());
            UnitTracer.Inputs in = UnitTracer.inputs(a, u);
            if (su == null || !su.fingerprint().equals(ValuesFile.fingerprint(in.values(), in.upstream()))) {
                throw new IOException(file + " does not fit " + a.id() + " › " + u.op() + ": its values were "
                        + "computed from other inputs (by another version of the grader?)");
            }
            out.put(u.op(), unit(su.output(), su.backward()));
        }
        for (Checkpoint cp : a.checkpoints()) {
            boolean present = switch (cp.kind()) {
                case FORWARD -> st.forward().containsKey(cp.target());
                case GRADIENT -> st.gradients().containsKey(cp.target());
                case PARAMETER -> st.after().containsKey(cp.afterSteps())
                        && st.after().get(cp.afterSteps()).value().containsKey(cp.target());
            };
            if (needed(cp) && !present) {
                throw new IOException(file + " has no value for " + a.id() + " › " + cp.id());
            }
        }
        return trace(st.forward(), st.gradients(), st.after(), out);
    }
}
