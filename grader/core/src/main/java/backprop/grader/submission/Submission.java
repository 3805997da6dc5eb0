package backprop.grader.submission;

import backprop.api.Matrix;
import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    /** Folders never read as sources: build output, IDE and tool folders. Hidden folders are skipped too. */
    public static final Set<String> SKIP = Set.of(".git", ".idea", ".gradle", ".mvn", "target", "build", "out",
            "bin", "node_modules", "__MACOSX");

    /**
     * Finds the Java sources of a submission folder: its {@code src/main/java} (a copy of the template), a folder
     * holding {@code homework/}, or the one sub-folder a zip or a download wraps them in, a few levels down.
     */
    public static Path sourceRoot(Path dir) throws IOException {
        Path d = dir;
        for (int depth = 0; depth < 4; depth++) {
            if (Files.isDirectory(d.resolve("src/main/java"))) {
                return d.resolve("src/main/java");
            }
            if (Files.isDirectory(d.resolve("homework"))) {
                return d;
            }
            List<Path> subdirs = new ArrayList<>();
            boolean javaHere;
            try (Stream<Path> s = Files.list(d)) {
                List<Path> all = s.toList();
                javaHere = all.stream().anyMatch(p -> p.toString().endsWith(".java") && Files.isRegularFile(p));
                all.stream().filter(Files::isDirectory).filter(p -> !skipped(p.getFileName().toString()))
                        .forEach(subdirs::add);
            }
            if (javaHere || subdirs.size() != 1) {
                return d;
            }
            d = subdirs.get(0);
        }
        return d;
    }

    /** Returns true for a folder name that is never read as sources. */
    public static boolean skipped(String name) {
        return SKIP.contains(name) || (name.startsWith(".") && !name.equals("."));
    }

    /** Returns true when no part of a relative path is a skipped folder. */
    static boolean readable(Path relative) {
        for (Path part : relative) {
            if (skipped(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compiles the sources under the given roots (a file under a later root replaces the file with the same
     * relative path under an earlier one) into {@code classes} and returns its components.
     */
    public static Components compile(String label, List<Path> sourceRoots, Path classes) throws CompileException {
        Map<Path, Path> files = new LinkedHashMap<>();
        for (Path root : sourceRoots) {
            try (Stream<Path> s = Files.walk(root)) {
                // A link could point at anything the grader can read (the reference, a classmate's folder):
                // only real files count, and only outside build and tool folders.
                s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> readable(root.relativize(p)))
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
                    "-classpath", contractsJar().toString());
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(new ArrayList<>(files.values()));
            StringWriter said = new StringWriter();
            boolean ok = javac.getTask(said, fm, diagnostics, options, null, units).call();
            if (!ok) {
                List<String> errors = new ArrayList<>();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR && errors.size() < MAX_ERRORS) {
                        String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":"
                                + d.getLineNumber() + ": ";
                        errors.add(file + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
                    }
                }
                if (errors.isEmpty()) {
                    // javac reports some failures (a bad option, an unreadable file) only on its own output
                    said.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(MAX_ERRORS)
                            .forEach(errors::add);
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
     * sources (or a copy of the template) is compiled into a temporary folder, deleted when the JVM exits.
     */
    public static Components open(String label, Path path) throws CompileException, IOException {
        boolean compiled = path.toString().endsWith(".jar") || Files.isRegularFile(path.resolve("homework/Backprop.class"))
                || Files.isRegularFile(path.resolve("homework/Relu.class"));
        if (compiled) {
            return load(label, path);
        }
        Path scratch = Files.createTempDirectory("grader-classes");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.delete(scratch)));
        return compile(label, List.of(sourceRoot(path)), scratch);
    }

    /** Loads already compiled classes (a folder or a jar) as a submission. */
    public static Components load(String label, Path classes) {
        return Components.load(label, classes);
    }

    private static Path contractsJar;

    /**
     * A jar of the contracts alone, made once per run from wherever the grader's classes are (a class folder, or
     * the shaded jar that also holds the engine and its libraries): submissions compile against it and nothing
     * else.
     */
    static synchronized Path contractsJar() throws IOException {
        if (contractsJar != null && Files.isRegularFile(contractsJar)) {
            return contractsJar;
        }
        Path jar = Files.createTempFile("grader-contracts", ".jar");
        jar.toFile().deleteOnExit();
        String prefix = Matrix.class.getPackageName().replace('.', '/') + "/";
        Path from = apiLocation();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            if (Files.isDirectory(from)) {
                try (Stream<Path> s = Files.walk(from.resolve(prefix))) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new java.util.jar.JarEntry(from.relativize(p).toString().replace('\\', '/')));
                        Files.copy(p, out);
                        out.closeEntry();
                    }
                }
            } else {
                try (java.util.jar.JarFile in = new java.util.jar.JarFile(from.toFile())) {
                    for (java.util.jar.JarEntry e : java.util.Collections.list(in.entries())) {
                        if (e.getName().startsWith(prefix) && !e.isDirectory()) {
                            out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                            in.getInputStream(e).transferTo(out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        contractsJar = jar;
        return jar;
    }

    /** Where the contracts' classes are, to compile submissions against them. */
    public static Path apiLocation() {
        try {
            return Path.of(Matrix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
