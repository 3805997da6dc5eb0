package backprop.grader.cli;

import backprop.grader.compile.CompileException;
import backprop.grader.submission.Components;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the grader's own files are: the repository that holds {@code assignments/} and the reference. Set by
 * the launcher as {@code -Dgrader.home}; otherwise the current folder.
 */
final class Home {
    private Home() {}

    static Path root() {
        String p = System.getProperty("grader.home", System.getenv("GRADER_HOME"));
        return Path.of(p == null ? "." : p).toAbsolutePath().normalize();
    }

    static Path assignments() {
        return root().resolve("assignments");
    }

    /** The reference's compiled classes when the build made them, else its sources. */
    static Path reference() {
        Path classes = root().resolve("grader/reference/target/classes");
        return Files.isRegularFile(classes.resolve("homework/Backprop.class")) ? classes
                : root().resolve("grader/reference/src/main/java");
    }

    static Components openReference(Path path) throws CompileException, IOException {
        return Submission.open("reference", path);
    }
}
