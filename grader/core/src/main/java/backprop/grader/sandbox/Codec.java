package backprop.grader.sandbox;

import backprop.api.Matrix;
import backprop.grader.graph.BackwardCalls;
import backprop.grader.run.Outcome;
import backprop.grader.run.Probes;
import backprop.grader.run.Trace;
import backprop.grader.run.TracePlan;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Assignment.NodeSpec;
import backprop.grader.spec.Assignment.OptimizerSpec;
import backprop.grader.spec.Assignment.UnitCheckSpec;
import backprop.grader.spec.Location;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A compact binary form of what crosses the process boundary: the job the parent sends (each assignment's graph,
 * values and {@link TracePlan}, with no checkpoint at all) and the {@link Trace}s the child returns. Doubles travel as their raw bits, so
 * every value, NaN and infinities included, arrives exactly. Reading checks every count and size, so a bad
 * or hostile payload is an {@link IOException}, never a huge allocation.
 */
public final class Codec {
    /** Starts every job; changes when the format does. */
    static final int JOB_MAGIC = 0x42504A33; // "BPJ3"
    private static final int MAX_ENTRIES = 1 << 22;
    private static final int MAX_COUNT = 100_000;
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_LEVELS = 64;

    private Codec() {}

    /**
     * What the child is asked to do.
     *
     * @param nonce the frame nonce of this run
     * @param label the submission's label, for messages
     * @param maxThreads Java threads beyond which the child stops itself
     * @param assignments the stripped assignments, in grading order
     * @param plans what to trace of each assignment, in the same order
     */
    public record Job(byte[] nonce, String label, int maxThreads, List<Assignment> assignments, List<TracePlan> plans) {
        /** Checks that every assignment has its plan. */
        public Job {
            if (assignments.size() != plans.size()) {
                throw new IllegalArgumentException("one plan per assignment");
            }
        }

        /** A job for {@code assignments}, each stripped and given the plan its checkpoints call for. */
        public static Job of(byte[] nonce, String label, int maxThreads, List<Assignment> assignments) {
            return new Job(nonce, label, maxThreads, assignments.stream().map(Codec::strip).toList(),
                    assignments.stream().map(a -> TracePlan.of(a, true)).toList());
        }
    }

    /**
     * Returns {@code a} with nothing the child must not see: no checkpoint at all (their ids, expected values,
     * points and visibility stay in the grader), no title, description, hint, file path, location or parameter
     * origin. The child learns what to compute from the assignment's {@link TracePlan} instead.
     */
    public static Assignment strip(Assignment a) {
        Location nowhere = new Location(Path.of(a.id()), 0, 0, "");
        List<NodeSpec> graph = a.graph().stream()
                .map(n -> new NodeSpec(n.name(), n.op(), List.copyOf(n.inputs()), nowhere)).toList();
        List<UnitCheckSpec> units = a.unitChecks().stream()
                .map(u -> new UnitCheckSpec(u.op(), 0, u.rows(), u.cols(), u.outputs(), nowhere)).toList();
        return new Assignment(Path.of(a.id()), a.id(), "", "", "", a.inputs(), a.targets(), a.parameters(), Map.of(),
                graph, a.loss(), a.upstream(), a.optimizer(), List.of(), units);
    }

    // ---------------------------------------------------------------- job

