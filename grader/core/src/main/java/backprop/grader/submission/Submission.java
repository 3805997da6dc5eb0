package backprop.grader.submission;

import backprop.grader.compile.CompileException;
import backprop.grader.compile.Compilers;
import backprop.grader.compile.ContractsJar;
import backprop.grader.compile.SourceFiles;
import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A submission's classes, compiled from its sources and loaded by {@link Components#load} in a class loader of
 * their own that sees the contracts ({@code backprop.api}) and the JDK, and nothing of the grader: not the
 * engine, not the reference.
 */
public final class Submission {
    private Submission() {}

    /**
     * Compiles the sources under the given roots in this JVM (a file under a later root replaces the file with the
     * same relative path under an earlier one) into {@code classes} and returns its components. For the grader's
     * own sources and test fixtures: a submission is compiled in a compile process ({@link #open(String, Path,
     * Compilers)}).
     */
    public static Components compile(String label, List<Path> sourceRoots, Path classes) throws CompileException,
            IOException {
        Compilers.compileHere(SourceFiles.readRoots(sourceRoots), classes);
        return load(label, classes);
    }

    /**
     * Opens the grader's own solution at {@code path}: a jar or a folder of compiled classes is loaded as it is; a
     * folder of sources is compiled in this JVM into a temporary folder, deleted when the JVM exits.
     */
    public static Components open(String label, Path path) throws CompileException, IOException {
        if (compiled(path)) {
            return load(label, path);
        }
        Path classes = scratch();
        Compilers.compileHere(SourceFiles.read(path), classes);
        return load(label, classes);
    }

    /**
     * Opens a submission at {@code path}: a jar or a folder of compiled classes is loaded as it is (once no
     * symbolic link is found in it); a folder of sources is read without following links and compiled by
     * {@code compilers} into a temporary folder, deleted when the JVM exits.
     */
    public static Components open(String label, Path path, Compilers compilers) throws CompileException,
            IOException, InterruptedException {
        if (compiled(path)) {
            Optional<Path> link = firstLink(path);
            if (link.isPresent()) {
                throw CompileException.of("refused: " + link.get() + " is a symbolic link; the grader follows no "
                        + "link in a submission");
            }
            return load(label, path);
        }
        Path classes = scratch();
        compilers.compile(SourceFiles.read(path), classes);
        return load(label, classes);
    }

    private static boolean compiled(Path path) {
        return path.toString().endsWith(".jar") || Files.isRegularFile(path.resolve("homework/Backprop.class"))
                || Files.isRegularFile(path.resolve("homework/Relu.class"));
    }

    private static Path scratch() throws IOException {
        Path scratch = Files.createTempDirectory("grader-classes");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.delete(scratch)));
        return scratch;
    }

    /** The first symbolic link at or below {@code path}, without following any. */
    private static Optional<Path> firstLink(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return Optional.of(path);
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isSymbolicLink).findFirst();
        }
    }

    /** Loads already compiled classes (a folder or a jar) as a submission ({@link Components#load}). */
    public static Components load(String label, Path classes) {
        return Components.load(label, classes);
    }

    /** Where the contracts' classes are, to compile submissions against them. */
    public static Path apiLocation() {
        return ContractsJar.location();
    }
}
