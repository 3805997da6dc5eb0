package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auto} means bubblewrap for students' code: on a host without it, the grader stops and says what to do,
 * and only a choice that names a weaker mechanism (or {@code any}, for the project's own code) runs without it.
 */
class SandboxChoiceTest {
    static final Limits LIMITS = Limits.DEFAULT.withWall(Duration.ofSeconds(20)).withHeapMb(64);

    /** This host as it would be without bubblewrap. */
    static HostTools withoutBubblewrap() throws IOException {
        HostTools t = HostTools.find();
        return new HostTools(t.javaHome(), Optional.empty(), t.prlimit(), t.setpriv(), t.unshare(), t.root(),
                Set.of());
    }

    @Test
    void autoWithoutBubblewrapStopsAndSaysHowToInstallItOrWhatToName(@TempDir Path dir) throws Exception {
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        HostTools tools = withoutBubblewrap();
        assertThatThrownBy(() -> Sandbox.detect(Sandbox.Choice.AUTO, tools, ChildRuntime.limited(tools.javaHome()),
                harness, dir, LIMITS, s -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bwrap is not installed")
                .hasMessageContaining("apt-get install bubblewrap")
                .hasMessageContaining("--sandbox uid")
                .hasMessageContaining("--sandbox none");
    }

    @Test
    void anyFallsBackWithAWarningAndSaysWhy(@TempDir Path dir) throws Exception {
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        HostTools tools = withoutBubblewrap();
        List<String> log = new ArrayList<>();
        Sandbox sb = Sandbox.detect(Sandbox.Choice.ANY, tools, ChildRuntime.of(tools.javaHome(), log::add), harness,
                dir, LIMITS, log::add);
        assertThat(sb.mechanism()).isNotEqualTo(Sandbox.Mechanism.BWRAP);
        assertThat(log).anySatisfy(l -> assertThat(l).contains("not using bwrap: bwrap is not installed"));
        assertThat(sb.warning()).hasValueSatisfying(w -> assertThat(w).startsWith("WARNING").contains("bubblewrap"));
    }

    @Test
    void anImageThatDoesNotRunGivesWayToTheJdkLimitedToJavaBase(@TempDir Path dir) throws Exception {
        // as on a host whose temporary folder is mounted noexec: the image is there, but nothing runs on it
        Path image = Files.createDirectories(dir.resolve("image/bin"));
        Files.writeString(image.resolve("java"), "#!/bin/sh\nexit 1\n");
        image.resolve("java").toFile().setExecutable(true);
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        List<String> log = new ArrayList<>();
        Sandbox sb = Sandbox.detect(Sandbox.Choice.ANY, HostTools.find(),
                new ChildRuntime(dir.resolve("image"), List.of(), true), harness, dir, LIMITS, log::add);
        assertThat(sb.description()).contains("--limit-modules");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("nothing ran on the image"));
        ChildRunTest.traceTheReference(sb, dir, LIMITS, "after a broken image");
    }

    @Test
    void theUidViewTakesAFolderOfAnyName(@TempDir Path tmp) throws Exception {
        HostTools tools = HostTools.find();
        assumeTrue(tools.root() && tools.unshare().isPresent() && tools.setpriv().isPresent(),
                "the uid mechanism needs root, unshare and setpriv");
        // the view's shell script quotes every path: a work folder with quotes, a dollar and spaces still works
        Path dir = Files.createDirectories(tmp.resolve("it's a \"work\" folder $HOME `x`"));
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        Sandbox sb = Sandbox.detect(Sandbox.Choice.UID, harness, dir, LIMITS, s -> { });
        ChildRunTest.traceTheReference(sb, dir, LIMITS, "uid in an odd folder");
    }
}
