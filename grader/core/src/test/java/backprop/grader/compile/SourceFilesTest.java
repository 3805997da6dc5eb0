package backprop.grader.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a submission's sources: every usual layout, and no symbolic link followed anywhere. */
class SourceFilesTest {
    @TempDir
    Path dir;

    private Path source(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "package homework; class " + p.getFileName().toString().replace(".java", "") + " {}");
        return p;
    }

    private static List<String> paths(SourceFiles s) {
        return s.files().stream().map(SourceFiles.Source::path).toList();
    }

    @Test
    void theSourcesAreFoundInEveryUsualLayout() throws Exception {
        source("t/src/main/java/homework/Relu.java");
        source("t/src/test/java/homework/ReluTest.java");
        source("t/target/classes/homework/Stale.java");
        assertThat(paths(SourceFiles.read(dir.resolve("t")))).containsExactly("homework/Relu.java");
        source("f/homework/Relu.java");
        source("f/.idea/Hidden.java");
        assertThat(paths(SourceFiles.read(dir.resolve("f")))).containsExactly("homework/Relu.java");
        source("z/my-hw-folder/src/main/java/homework/Relu.java");
        Files.createDirectories(dir.resolve("z/__MACOSX"));
        assertThat(paths(SourceFiles.read(dir.resolve("z")))).containsExactly("homework/Relu.java");
        source("loose/Relu.java");
        assertThat(paths(SourceFiles.read(dir.resolve("loose")))).containsExactly("Relu.java");
        assertThat(paths(SourceFiles.read(dir.resolve("t"), false))).containsExactly("homework/Relu.java");
        assertThat(SourceFiles.read(dir.resolve("loose")).files().get(0).bytes())
                .isEqualTo(Files.readAllBytes(dir.resolve("loose/Relu.java")));
    }

    @Test
    void aFolderWithoutSourcesSaysSo() throws IOException {
        Files.createDirectories(dir.resolve("empty/homework"));
        assertThatThrownBy(() -> SourceFiles.read(dir.resolve("empty"))).isInstanceOf(CompileException.class)
                .hasMessage("no .java files in " + dir.resolve("empty"));
    }

    /** A link to a folder of real sources, at each place the sources are looked for. */
    @Test
    void aLinkToAFolderIsRefusedAtEveryLevelAndNamed() throws Exception {
        Path real = dir.resolve("real");
        source("real/src/main/java/homework/Relu.java");
        assertLinkRefused("whole", null, real, "the submission whole is a symbolic link (to " + real + ")");
        assertLinkRefused("src", "src", real.resolve("src"), "src is a symbolic link");
        assertLinkRefused("main", "src/main", real.resolve("src/main"), "src/main is a symbolic link");
        assertLinkRefused("java", "src/main/java", real.resolve("src/main/java"), "src/main/java is a symbolic link");
        assertLinkRefused("hw", "homework", real.resolve("src/main/java/homework"), "homework is a symbolic link");
        assertLinkRefused("deep", "src/main/java/homework", real.resolve("src/main/java/homework"),
                "src/main/java/homework is a symbolic link");
        assertLinkRefused("wrapped", "wrapper", real, "wrapper is a symbolic link");
    }

    @Test
    void aLinkToAFileALoopAndADanglingLinkAreRefusedAndNamed() throws Exception {
        Path real = source("real/homework/Relu.java");
        assertLinkRefused("file", "src/main/java/homework/Relu.java", real,
                "src/main/java/homework/Relu.java is a symbolic link (to " + real + ")");
        Path loop = Files.createDirectories(dir.resolve("loop/src/main/java/homework"));
        Files.createSymbolicLink(loop.resolve("Loop.java"), loop.resolve("Loop.java"));
        assertThatThrownBy(() -> SourceFiles.read(dir.resolve("loop"))).isInstanceOf(CompileException.class)
                .hasMessageContaining("src/main/java/homework/Loop.java is a symbolic link");
        Path dangling = Files.createDirectories(dir.resolve("dangling/homework"));
        Files.createSymbolicLink(dangling.resolve("Gone.java"), dir.resolve("nowhere/Gone.java"));
        assertThatThrownBy(() -> SourceFiles.read(dir.resolve("dangling"))).isInstanceOf(CompileException.class)
                .hasMessageContaining("homework/Gone.java is a symbolic link (to " + dir.resolve("nowhere/Gone.java"));
        Path other = Files.createDirectories(dir.resolve("other/homework"));
        Files.writeString(other.resolve("Relu.java"), "class Relu {}");
        Files.createSymbolicLink(other.resolve("notes.txt"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> SourceFiles.read(dir.resolve("other"))).isInstanceOf(CompileException.class)
                .hasMessageContaining("homework/notes.txt is a symbolic link");
    }

    @Test
    void aLinkOutsideWhereSourcesAreLookedForIsNeitherFollowedNorRefused() throws Exception {
        source("repo/src/main/java/homework/Relu.java");
        Files.createSymbolicLink(dir.resolve("repo/README.md"), Path.of("/etc/passwd"));
        Files.createDirectories(dir.resolve("repo/target"));
        Files.createSymbolicLink(dir.resolve("repo/target/classes"), Path.of("/"));
        assertThat(paths(SourceFiles.read(dir.resolve("repo")))).containsExactly("homework/Relu.java");
    }

    private void assertLinkRefused(String name, String linkAt, Path target, String message) throws IOException {
        Path sub = dir.resolve(name);
        if (linkAt == null) {
            Files.createSymbolicLink(sub, target);
        } else {
            Path link = sub.resolve(linkAt);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, target);
        }
        // by open folders here, and by paths as on a platform without them: the same refusal
        for (boolean secure : new boolean[] {true, false}) {
            assertThatThrownBy(() -> SourceFiles.read(sub, secure)).as(name).isInstanceOf(CompileException.class)
                    .hasMessageStartingWith("refused: ").hasMessageContaining(message)
                    .hasMessageEndingWith("the grader follows no link in a submission")
                    .satisfies(e -> assertThat(((CompileException) e).errors()).containsExactly(e.getMessage()));
        }
    }

    @Test
    void aFileNamedLikeAPathOrNotLikeAClassIsRefused() throws IOException {
        for (String bad : List.of("..\\..\\Relu.java", "Relu (1).java", "-d.java", "Re\nlu.java", ".java")) {
            Path sub = dir.resolve("s" + bad.hashCode());
            Files.createDirectories(sub.resolve("homework"));
            Files.writeString(sub.resolve("homework").resolve(bad), "class X {}");
            if (bad.startsWith(".")) {
                // a hidden file is skipped, like a hidden folder
                assertThatThrownBy(() -> SourceFiles.read(sub)).hasMessageStartingWith("no .java files");
                continue;
            }
            assertThatThrownBy(() -> SourceFiles.read(sub)).as(bad).isInstanceOf(CompileException.class)
                    .hasMessageContaining("is not a Java source name").hasMessageNotContaining("\n");
        }
        assertThat(SourceFiles.javaName("Réseau.java")).isTrue();
        assertThat(SourceFiles.javaName("package-info.java")).isTrue();
        assertThat(SourceFiles.javaName("Relu\u0001.java")).isFalse();
    }

    @Test
    void aFifoNamedLikeASourceIsNeverOpened() throws Exception {
        Path hw = Files.createDirectories(dir.resolve("fifo/homework"));
        Files.writeString(hw.resolve("Relu.java"), "class Relu {}");
        Process p = new ProcessBuilder("mkfifo", hw.resolve("Pipe.java").toString()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("mkfifo").isZero();
        assertThat(paths(SourceFiles.read(dir.resolve("fifo")))).containsExactly("homework/Relu.java");
    }

    @Test
    void sourcesPastTheSizeLimitAreRefused() throws IOException {
        Path hw = Files.createDirectories(dir.resolve("big/homework"));
        Files.write(hw.resolve("Big.java"), new byte[(int) SourceFiles.MAX_BYTES + 1]);
        assertThatThrownBy(() -> SourceFiles.read(dir.resolve("big"))).isInstanceOf(CompileException.class)
                .hasMessageContaining("larger than 16 MiB");
    }

    @Test
    void laterRootsReplaceTheFilesOfEarlierOnes() throws Exception {
        source("a/homework/Relu.java");
        source("a/homework/Tanh.java");
        Path patched = dir.resolve("b/homework/Relu.java");
        Files.createDirectories(patched.getParent());
        Files.writeString(patched, "patched");
        SourceFiles s = SourceFiles.readRoots(List.of(dir.resolve("a"), dir.resolve("b")));
        assertThat(paths(s)).containsExactly("homework/Relu.java", "homework/Tanh.java");
        assertThat(new String(s.files().get(0).bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("patched");
    }
}
