package backprop.grader.submission;

import backprop.api.Matrix;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads a submission's compiled classes in a class loader of their own that sees the contracts
 * ({@code backprop.api}) and the JDK, and nothing of the grader: not the engine, not the reference. Apart from
 * {@link Submission}, which also compiles, so that the child JVM's harness, which only loads, carries nothing of
 * the compiler.
 */
public final class SubmissionLoader {
    private SubmissionLoader() {}

    /** Loads compiled classes (a folder or a jar) as a submission named {@code label}. */
    public static Components load(String label, Path classes) {
        try {
            URL[] urls = {classes.toUri().toURL()};
            return new Components(label, new URLClassLoader(label, urls, new ContractsOnly()));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(classes.toString(), e);
        }
    }

    /** A parent class loader that shows the JDK and the contracts, and hides everything else. */
    private static final class ContractsOnly extends ClassLoader {
        private static final String API = Matrix.class.getPackageName() + ".";

        ContractsOnly() {
            super("contracts-only", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(API)) {
                return Matrix.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
