package backprop.grader.junit;

import backprop.api.Matrix;
import backprop.grader.files.AtomicFiles;
import backprop.grader.run.Outcome;
import backprop.grader.run.Trace;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file form of {@link ExpectedValues}: JSON, read and written with Jackson's streaming API (no data binding,
 * which a student's run would pay to load), small matrices as numbers; large ones in a side file of big-endian
 * doubles that the JSON points into.
 */
final class ValuesFile {
    /**
     * Matrices up to this many entries are written as numbers; larger ones go to the side file as doubles, since
     * decoding a megabyte of text costs a student's run a fifth of a second and reading the bytes costs nothing.
     */
    private static final int LITERAL_ENTRIES = 256;
    private static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private ValuesFile() {}

    /** The side file of {@code file}, which holds its large matrices: {@code expected-values.bin}. */
    static Path side(Path file) {
        String name = file.getFileName().toString();
        return file.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".bin");
    }

    /**
     * Writes the traces, by assignment id, to {@code file} and its {@link #side} file, each atomically, with the
     * fingerprint of each unit check's inputs ({@code inputs}: by assignment id, then op).
     */
    static void write(Path file, Map<String, Trace> traces, Map<String, Map<String, String>> inputs)
            throws IOException {
        ByteArrayOutputStream side = new ByteArrayOutputStream();
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
                    writeAssignment(g, e.getValue(), inputs.getOrDefault(e.getKey(), Map.of()), side);
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
        });
        AtomicFiles.write(side(file), side.toByteArray());
    }

    private static void writeAssignment(JsonGenerator g, Trace t, Map<String, String> inputs,
            ByteArrayOutputStream side) throws IOException {
        writeMatrices(g, "forward", t.forward(), side);
        writeMatrices(g, "gradients", t.gradients().get().orElse(Map.of()), side);
        g.writeObjectFieldStart("parameters_after");
        for (Map.Entry<Integer, Outcome<Map<String, Matrix>>> e : t.parametersAfter().entrySet()) {
            writeMatrices(g, String.valueOf(e.getKey()), e.getValue().value(), side);
        }
        g.writeEndObject();
        g.writeObjectFieldStart("units");
        for (Map.Entry<String, Trace.UnitTrace> e : t.units().entrySet()) {
            Trace.UnitTrace u = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeStringField("inputs", inputs.get(e.getKey()));
            writeList(g, "output", u.output().value(), side);
            writeList(g, "backward", u.backward().get().orElse(List.of()), side);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeMatrices(JsonGenerator g, String field, Map<String, Matrix> ms,
            ByteArrayOutputStream side) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Matrix> e : ms.entrySet()) {
            g.writeFieldName(e.getKey());
            writeMatrix(g, e.getValue(), side);
        }
        g.writeEndObject();
    }

    private static void writeList(JsonGenerator g, String field, List<Matrix> ms, ByteArrayOutputStream side)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (Matrix m : ms) {
            writeMatrix(g, m, side);
        }
        g.writeEndArray();
    }

    private static void writeMatrix(JsonGenerator g, Matrix m, ByteArrayOutputStream side) throws IOException {
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
            g.writeNumberField("float64_at", side.size()); // big-endian doubles, row by row, from this byte
            side.writeBytes(bytes(m));
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

    /**
     * A digest of a unit check's inputs (64-bit FNV-1a over the doubles' bits), so that values never meet inputs
     * they were not computed from. It guards against drift, not against forgery: a cryptographic digest would cost
     * every run the start-up of the JDK's security providers.
     */
    static String fingerprint(List<Matrix> inputs, Matrix upstream) {
        long h = 0xcbf29ce484222325L;
        List<Matrix> all = new ArrayList<>(inputs);
        all.add(upstream);
        for (Matrix m : all) {
            h = (h ^ m.rows()) * 0x100000001b3L;
            h = (h ^ m.cols()) * 0x100000001b3L;
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    h = (h ^ Double.doubleToLongBits(m.get(i, j))) * 0x100000001b3L;
                }
            }
        }
        return String.format(Locale.ROOT, "%016x", h);
    }

    /**
     * Reads what {@link #write} wrote, by assignment id.
     *
     * @throws IOException when the file cannot be read or parsed; the message names it
     */
    static Map<String, Stored> read(Path file) throws IOException {
        Map<String, Stored> stored = new LinkedHashMap<>();
        Path sideFile = side(file);
        ByteBuffer side = Files.isRegularFile(sideFile) ? ByteBuffer.wrap(Files.readAllBytes(sideFile)) : null;
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
                            stored.put(id, readAssignment(p, side));
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

    private static Stored readAssignment(JsonParser p, ByteBuffer side) throws IOException {
        Map<String, Matrix> forward = Map.of();
        Map<String, Matrix> gradients = Map.of();
        Map<Integer, Outcome<Map<String, Matrix>>> after = new TreeMap<>();
        Map<String, StoredUnit> units = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "forward" -> forward = readMatrices(p, side);
                case "gradients" -> gradients = readMatrices(p, side);
                case "parameters_after" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        int steps = Integer.parseInt(p.currentName());
                        p.nextToken();
                        after.put(steps, Outcome.of(readMatrices(p, side)));
                    }
                }
                case "units" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String op = p.currentName();
                        p.nextToken();
                        units.put(op, readUnit(p, side));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Stored(forward, gradients, after, units);
    }

    private static StoredUnit readUnit(JsonParser p, ByteBuffer side) throws IOException {
        String inputs = "";
        List<Matrix> output = List.of();
        List<Matrix> backward = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "inputs" -> inputs = p.getText();
                case "output" -> output = readList(p, side);
                case "backward" -> backward = readList(p, side);
                default -> p.skipChildren();
            }
        }
        return new StoredUnit(inputs, output, backward);
    }

    private static Map<String, Matrix> readMatrices(JsonParser p, ByteBuffer side) throws IOException {
        Map<String, Matrix> out = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, readMatrix(p, side));
        }
        return out;
    }

    private static List<Matrix> readList(JsonParser p, ByteBuffer side) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<Matrix> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(readMatrix(p, side));
        }
        return out;
    }

    private static Matrix readMatrix(JsonParser p, ByteBuffer side) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        int rows = -1;
        int cols = -1;
        long at = -1;
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
                case "float64_at" -> at = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        if (at >= 0 && rows > 0 && cols > 0) {
            if (side == null) {
                throw new IOException("its side file of large matrices is missing");
            }
            if (at + 8L * rows * cols > side.capacity()) {
                throw new IOException("its side file is shorter than the matrix at byte " + at + " needs");
            }
            values = new double[rows * cols];
            side.slice((int) at, 8 * rows * cols).asDoubleBuffer().get(values);
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
