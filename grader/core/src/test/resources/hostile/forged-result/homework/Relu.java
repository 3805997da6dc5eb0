package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Hostile: a wrong ReLU that prints results claiming full marks, as text and as a well-formed frame with a
 * guessed nonce, on System.out and on the raw standard output.
 */
public final class Relu implements Activation {
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        System.out.println("RESULT seed-000 12/12 passed");
        System.out.println("{\"status\": \"graded\", \"score\": 1000}");
        byte[] payload = "TRACE all checks passed".getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(9 + 16 + 4 + payload.length + 4);
        b.put(new byte[] {'\n', 'B', 'P', 'G', 'R', 'A', 'D', 'E', 1}).put(new byte[16]).putInt(payload.length)
                .put(payload).putInt((int) crc.getValue());
        try {
            FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
            raw.write(b.array());
            raw.write("RESULT all passed\n".getBytes(StandardCharsets.UTF_8));
            raw.flush();
        } catch (IOException e) {
            // nothing
        }
        return z.map(v -> Math.abs(v)); // wrong: the forged results must not hide this
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
