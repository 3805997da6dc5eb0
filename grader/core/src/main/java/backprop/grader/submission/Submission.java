package backprop.grader.submission;

import backprop.api.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A submission's classes, compiled from its sources and loaded in a class loader of their own that sees the
 * contracts ({@code backprop.api}) and the JDK, and nothing of the grader: not the engine, not the reference.
 */
public final class Submission {
    private static final int MAX_ERRORS = 10;

    private Submission() {}

    /**
     * Finds the Java sources of a submission folder: its {@code src/main/java} when it has one (a copy of the
     * template), else the folder itself.
     */
    public static Path sourceRoot(Path dir) {
        Path maven = dir.resolve("src/main/java");
        return Files.isDirectory(maven) ? maven : dir;
    }

    /**
     * Compiles the sources under the given roots (a file under a later root replaces the file with the same
     * relative path under an earlier one) into {@code classes} and returns its components.
     */
    public static Components compile(String label, List<Path> sourceRoots, Path classes) throws CompileException {
        Map<Path, Path> files = new LinkedHashMap<>();
        for (Path root : sourceRoots) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                        .filter(p -> !p.getFileName().toString().equals("module-info.java"))
                        .forEach(p -> files.put(root.relativize(p), p));
            } catch (IOException e) {
                throw new CompileException(List.of("cannot read " + root + ": " + e.getMessage()));
            }
        }
        if (files.isEmpty()) {
            throw new CompileException(List.of("no .java files under " + sourceRoots));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run the grader on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Files.createDirectories(classes);
            List<String> options = List.of("-proc:none", "-encoding", "UTF-8", "-g", "-nowarn",
                    "--release", "17", "-implicit:class", "-d", classes.toString(),
                    "-classpath", apiLocation().toString());
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(new ArrayList<>(files.values()));
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, units).call();
            if (!ok) {
                List<String> errors = new ArrayList<>();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR && errors.size() < MAX_ERRORS) {
                        String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":"
                                + d.getLineNumber() + ": ";
                        errors.add(file + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
                    }
                }
                throw new CompileException(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return load(label, classes);
    }

    /**
     * Opens a submission at {@code path}: a jar or a folder of compiled classes is loaded as it is; a folder of
     * sources (or a copy of the template) is compiled into {@code scratch} first.
     */
    public static Components open(String label, Path path, Path scratch) throws CompileException {
        boolean compiled = path.toString().endsWith(".jar") || Files.isRegularFile(path.resolve("homework/Backprop.class"))
                || Files.isRegularFile(path.resolve("homework/Relu.class"));
        return compiled ? load(label, path) : compile(label, List.of(sourceRoot(path)), scratch);
    }

    /** Loads already compiled classes (a folder or a jar) as a submission. */
    public static Components load(String label, Path classes) {
        try {
            URL[] urls = {classes.toUri().toURL()};
            return new Components(label, new URLClassLoader(label, urls, new ContractsOnly()));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(classes.toString(), e);
        }
    }

    /** Where the contracts' classes are, to compile submissions against them. */
    public static Path apiLocation() {
        try {
            return Path.of(Matrix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
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