    /** Writes a job (its assignments must already be stripped). */
    public static void writeJob(OutputStream out, Job job) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(JOB_MAGIC);
        d.write(job.nonce());
        str(d, job.label());
        d.writeInt(job.maxThreads());
        d.writeInt(job.assignments().size());
        for (int i = 0; i < job.assignments().size(); i++) {
            assignment(d, job.assignments().get(i));
            strings(d, job.plans().get(i).probed());
            strings(d, job.plans().get(i).sampled());
            d.writeInt(job.plans().get(i).steps());
        }
        d.flush();
    }

    /** Reads a job. */
    public static Job readJob(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        if (d.readInt() != JOB_MAGIC) {
            throw new IOException("not a grading job");
        }
        byte[] nonce = new byte[Frames.NONCE_BYTES];
        d.readFully(nonce);
        String label = str(d);
        int threads = d.readInt();
        int n = count(d);
        List<Assignment> as = new ArrayList<>();
        List<TracePlan> plans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            as.add(assignment(d));
            List<String> probed = strings(d);
            List<String> sampled = strings(d);
            if (!probed.containsAll(sampled)) {
                throw new IOException("a sampled node that is not probed");
            }
            int steps = d.readInt(); // up to the million an assignment may ask for, past the usual count limit
            if (steps < 0 || steps > 1_000_000) {
                throw new IOException("bad step count " + steps);
            }
            plans.add(new TracePlan(probed, sampled, steps));
        }
        return new Job(nonce, label, threads, as, plans);
    }

    private static void assignment(DataOutputStream d, Assignment a) throws IOException {
        str(d, a.id());
        matrices(d, a.inputs());
        matrices(d, a.targets());
        matrices(d, a.parameters());
        d.writeInt(a.graph().size());
        for (NodeSpec n : a.graph()) {
            str(d, n.name());
            str(d, n.op());
            strings(d, n.inputs());
        }
        optStr(d, a.loss());
        matrices(d, a.upstream());
        d.writeBoolean(a.optimizer().isPresent());
        if (a.optimizer().isPresent()) {
            d.writeLong(Double.doubleToRawLongBits(a.optimizer().get().learningRate()));
            d.writeLong(Double.doubleToRawLongBits(a.optimizer().get().momentum()));
        }
        d.writeInt(a.unitChecks().size());
        for (UnitCheckSpec u : a.unitChecks()) {
            str(d, u.op());
            d.writeInt(u.rows());
            d.writeInt(u.cols());
            d.writeInt(u.outputs());
        }
    }

    private static Assignment assignment(DataInputStream d) throws IOException {
        String id = str(d);
        Location nowhere = new Location(Path.of(id), 0, 0, "");
        Map<String, Matrix> inputs = matrices(d);
        Map<String, Matrix> targets = matrices(d);
        Map<String, Matrix> params = matrices(d);
        int nodes = count(d);
        List<NodeSpec> graph = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            graph.add(new NodeSpec(str(d), str(d), strings(d), nowhere));
        }
        Optional<String> loss = optStr(d);
        Map<String, Matrix> upstream = matrices(d);
        Optional<OptimizerSpec> opt = d.readBoolean()
                ? Optional.of(new OptimizerSpec(Double.longBitsToDouble(d.readLong()),
                        Double.longBitsToDouble(d.readLong())))
                : Optional.empty();
        int nu = count(d);
        List<UnitCheckSpec> units = new ArrayList<>();
        for (int i = 0; i < nu; i++) {
            units.add(new UnitCheckSpec(str(d), 0, d.readInt(), d.readInt(), d.readInt(), nowhere));
        }
        return new Assignment(Path.of(id), id, "", "", "", inputs, targets, params, Map.of(), graph, loss, upstream,
                opt, List.of(), units);
    }

    // ---------------------------------------------------------------- trace

    /** Encodes a trace. */
    public static byte[] trace(Trace t) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(4096);
        try {
            writeTrace(new DataOutputStream(b), t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Decodes a trace. */
    public static Trace trace(byte[] bytes) throws IOException {
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes));
        Trace t = readTrace(d);
        if (d.available() != 0) {
            throw new IOException(d.available() + " bytes after the trace");
        }
        return t;
    }

    /** Writes a trace. */
    public static void writeTrace(DataOutputStream d, Trace t) throws IOException {
        matrices(d, t.forward());
        optStr(d, t.failedNode());
        optStr(d, t.forwardFault());
        outcome(d, t.gradients(), Codec::matrices);
        d.writeInt(t.probes().size());
        for (Map.Entry<String, Outcome<Probes>> e : t.probes().entrySet()) {
            str(d, e.getKey());
            outcome(d, e.getValue(), Codec::probes);
        }
        d.writeInt(t.parametersAfter().size());
        for (Map.Entry<Integer, Outcome<Map<String, Matrix>>> e : t.parametersAfter().entrySet()) {
            d.writeInt(e.getKey());
            outcome(d, e.getValue(), Codec::matrices);
        }
        d.writeInt(t.units().size());
        for (Map.Entry<String, Trace.UnitTrace> e : t.units().entrySet()) {
            str(d, e.getKey());
            Trace.UnitTrace u = e.getValue();
            outcome(d, u.output(), Codec::matrixList);
            outcome(d, u.backward(), Codec::matrixList);
            outcome(d, u.backwardAtZero(), Codec::matrixList);
            outcome(d, u.probes(), (o, list) -> {
                o.writeInt(list.size());
                for (Probes p : list) {
                    probes(o, p);
                }
            });
        }
        d.writeInt(t.backward().size());
        for (Map.Entry<String, BackwardCalls> e : t.backward().entrySet()) {
            str(d, e.getKey());
            d.writeInt(e.getValue().calls());
            matrix(d, e.getValue().upstream());
            matrixList(d, e.getValue().contributions());
        }
    }

    /** Reads a trace. */
    public static Trace readTrace(DataInputStream d) throws IOException {
        Map<String, Matrix> forward = matrices(d);
        Optional<String> failed = optStr(d);
        Optional<String> fault = optStr(d);
        Outcome<Map<String, Matrix>> grads = outcome(d, Codec::matrices);
        int nn = count(d);
        Map<String, Outcome<Probes>> probes = new LinkedHashMap<>();
        for (int i = 0; i < nn; i++) {
            probes.put(str(d), outcome(d, Codec::probes));
        }
        int np = count(d);
        Map<Integer, Outcome<Map<String, Matrix>>> after = new TreeMap<>();
        for (int i = 0; i < np; i++) {
            after.put(d.readInt(), outcome(d, Codec::matrices));
        }
        int nu = count(d);
        Map<String, Trace.UnitTrace> units = new LinkedHashMap<>();
        for (int i = 0; i < nu; i++) {
            String op = str(d);
            units.put(op, new Trace.UnitTrace(outcome(d, Codec::matrixList), outcome(d, Codec::matrixList),
                    outcome(d, Codec::matrixList), outcome(d, x -> {
                        int n = count(x);
                        List<Probes> list = new ArrayList<>();
                        for (int k = 0; k < n; k++) {
                            list.add(probes(x));
                        }
                        return list;
                    })));
        }
        int nb = count(d);
        Map<String, BackwardCalls> backward = new LinkedHashMap<>();
        for (int i = 0; i < nb; i++) {
            String node = str(d);
            int calls = d.readInt();
            if (calls < 0) {
                throw new IOException("negative call count");
            }
            backward.put(node, new BackwardCalls(calls, matrix(d), matrixList(d)));
        }
        return new Trace(forward, failed, fault, grads, probes, after, units, backward);
    }

    // ---------------------------------------------------------------- pieces

    private interface Writer<T> {
        void write(DataOutputStream d, T value) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream d) throws IOException;
    }

    private static <T> void outcome(DataOutputStream d, Outcome<T> o, Writer<T> w) throws IOException {
        if (o == null) {
            d.writeByte(3);
        } else if (!o.ok()) {
            d.writeByte(0);
            str(d, o.fault());
        } else if (o.value() == null) {
            d.writeByte(2);
        } else {
            d.writeByte(1);
            w.write(d, o.value());
        }
    }

    private static <T> Outcome<T> outcome(DataInputStream d, Reader<T> r) throws IOException {
        return switch (d.readByte()) {
            case 0 -> Outcome.failed(str(d));
            case 1 -> Outcome.of(r.read(d));
            case 2 -> Outcome.of(null);
            case 3 -> null;
            default -> throw new IOException("bad outcome tag");
        };
    }

    private static void probes(DataOutputStream d, Probes p) throws IOException {
        dbl(d, p.center());
        d.writeInt(p.lines().size());
        for (Probes.Line l : p.lines()) {
            d.writeInt(l.row());
            d.writeInt(l.col());
            d.writeLong(l.seed());
            doubles(d, l.steps());
            doubles(d, l.plus());
            doubles(d, l.minus());
        }
    }

    private static Probes probes(DataInputStream d) throws IOException {
        double center = Double.longBitsToDouble(d.readLong());
        int n = count(d);
        List<Probes.Line> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(new Probes.Line(d.readInt(), d.readInt(), d.readLong(), doubles(d), doubles(d), doubles(d)));
        }
        return new Probes(center, lines);
    }

    private static void dbl(DataOutputStream d, double v) throws IOException {
        d.writeLong(Double.doubleToRawLongBits(v));
    }

    private static void doubles(DataOutputStream d, double[] v) throws IOException {
        d.writeInt(v.length);
        for (double x : v) {
            dbl(d, x);
        }
    }

    private static double[] doubles(DataInputStream d) throws IOException {
        int n = count(d);
        if (n > MAX_LEVELS) {
            throw new IOException("bad count " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Double.longBitsToDouble(d.readLong());
        }
        return v;
    }

    private static void matrices(DataOutputStream d, Map<String, Matrix> m) throws IOException {
        d.writeInt(m.size());
        for (Map.Entry<String, Matrix> e : m.entrySet()) {
            str(d, e.getKey());
            matrix(d, e.getValue());
        }
    }

    private static Map<String, Matrix> matrices(DataInputStream d) throws IOException {
        int n = count(d);
        Map<String, Matrix> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(str(d), matrix(d));
        }
        return m;
    }

    private static void matrixList(DataOutputStream d, List<Matrix> list) throws IOException {
        d.writeInt(list.size());
        for (Matrix m : list) {
            matrix(d, m);
        }
    }

    private static List<Matrix> matrixList(DataInputStream d) throws IOException {
        int n = count(d);
        List<Matrix> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(matrix(d));
        }
        return list;
    }

    /** A matrix, or null: {@code rows} is 0 for null. */
    private static void matrix(DataOutputStream d, Matrix m) throws IOException {
        if (m == null) {
            d.writeInt(0);
            return;
        }
        d.writeInt(m.rows());
        d.writeInt(m.cols());
        // a row at a time through one buffer, copied in bulk: a stream call per entry cost a cold child JVM tens of
        // milliseconds on the megabytes of a 784-128-10 trace. Big-endian raw bits, as DataOutputStream writes them.
        byte[] row = new byte[8 * m.cols()];
        DoubleBuffer view = ByteBuffer.wrap(row).asDoubleBuffer();
        for (double[] values : m.toArray()) {
            view.clear();
            view.put(values);
            d.write(row);
        }
    }

    private static Matrix matrix(DataInputStream d) throws IOException {
        int rows = d.readInt();
        if (rows == 0) {
            return null;
        }
        int cols = d.readInt();
        if (rows < 0 || cols <= 0 || (long) rows * cols > MAX_ENTRIES) {
            throw new IOException("bad matrix shape " + rows + "×" + cols);
        }
        double[][] v = new double[rows][cols];
        byte[] row = new byte[8 * cols];
        DoubleBuffer view = ByteBuffer.wrap(row).asDoubleBuffer();
        for (int i = 0; i < rows; i++) {
            d.readFully(row);
            view.clear();
            view.get(v[i]);
        }
        return Matrix.of(v);
    }

    private static void strings(DataOutputStream d, List<String> list) throws IOException {
        d.writeInt(list.size());
        for (String s : list) {
            str(d, s);
        }
    }

    private static List<String> strings(DataInputStream d) throws IOException {
        int n = count(d);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(str(d));
        }
        return list;
    }

    private static void optStr(DataOutputStream d, Optional<String> s) throws IOException {
        d.writeBoolean(s.isPresent());
        if (s.isPresent()) {
            str(d, s.get());
        }
    }

    private static Optional<String> optStr(DataInputStream d) throws IOException {
        return d.readBoolean() ? Optional.of(str(d)) : Optional.empty();
    }

    /** A string as UTF-8 with an int length ({@code writeUTF} stops at 64 KiB); null is written as "". */
    static void str(DataOutputStream d, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    static String str(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("bad count " + n);
        }
        return n;
    }
}
