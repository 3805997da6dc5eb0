package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.files.AtomicFiles;
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
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference's values for the visible checks whose expected values the assignment files do not hold: each
 * op's unit check on the grader's seeded random inputs, and every {@code expected: reference} checkpoint. They are
 * computed when a student repository is made (and by this repository's build for its own template), written
 * beside the public assignments as {@value #FILE}, and read by a student's {@code mvn test}, which grades those
 * checks against them exactly as the grader grades them against the reference: the same checks, the same points.
 * The file holds values only, never code.
 */
public final class ExpectedValues {
    /** The file's name, in the folder of public assignments. */
    public static final String FILE = "expected-values.json";
    /** Matrices up to this many entries are written as numbers; larger ones as base64 doubles. */
    private static final int LITERAL_ENTRIES = 256;
    private static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Trace> traces;

    private ExpectedValues(Map<String, Trace> traces) {
        this.traces = traces;
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
        return new ExpectedValues(out);
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
            units.put(u.op(), unit(t.inputs(), t.upstream(), value(t.output()), value(t.backward())));
        }
        return trace(forward, gradients, after, units);
    }

    /** A unit trace of the reference: what it returned forward and backward; the rest is the student's. */
    private static Trace.UnitTrace unit(List<Matrix> inputs, Matrix upstream, List<Matrix> output,
            List<Matrix> backward) {
        return new Trace.UnitTrace(inputs, upstream, Outcome.of(output), Outcome.of(backward), Outcome.of(List.of()),
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
        AtomicFiles.write(file, w -> {
            try (JsonGenerator g = JSON.createGenerator(w).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("about", "The reference solution's values for the checks whose expected values "
                        + "the assignment files do not hold (each operation on the grader's random inputs, and the "
                        + "checkpoints marked 'expected: reference'). Written by the grader; do not edit.");
                g.writeNumberField("format", FORMAT);
                g.writeObjectFieldStart("assignments");
                for (Map.Entry<String, Trace> e : traces.entrySet()) {
                    g.writeObjectFieldStart(e.getKey());
                    writeAssignment(g, e.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
        });
    }

    private static void writeAssignment(JsonGenerator g, Trace t) throws IOException {
        writeMatrices(g, "forward", t.forward());
        writeMatrices(g, "gradients", t.gradients().get().orElse(Map.of()));
        g.writeObjectFieldStart("parameters_after");
        for (Map.Entry<Integer, Outcome<Map<String, Matrix>>> e : t.parametersAfter().entrySet()) {
            writeMatrices(g, String.valueOf(e.getKey()), e.getValue().value());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("units");
        for (Map.Entry<String, Trace.UnitTrace> e : t.units().entrySet()) {
            Trace.UnitTrace u = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeStringField("inputs_sha256", fingerprint(u.inputs(), u.upstream()));
            writeList(g, "output", u.output().value());
            writeList(g, "backward", u.backward().get().orElse(List.of()));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeMatrices(JsonGenerator g, String field, Map<String, Matrix> ms) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Matrix> e : ms.entrySet()) {
            g.writeFieldName(e.getKey());
            writeMatrix(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeList(JsonGenerator g, String field, List<Matrix> ms) throws IOException {
        g.writeArrayFieldStart(field);
        for (Matrix m : ms) {
            writeMatrix(g, m);
        }
        g.writeEndArray();
    }

    private static void writeMatrix(JsonGenerator g, Matrix m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("rows", m.rows());
        g.writeNumberField("cols", m.cols());
        if (m.size() <= LITERAL_ENTRIES) {
            g.writeArrayFieldStart("values");
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    g.writeNumber(m.get(i, j)); // shortest decimal that reads back to the same double
                }
            }
            g.writeEndArray();
        } else {
            g.writeFieldName("float64");
            g.writeBinary(bytes(m));
        }
        g.writeEndObject();
    }

    private static byte[] bytes(Matrix m) {
        ByteBuffer b = ByteBuffer.allocate(8 * m.size());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                b.putDouble(m.get(i, j));
            }
        }
        return b.array();
    }

    /** A digest of a unit check's inputs, so that values never meet inputs they were not computed from. */
    static String fingerprint(List<Matrix> inputs, Matrix upstream) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Matrix m : inputs) {
                sha.update(bytes(m));
            }
            sha.update(bytes(upstream));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the values written by {@link #write} for {@code assignments}, checking that each unit check's values
     * were computed from the inputs the grader draws now.
     *
     * @throws IOException when the file is missing, unreadable or does not fit the assignments; the message says
     *     which
     */
    public static ExpectedValues read(Path file, List<Assignment> assignments) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing " + file + ": it holds the expected values of the checks the assignment "
                    + "files do not (restore it, for example with git checkout)");
        }
        Map<String, Stored> stored = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format" -> {
                        if (p.getIntValue() != FORMAT) {
                            throw new IOException("it is in format " + p.getIntValue() + "; this engine reads "
                                    + FORMAT);
                        }
                    }
                    case "assignments" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String id = p.currentName();
                            p.nextToken();
                            stored.put(id, readAssignment(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Trace> traces = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            Stored st = stored.get(a.id());
            boolean needs = !a.unitChecks().isEmpty() || a.checkpoints().stream().anyMatch(ExpectedValues::needed);
            if (st == null && needs) {
                throw new IOException(file + " has no values for " + a.id() + ": it was made for other assignments");
            }
            if (st != null) {
                traces.put(a.id(), st.trace(file, a));
            }
        }
        return new ExpectedValues(traces);
    }

    /** One assignment's values as read, before its unit checks' inputs are drawn again. */
    private record Stored(Map<String, Matrix> forward, Map<String, Matrix> gradients,
            Map<Integer, Outcome<Map<String, Matrix>>> after, Map<String, StoredUnit> units) {

        /** The trace, with each unit check's inputs drawn as the grader draws them and checked against the file. */
        Trace trace(Path file, Assignment a) throws IOException {
            Map<String, Trace.UnitTrace> out = new LinkedHashMap<>();
            for (UnitCheckSpec u : a.unitChecks()) {
                StoredUnit su = units.get(u.op());
                UnitTracer.Inputs in = UnitTracer.inputs(a, u);
                if (su == null || !su.fingerprint().equals(fingerprint(in.values(), in.upstream()))) {
                    throw new IOException(file + " does not fit " + a.id() + " › " + u.op() + ": its values were "
                            + "computed from other inputs (by another version of the grader?)");
                }
                out.put(u.op(), unit(in.values(), in.upstream(), su.output(), su.backward()));
            }
            for (Checkpoint cp : a.checkpoints()) {
                boolean present = switch (cp.kind()) {
                    case FORWARD -> forward.containsKey(cp.target());
                    case GRADIENT -> gradients.containsKey(cp.target());
                    case PARAMETER -> after.containsKey(cp.afterSteps())
                            && after.get(cp.afterSteps()).value().containsKey(cp.target());
                };
                if (needed(cp) && !present) {
                    throw new IOException(file + " has no value for " + a.id() + " › " + cp.id());
                }
            }
            return ExpectedValues.trace(forward, gradients, after, out);
        }
    }

    private record StoredUnit(String fingerprint, List<Matrix> output, List<Matrix> backward) {}

    private static Stored readAssignment(JsonParser p) throws IOException {
        Map<String, Matrix> forward = Map.of();
        Map<String, Matrix> gradients = Map.of();
        Map<Integer, Outcome<Map<String, Matrix>>> after = new TreeMap<>();
        Map<String, StoredUnit> units = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "forward" -> forward = readMatrices(p);
                case "gradients" -> gradients = readMatrices(p);
                case "parameters_after" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        int steps = Integer.parseInt(p.currentName());
                        p.nextToken();
                        after.put(steps, Outcome.of(readMatrices(p)));
                    }
                }
                case "units" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String op = p.currentName();
                        p.nextToken();
                        units.put(op, readUnit(p));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Stored(forward, gradients, after, units);
    }

    private static StoredUnit readUnit(JsonParser p) throws IOException {
        String inputs = "";
        List<Matrix> output = List.of();
        List<Matrix> backward = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "inputs_sha256" -> inputs = p.getText();
                case "output" -> output = readList(p);
                case "backward" -> backward = readList(p);
                default -> p.skipChildren();
            }
        }
        return new StoredUnit(inputs, output, backward);
    }

    private static Map<String, Matrix> readMatrices(JsonParser p) throws IOException {
        Map<String, Matrix> out = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, readMatrix(p));
        }
        return out;
    }

    private static List<Matrix> readList(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<Matrix> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(readMatrix(p));
        }
        return out;
    }

    private static Matrix readMatrix(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        int rows = -1;
        int cols = -1;
        double[] values = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "rows" -> rows = p.getIntValue();
                case "cols" -> cols = p.getIntValue();
                case "values" -> {
                    List<Double> vs = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        vs.add(p.getDoubleValue());
                    }
                    values = vs.stream().mapToDouble(Double::doubleValue).toArray();
                }
                case "float64" -> {
                    ByteBuffer b = ByteBuffer.wrap(p.getBinaryValue());
                    values = new double[b.remaining() / 8];
                    b.asDoubleBuffer().get(values);
                }
                default -> p.skipChildren();
            }
        }
        if (rows < 1 || cols < 1 || values == null || values.length != rows * cols) {
            throw new IOException("a matrix at " + p.currentLocation().offsetDescription()
                    + " has no shape or the wrong number of values");
        }
        double[] v = values;
        int c = cols;
        return Matrix.build(rows, cols, (i, j) -> v[i * c + j]);
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException("expected " + want + " at " + p.currentLocation().offsetDescription() + ", found "
                    + got);
        }
    }
}
