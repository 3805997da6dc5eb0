package backprop.grader.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The text of an assignment file, checked before any YAML is parsed: at most {@link #MAX_BYTES} bytes, and UTF-8
 * (a byte-order mark is allowed and remembered, so that a file written back keeps it).
 *
 * @param file where the text came from
 * @param text the characters, without the byte-order mark
 * @param bom whether the file started with a UTF-8 byte-order mark
 */
public record Source(Path file, String text, boolean bom) {
    /**
     * The largest file read: 2 MiB holds a literal matrix of some 200,000 numbers, far more than an exercise
     * writes down, while the YAML scanner (whose time grows faster than the length of one long value) still
     * reads it in about a second.
     */
    public static final int MAX_BYTES = 2 << 20;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Reads a file, refusing one that is too large or not UTF-8 with a problem saying where. */
    public static Source read(Path file) throws SpecException, IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new SpecException(List.of(new Problem(new Location(file, 1, 1, ""), String.format(Locale.ROOT,
                    "the file is %.1f MiB; an assignment file may be at most %d MiB (draw large values with "
                            + "'random', or write 'expected: reference')", size / (double) (1 << 20),
                    MAX_BYTES >> 20))));
        }
        return decode(file, Files.readAllBytes(file));
    }

    /** Text that is already in memory, without a byte-order mark. */
    public static Source of(Path file, String text) {
        boolean bom = !text.isEmpty() && text.charAt(0) == '\uFEFF';
        return new Source(file, bom ? text.substring(1) : text, bom);
    }

    /** Decodes UTF-8 strictly, naming the line and column of the first byte that is not UTF-8. */
    static Source decode(Path file, byte[] bytes) throws SpecException {
        boolean bom = bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
        ByteBuffer in = ByteBuffer.wrap(bytes, bom ? 3 : 0, bytes.length - (bom ? 3 : 0));
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult r = utf8.decode(in, out, true);
        if (r.isError()) {
            out.flip();
            String before = out.toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            String lastLine = before.substring(before.lastIndexOf('\n') + 1);
            int column = 1 + lastLine.codePointCount(0, lastLine.length());
            int bad = bytes[in.position()] & 0xFF;
            throw new SpecException(List.of(new Problem(new Location(file, line, column, ""), String.format(
                    Locale.ROOT, "the file is not UTF-8 text: the byte 0x%02X at line %d, column %d is not "
                            + "valid UTF-8 (was the file saved as Latin-1 or Windows-1252? save it as UTF-8)",
                    bad, line, column))));
        }
        utf8.flush(out);
        out.flip();
        return new Source(file, out.toString(), bom);
    }

    /** The file's bytes for new text: UTF-8, with the byte-order mark when the file had one. */
    public byte[] encode(String newText) {
        byte[] body = newText.getBytes(StandardCharsets.UTF_8);
        if (!bom) {
            return body;
        }
        byte[] all = new byte[body.length + BOM.length];
        System.arraycopy(BOM, 0, all, 0, BOM.length);
        System.arraycopy(body, 0, all, BOM.length, body.length);
        return all;
    }

    /** The line break the file uses: {@code \r\n} when its first line ends so, else {@code \n}. */
    public String lineBreak() {
        int n = text.indexOf('\n');
        return n > 0 && text.charAt(n - 1) == '\r' ? "\r\n" : "\n";
    }
}
