package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/**
 * Hostile: interrupts and stops every other thread of its JVM (a watchdog among them, if there were one), then
 * computes a correct sigmoid. Nothing that judges it runs in its JVM, so it keeps full marks.
 */
public final class Sigmoid implements Activation {
    static final int STOPPED = stopEveryone();

    public Sigmoid() {}

    @SuppressWarnings("removal")
    static int stopEveryone() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.interrupt();
                t.stop();
                n++;
            } catch (RuntimeException e) {
                // not allowed: on to the next
            }
        }
        return n;
    }

    @Override
    public Matrix forward(Matrix z) {
        return z.map(v -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, s) -> g * s * (1 - s));
    }
}
