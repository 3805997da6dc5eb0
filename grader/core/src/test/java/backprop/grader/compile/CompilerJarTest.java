package backprop.grader.compile;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.sandbox.HarnessJar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile process carries the compiler and nothing else of the grader; the child carries none of it. */
class CompilerJarTest {
    private static List<String> graderClasses(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(ZipEntry::getName).filter(n -> n.startsWith("backprop/grader/"))
                    .map(n -> n.replaceAll("\\$.*|\\.class$", "")).distinct().sorted().toList();
        }
    }

    @Test
    void theCompileProcessJarHoldsTheCompilerAndItsFramesAlone(@TempDir Path dir) throws IOException {
        assertThat(graderClasses(HarnessJar.write(dir.resolve("compiler.jar"), CompileServer.class))).containsExactly(
                "backprop/grader/compile/CompileException", "backprop/grader/compile/CompileServer",
                "backprop/grader/compile/Folder", "backprop/grader/compile/Javac",
                "backprop/grader/compile/SourceFiles", "backprop/grader/compile/Wire",
                "backprop/grader/sandbox/Frames");
    }

    @Test
    void theChildsHarnessHoldsNothingOfTheCompiler(@TempDir Path dir) throws IOException {
        assertThat(graderClasses(HarnessJar.write(dir.resolve("harness.jar"))))
                .contains("backprop/grader/submission/Components")
                .noneMatch(n -> n.startsWith("backprop/grader/compile/")
                        || n.equals("backprop/grader/submission/Submission"));
    }
}
