package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Telling result frames apart from anything a student prints. */
class FramesTest {
    private final byte[] nonce = Sandbox.nonce();
    private final List<String> frames = new ArrayList<>();
    private final Frames.Scanner scanner = new Frames.Scanner(nonce,
            p -> frames.add(new String(p, StandardCharsets.UTF_8)));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void feedInPieces(byte[] all, int piece) {
        for (int i = 0; i < all.length; i += piece) {
            scanner.feed(all, i, Math.min(piece, all.length - i));
        }
        scanner.finish();
    }

    @Test
    void framesAmongStudentOutputAreFoundWhateverTheReadSizes() throws Exception {
        for (int piece : new int[] {1, 3, 7, 64, 4096}) {
            frames.clear();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(utf8("hello from the student\n"));
            b.write(Frames.frame(nonce, utf8("first")));
            b.write(utf8("BPGRADE \n\nBPGRADE"));
            b.write(Frames.frame(nonce, utf8("second")));
            b.write(utf8("bye"));
            Frames.Scanner s = new Frames.Scanner(nonce, p -> frames.add(new String(p, StandardCharsets.UTF_8)));
            byte[] all = b.toByteArray();
            for (int i = 0; i < all.length; i += piece) {
                s.feed(all, i, Math.min(piece, all.length - i));
            }
            s.finish();
            assertThat(frames).as("pieces of " + piece).containsExactly("first", "second");
            assertThat(s.strayBytes()).isEqualTo(23 + 17 + 3);
            assertThat(new String(s.strayHead(), StandardCharsets.UTF_8)).startsWith("hello from the student");
        }
    }

    @Test
    void aFrameWithAnotherNonceIsJustOutput() throws Exception {
        byte[] forged = Frames.frame(Sandbox.nonce(), utf8("all checks passed"));
        feedInPieces(forged, 5);
        assertThat(frames).isEmpty();
        assertThat(scanner.strayBytes()).isEqualTo(forged.length);
    }

    @Test
    void aFrameWithAWrongChecksumOrLengthIsDropped() throws Exception {
        byte[] bad = Frames.frame(nonce, utf8("payload"));
        bad[bad.length - 1] ^= 1;
        byte[] good = Frames.frame(nonce, utf8("ok"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(bad);
        b.write(good);
        feedInPieces(b.toByteArray(), 2);
        assertThat(frames).containsExactly("ok");
        assertThat(scanner.corruptFrames()).isEqualTo(1);
        assertThat(scanner.problem()).contains("1 damaged result frame(s) (a wrong length or checksum)");
    }

    @Test
    void aCleanStreamHasNoProblemAndNeitherHasAFrameStartWithoutTheNonce() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Frames.frame(nonce, utf8("ok")));
        b.writeBytes(utf8("student output\nBPGRADE\u0001"));
        feedInPieces(b.toByteArray(), 3);
        assertThat(frames).containsExactly("ok");
        assertThat(scanner.problem()).isEmpty();
    }

    @Test
    void anUnfinishedFrameAtTheEndIsOutput() {
        byte[] f = Frames.frame(nonce, utf8("cut short"));
        scanner.feed(f, 0, f.length - 3);
        scanner.finish();
        assertThat(frames).isEmpty();
        assertThat(scanner.strayBytes()).isEqualTo(f.length - 3);
        assertThat(scanner.problem()).contains("a result frame cut off after " + (f.length - 3) + " bytes");
    }
}
