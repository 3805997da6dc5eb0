package homework;

import backprop.api.ElementwiseOp;
import backprop.api.Gradients;
import backprop.api.Matrix;

/**
 * Hostile: a few threads (well within the thread limit), each asking for a 128 MiB stack and filling it by
 * recursing until it overflows, then holding it. The memory is native, outside the heap.
 */
public final class Sum implements ElementwiseOp {
    public Sum() {}

    static long deep(long n) {
        long a = n + 1;
        long b = a * 3;
        long c = b ^ a;
        return deep(n + 1) + a + b + c;
    }

    @Override
    public Matrix forward(Matrix a, Matrix b) {
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(null, () -> {
                try {
                    deep(0);
                } catch (StackOverflowError e) {
                    // the whole stack has been touched: hold it
                }
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // done
                }
            }, "deep-" + i, 128L << 20);
            t.setDaemon(true);
            t.start();
        }
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            // done
        }
        return a.plus(b);
    }

    @Override
    public Gradients backward(Matrix a, Matrix b, Matrix dLdy) {
        return Gradients.of(dLdy, dLdy);
    }
}
