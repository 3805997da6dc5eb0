package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * Hostile: reaches the grading harness's classes in its own JVM by reflection and wrecks their state: every
 * static field it can write is set to null, every static array zeroed (the frame marker among them), the
 * uncaught-exception handler removed. The harness can then no longer send results: the submission loses what
 * it had not sent yet, and gains nothing.
 */
public final class Tanh implements Activation {
    public Tanh() {}

    @Override
    public Matrix forward(Matrix z) {
        Thread.setDefaultUncaughtExceptionHandler(null);
        for (String name : new String[] {"backprop.grader.sandbox.ChildMain", "backprop.grader.sandbox.Frames",
                "backprop.grader.sandbox.Codec", "backprop.grader.run.Tracer", "backprop.grader.submission.OpCall"}) {
            try {
                Class<?> c = ClassLoader.getSystemClassLoader().loadClass(name);
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object v = f.get(null);
                    if (v instanceof byte[] b) {
                        Arrays.fill(b, (byte) 0);
                    } else if (!Modifier.isFinal(f.getModifiers()) && !f.getType().isPrimitive()) {
                        f.set(null, null);
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // that one resisted: on to the next
            }
        }
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }
}
