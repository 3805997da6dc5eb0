package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.security.Permission;

/**
 * Hostile: installs, from its static initialiser, a security manager that forbids touching threads and
 * exiting, the way to switch off a watchdog that lives in the same JVM. The child's JVM refuses any security
 * manager; if one were installed, forward throws, so the checks show it. A correct Tanh otherwise.
 */
public final class Tanh implements Activation {
    static final String INSTALLED = install();

    public Tanh() {}

    @SuppressWarnings("removal")
    private static String install() {
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override
                public void checkPermission(Permission p) {
                    // everything else is allowed
                }

                @Override
                public void checkAccess(Thread t) {
                    throw new SecurityException("no touching threads");
                }

                @Override
                public void checkAccess(ThreadGroup g) {
                    throw new SecurityException("no touching thread groups");
                }

                @Override
                public void checkExit(int status) {
                    throw new SecurityException("no exiting");
                }
            });
            return "a security manager was installed";
        } catch (UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    @Override
    public Matrix forward(Matrix z) {
        if (INSTALLED != null) {
            throw new IllegalStateException(INSTALLED);
        }
        return z.map(Math::tanh);
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(h, (g, t) -> g * (1 - t * t));
    }
}
