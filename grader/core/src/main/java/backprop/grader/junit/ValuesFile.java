package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.files.AtomicFiles;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
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
import java.util.TreeMap;

/**
 * The JSON form of {@link ExpectedValues}, read and written with Jackson's streaming API (no data binding, which a
 * student's run would pay to load): small matrices as numbers, large ones as base64 big-endian doubles.
 */
final class ValuesFile {
    /** Matrices up to this many entries are written as numbers; larger ones as base64 doubles. */
    private static final int LITERAL_ENTRIES = 256;
    private static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private ValuesFile() {}

    /** Writes the traces, by assignment id, to {@code file}, atomically. */
    static void write(Path file, Map<String, Trace> traces) throws IOException {
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
     * Reads what {@link #write} wrote, by assignment id.
     *
     * @throws IOException when the file cannot be read or parsed; the message names it
     */
    static Map<String, Stored> read(Path file) throws IOException {
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
        return stored;
    }

    /**
     * One assignment's values as read: each unit check's inputs are not stored, only their fingerprint, since the
     * grader draws them again.
     */
    record Stored(Map<String, Matrix> forward, Map<String, Matrix> gradients,
            Map<Integer, Outcome<Map<String, Matrix>>> after, Map<String, StoredUnit> units) {}

    /** One unit check's values, with the fingerprint of the inputs they were computed from. */
    record StoredUnit(String fingerprint, List<Matrix> output, List<Matrix> backward) {}

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
