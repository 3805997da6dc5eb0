package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile: tries every way into the JDK's internals and the tools it would use against the grader:
 * {@code sun.misc.Unsafe} and {@code jdk.internal.misc.Unsafe} by reflection, a private lookup, the fields of
 * {@code String}, the attach API, JMX, the compiler and jshell. The child's runtime holds {@code java.base}
 * alone, with its internals closed; if any way worked, forward throws and names it. A correct ReLU otherwise.
 */
public final class Relu implements Activation {
    public Relu() {}

    static List<String> reached() {
        List<String> got = new ArrayList<>();
        for (String c : new String[] {"sun.misc.Unsafe", "com.sun.tools.attach.VirtualMachine",
                "java.lang.management.ManagementFactory", "javax.tools.ToolProvider", "jdk.jshell.JShell",
                "sun.misc.Signal"}) {
            try {
                Class.forName(c);
                got.add(c);
            } catch (ClassNotFoundException | LinkageError e) {
                // not there: good
            }
        }
        try {
            Class<?> u = Class.forName("jdk.internal.misc.Unsafe");
            Field f = u.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            got.add("jdk.internal.misc.Unsafe.theUnsafe = " + f.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // closed: good
        }
        try {
            MethodHandles.privateLookupIn(Class.forName("jdk.internal.misc.Unsafe"), MethodHandles.lookup());
            got.add("a private lookup into jdk.internal.misc");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // closed: good
        }
        try {
            Field value = String.class.getDeclaredField("value");
            value.setAccessible(true);
            got.add("String.value");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // closed: good
        }
        return got;
    }

    @Override
    public Matrix forward(Matrix z) {
        List<String> got = reached();
        if (!got.isEmpty()) {
            throw new IllegalStateException("reached " + got);
        }
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }
}
