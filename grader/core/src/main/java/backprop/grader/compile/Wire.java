package backprop.grader.compile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What travels between the grader and its compile process, inside {@link backprop.grader.sandbox.Frames}
 * (length-prefixed, checksummed, tagged with a nonce): a hello, a request (the sources), an answer (the status,
 * the errors, the classes). Every count and length read is checked against a bound before it is used, so a
 * compile process that answers nonsense is a failure the grader reports, not one it suffers.
 */
final class Wire {
    /** The compile process is ready. */
    static final byte HELLO = 1;
    /** Sources to compile. */
    static final byte REQUEST = 2;
    /** The result of a request. */
    static final byte ANSWER = 3;
    private static final int MAX_STRING = 1 << 20;

    private Wire() {}

    /** A hello frame's payload. */
    static byte[] hello() {
        return write(d -> d.writeByte(HELLO));
    }

    /**
     * A request as the compile process reads it.
     *
     * @param id its number, which the answer repeats
     * @param sources what to compile
     */
    record Request(int id, SourceFiles sources) {}

    /** A request frame's payload. */
    static byte[] request(int id, SourceFiles sources) {
        return write(d -> {
            d.writeByte(REQUEST);
            d.writeInt(id);
            d.writeInt(sources.files().size());
            for (SourceFiles.Source s : sources.files()) {
                str(d, s.path());
                bytes(d, s.bytes());
            }
        });
    }

    /** Reads a request. */
    static Request readRequest(byte[] payload) throws IOException {
        DataInputStream d = in(payload, REQUEST);
        int id = d.readInt();
        int n = count(d, SourceFiles.MAX_FILES);
        List<SourceFiles.Source> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(new SourceFiles.Source(str(d), bytes(d, (int) SourceFiles.MAX_BYTES)));
        }
        return new Request(id, SourceFiles.of(files));
    }

    /** An answer frame's payload: the result of request {@code id}. */
    static byte[] answer(int id, Javac.Result r) {
        return write(d -> {
            d.writeByte(ANSWER);
            d.writeInt(id);
            d.writeByte(r.status().ordinal());
            str(d, r.detail());
            d.writeInt(r.errorCount());
            d.writeInt(r.errors().size());
            for (Javac.Error e : r.errors()) {
                str(d, e.file());
                d.writeLong(e.line());
                str(d, e.message());
            }
            d.writeInt(r.classes().size());
            for (Map.Entry<String, byte[]> c : r.classes().entrySet()) {
                str(d, c.getKey());
                bytes(d, c.getValue());
            }
        });
    }

    /** Reads the answer to request {@code id}; an answer to any other request is an error. */
    static Javac.Result readAnswer(byte[] payload, int id) throws IOException {
        DataInputStream d = in(payload, ANSWER);
        int answered = d.readInt();
        if (answered != id) {
            throw new IOException("the answer to request " + answered + " where " + id + " was expected");
        }
        Javac.Status[] all = Javac.Status.values();
        int s = d.readUnsignedByte();
        if (s >= all.length) {
            throw new IOException("unknown status " + s);
        }
        String detail = str(d);
        int errorCount = d.readInt();
        int n = count(d, Javac.MAX_REPORTED);
        List<Javac.Error> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            errors.add(new Javac.Error(str(d), d.readLong(), str(d)));
        }
        int classes = count(d, 1 << 16);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < classes; i++) {
            out.put(str(d), bytes(d, (int) Javac.MAX_CLASS_BYTES));
        }
        if (d.available() != 0) {
            throw new IOException("trailing bytes after an answer");
        }
        return new Javac.Result(all[s], detail, errors, Math.max(errorCount, n), out);
    }

    /** The type byte of a payload, or -1 for an empty one. */
    static int type(byte[] payload) {
        return payload.length == 0 ? -1 : payload[0];
    }

    private interface Body {
        void writeTo(DataOutputStream d) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            body.writeTo(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return b.toByteArray();
    }

    private static DataInputStream in(byte[] payload, byte type) throws IOException {
        if (type(payload) != type) {
            throw new IOException("a frame of type " + type(payload) + " where " + type + " was expected");
        }
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(payload));
        d.readByte();
        return d;
    }

    private static int count(DataInputStream d, int max) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > max) {
            throw new IOException("a count of " + n + " (at most " + max + ")");
        }
        return n;
    }

    private static void str(DataOutputStream d, String s) throws IOException {
        bytes(d, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String str(DataInputStream d) throws IOException {
        return new String(bytes(d, MAX_STRING), StandardCharsets.UTF_8);
    }

    private static void bytes(DataOutputStream d, byte[] b) throws IOException {
        d.writeInt(b.length);
        d.write(b);
    }

    private static byte[] bytes(DataInputStream d, int max) throws IOException {
        int n = count(d, max);
        if (n > d.available()) {
            throw new IOException("a length of " + n + " past the end of the frame");
        }
        return d.readNBytes(n);
    }
}
