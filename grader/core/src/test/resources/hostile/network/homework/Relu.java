package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Hostile: tries to connect to a server the test runs on this host (the port is filled in by the test); when
 * it connects, it throws. A correct ReLU otherwise.
 */
public final class Relu implements Activation {
    public Relu() {}

    @Override
    public Matrix forward(Matrix z) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt("@@PORT@@")), 500);
            s.getOutputStream().write("exfiltrated".getBytes());
            throw new IllegalStateException("connected to the grader's host");
        } catch (IOException | NumberFormatException e) {
            // no network: good
        }
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }
}
