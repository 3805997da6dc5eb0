package backprop.grader.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grader's side of the protocol: a compile process that dies mid-answer, answers nonsense or never starts. */
class CompilerProcessTest {
    @TempDir
    Path dir;

    private Launcher.Command fake(String how) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new Launcher.Command(List.of(java, "-cp", System.getProperty("java.class.path"),
                FakeCompileServer.class.getName(), how), Map.of("PATH", "/usr/bin:/bin"), dir);
    }

    private static SourceFiles one() {
        return SourceFiles.of(List.of(new SourceFiles.Source("homework/A.java",
                "class A {}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aCompilerThatDiesMidAnswerIsDetectedWithItsExitCodeAndWords() throws Exception {
        CompilerProcess p = CompilerProcess.start(fake("dies"), Duration.ofSeconds(60));
        assertThatThrownBy(() -> p.compile(one(), Duration.ofSeconds(60))).isInstanceOf(CompilerProcess.Stopped.class)
                .hasMessage("exit code 42: fake compiler: dying on purpose")
                .satisfies(e -> assertThat(((CompilerProcess.Stopped) e).why()).isEqualTo(CompilerProcess.Why.DIED));
        assertThat(p.usable()).isFalse();
    }

    @Test
    void anAnswerThatIsNoAnswerIsDetectedAndTheProcessNotUsedAgain() throws Exception {
        CompilerProcess p = CompilerProcess.start(fake("garbage"), Duration.ofSeconds(60));
        assertThatThrownBy(() -> p.compile(one(), Duration.ofSeconds(60))).isInstanceOf(CompilerProcess.Stopped.class)
                .hasMessageStartingWith("an unreadable answer");
        assertThat(p.usable()).isFalse();
    }

    @Test
    void aCompilerThatNeverSaysHelloIsNotStarted() {
        assertThatThrownBy(() -> CompilerProcess.start(fake("silent"), Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class).hasMessage("the compile process did not start within 2 s");
    }
}
