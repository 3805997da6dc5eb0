package backprop.grader.compile;

import backprop.grader.sandbox.Frames;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A compile process that misbehaves on purpose, as {@code args[0]} says: {@code dies} sends half an answer and
 * ends with exit code 42; {@code garbage} answers with a well-framed payload that is no answer; {@code silent}
 * never says hello.
 */
public final class FakeCompileServer {
    private FakeCompileServer() {}

    /** Runs the misbehaviour {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(System.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] nonce = new byte[Frames.NONCE_BYTES];
        in.readFully(nonce);
        if (args[0].equals("silent")) {
            in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        out.write(Frames.frame(nonce, Wire.hello()));
        out.flush();
        in.read(new byte[4096]); // the start of the request
        byte[] answer = Frames.frame(nonce, Wire.answer(0, Javac.Result.failed(Javac.Status.ERRORS, "")));
        if (args[0].equals("dies")) {
            out.write(Arrays.copyOf(answer, answer.length / 2));
            out.flush();
            System.err.println("fake compiler: dying on purpose");
            Runtime.getRuntime().halt(42);
        }
        out.write(Frames.frame(nonce, new byte[] {Wire.ANSWER, 99}));
        out.flush();
        in.transferTo(OutputStream.nullOutputStream());
    }
}
