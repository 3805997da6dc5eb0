package homework;

import backprop.api.Activation;
import backprop.api.Matrix;

/** Hostile: starts threads that never end, without limit. */
public final class Softmax implements Activation {
    public Softmax() {}

    @Override
    public Matrix forward(Matrix z) {
        while (true) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep going
                }
            });
            t.start();
        }
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
