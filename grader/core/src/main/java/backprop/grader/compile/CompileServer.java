package backprop.grader.compile;

import backprop.grader.sandbox.Frames;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The compile process: a JVM that compiles one submission at a time for the grader, with javac warm from the
 * submissions before. It reads the nonce, then request frames, on stdin, and answers each with a frame on stdout;
 * nothing else is written there. It runs with a bounded heap and exits on the first {@link OutOfMemoryError}
 * ({@code -XX:+ExitOnOutOfMemoryError}), so the grader sees a memory failure as the process's end; it ends by
 * itself when stdin closes or the grader that started it is gone. The grader kills it at the time limit.
 */
public final class CompileServer {
    /** The stack of the thread javac runs on: deep enough for any sensible nesting, bounded for the rest. */
    static final long STACK_BYTES = 16L << 20;

    /** A small source that touches the contracts, generics, lambdas and the collections. */
    private static final SourceFiles WARM_UP = SourceFiles.of(List.of(new SourceFiles.Source("warm/Warm.java", """
            package warm;

            import backprop.api.Matrix;
            import java.util.List;
            import java.util.function.Function;

            final class Warm {
                static <T> List<T> twice(T t) {
                    return List.of(t, t);
                }

                Matrix same(Matrix m) {
                    Function<Matrix, Matrix> f = x -> x;
                    return twice(f.apply(m)).get(0);
                }
            }
            """.getBytes(StandardCharsets.UTF_8))));

    private CompileServer() {}

    /**
     * Serves compile requests.
     *
     * @param args the contracts jar, the only classpath submissions compile against
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path classpath = Path.of(args[0]);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        InputStream in = new FileInputStream(FileDescriptor.in);
        byte[] nonce = new byte[Frames.NONCE_BYTES];
        try {
            // not readNBytes: FileInputStream's seeks, which a pipe refuses
            new DataInputStream(in).readFully(nonce);
        } catch (EOFException e) {
            return;
        }
        watchParent();
        // javac's first compilation loads and links most of it: paid here, before the first submission's clock
        compile(WARM_UP, classpath);
        send(out, nonce, Wire.hello());
        Deque<byte[]> requests = new ArrayDeque<>();
        Frames.Scanner scanner = new Frames.Scanner(nonce, requests::add);
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            scanner.feed(buf, 0, n);
            while (!requests.isEmpty()) {
                Wire.Request q = Wire.readRequest(requests.poll());
                Javac.Result r = compile(q.sources(), classpath);
                send(out, nonce, Wire.answer(q.id(), r));
                if (r.status() == Javac.Status.MEMORY) {
                    // a heap javac filled once is not trusted for the next submission
                    Runtime.getRuntime().halt(0);
                }
            }
        }
    }

    /** Compiles on a thread of its own, whose stack is {@link #STACK_BYTES}. */
    private static Javac.Result compile(SourceFiles sources, Path classpath) throws InterruptedException {
        Javac.Result[] result = new Javac.Result[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = Javac.compile(sources, classpath);
            } catch (RuntimeException | StackOverflowError e) {
                result[0] = Javac.Result.failed(e instanceof StackOverflowError ? Javac.Status.STACK
                        : Javac.Status.CRASHED, e.toString());
            }
        }, "javac", STACK_BYTES);
        t.start();
        t.join();
        return result[0] != null ? result[0] : Javac.Result.failed(Javac.Status.CRASHED, "no result");
    }

    private static void send(OutputStream out, byte[] nonce, byte[] payload) throws IOException {
        out.write(Frames.frame(nonce, payload));
        out.flush();
    }

    /**
     * Ends this process when the grader that started it is gone (it is then adopted by another process), so a
     * grader killed with SIGKILL leaves no compiler behind, even one busy in a long compilation.
     */
    private static void watchParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        long pid = parent.map(ProcessHandle::pid).orElse(-1L);
        Thread w = new Thread(() -> {
            while (true) {
                Optional<ProcessHandle> now = ProcessHandle.current().parent();
                if (now.isEmpty() || now.get().pid() != pid || !now.get().isAlive()) {
                    Runtime.getRuntime().halt(0);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "parent-watch");
        w.setDaemon(true);
        w.start();
    }
}
