package backprop.grader.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * How the child's results travel on its stdout, mixed with whatever the student's code writes there: each
 * result is a frame {@code MAGIC · nonce · length · payload · CRC-32(payload)}. The nonce is 16 random bytes
 * the parent draws for each run and sends on stdin; student code never sees it on any stream, so nothing it
 * prints can pass for a frame, and a frame from an earlier run cannot be replayed. Bytes outside frames are
 * the student's output, counted against the output limit.
 */
public final class Frames {
    /** Start of every frame: a newline, "BPGRADE", a version byte. */
    static final byte[] MAGIC = {'\n', 'B', 'P', 'G', 'R', 'A', 'D', 'E', 1};
    /** Length of the nonce. */
    public static final int NONCE_BYTES = 16;
    /** The largest payload the parent accepts. */
    public static final int MAX_PAYLOAD = 64 << 20;
    private static final int HEADER = MAGIC.length + NONCE_BYTES;

    /** The child has started and read its job. */
    public static final byte HELLO = 1;
    /** One assignment's trace. */
    public static final byte TRACE = 2;
    /** The child stopped on a fault (out of memory, too many threads, a crash of the harness). */
    public static final byte FAULT = 3;
    /** Student code called {@code System.exit}: sent from a shutdown hook. */
    public static final byte EXIT = 4;
    /** Every assignment was traced. */
    public static final byte DONE = 5;

    private Frames() {}

    /** Wraps a payload in a frame. */
    public static byte[] frame(byte[] nonce, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 + payload.length + 4);
        b.put(MAGIC).put(nonce).putInt(payload.length).put(payload).putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Splits a byte stream into frames (with the right nonce and checksum) and the rest. Feed it bytes as they
     * arrive; it calls {@code onFrame} with each payload, in order, and counts everything else.
     */
    public static final class Scanner {
        private static final int KEEP = 8192;
        private final byte[] header;
        private final Consumer<byte[]> onFrame;
        private byte[] buf = new byte[8192];
        private int len;
        private long stray;
        private int corrupt;
        private int truncated = -1;
        private final ByteArrayOutputStream strayHead = new ByteArrayOutputStream();

        /** Scans for frames carrying {@code nonce}. */
        public Scanner(byte[] nonce, Consumer<byte[]> onFrame) {
            this.header = ByteBuffer.allocate(HEADER).put(MAGIC).put(nonce).array();
            this.onFrame = onFrame;
        }

        /** Feeds {@code n} bytes. */
        public void feed(byte[] data, int off, int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(data, off, buf, len, n);
            len += n;
            scan();
        }

        /** Ends the stream: whatever is left is stray output, or a frame with this run's nonce cut off. */
        public void finish() {
            if (len >= HEADER && indexOfHeader() == 0) {
                truncated = len;
            }
            if (len > 0) {
                strayed(len);
            }
        }

        /**
         * What went wrong on the channel, as one phrase, once the stream is finished: frames with this run's nonce
         * whose length or checksum was wrong, or one cut off by the end of the stream.
         */
        public Optional<String> problem() {
            if (truncated >= 0) {
                return Optional.of("a result frame cut off after " + truncated + " bytes");
            }
            return corrupt == 0 ? Optional.empty() : Optional.of(corrupt
                    + " damaged result frame(s) (a wrong length or checksum)");
        }

        /** Bytes seen that were not part of a valid frame. */
        public long strayBytes() {
            return stray;
        }

        /** Frames with this run's nonce whose length or checksum was wrong. */
        public int corruptFrames() {
            return corrupt;
        }

        /** The first stray bytes, for diagnostics. */
        public byte[] strayHead() {
            return strayHead.toByteArray();
        }

        private void scan() {
            while (true) {
                int h = indexOfHeader();
                if (h < 0) {
                    int safe = len - (HEADER - 1);
                    if (safe > 0) {
                        strayed(safe);
                    }
                    return;
                }
                if (h > 0) {
                    strayed(h);
                }
                if (len < HEADER + 4) {
                    return;
                }
                int n = ByteBuffer.wrap(buf, HEADER, 4).getInt();
                if (n < 0 || n > MAX_PAYLOAD) {
                    corrupt++;
                    strayed(1);
                    continue;
                }
                int total = HEADER + 4 + n + 4;
                if (len < total) {
                    return;
                }
                CRC32 crc = new CRC32();
                crc.update(buf, HEADER + 4, n);
                int expected = ByteBuffer.wrap(buf, HEADER + 4 + n, 4).getInt();
                if ((int) crc.getValue() != expected) {
                    corrupt++;
                    strayed(1);
                    continue;
                }
                byte[] payload = Arrays.copyOfRange(buf, HEADER + 4, HEADER + 4 + n);
                consume(total);
                onFrame.accept(payload);
            }
        }

        private int indexOfHeader() {
            outer:
            for (int i = 0; i < len; i++) {
                int m = Math.min(HEADER, len - i);
                for (int k = 0; k < m; k++) {
                    if (buf[i + k] != header[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private void strayed(int n) {
            stray += n;
            int keep = Math.min(n, KEEP - strayHead.size());
            if (keep > 0) {
                strayHead.write(buf, 0, keep);
            }
            consume(n);
        }

        private void consume(int n) {
            System.arraycopy(buf, n, buf, 0, len - n);
            len -= n;
        }
    }
}
