package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.TestFiles;
import backprop.grader.cli.Main;
import backprop.grader.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A grader process killed with SIGKILL, which runs no shutdown hook, leaves nothing behind under any mechanism:
 * not the child JVM, not the wrappers between (bubblewrap, unshare, setpriv, prlimit), not the processes the
 * submission started.
 */
class KilledGraderTest {
    @ParameterizedTest
    @EnumSource(value = Sandbox.Choice.class, names = {"BWRAP", "UID", "NONE"})
    void aGraderKilledWithSigkillLeavesNoProcessBehind(Sandbox.Choice choice, @TempDir Path tmp) throws Exception {
        Optional<String> missing = choice == Sandbox.Choice.UID ? HostileMechanismsTest.uidMissing()
                : choice == Sandbox.Choice.BWRAP && !Files.isExecutable(Path.of("/usr/bin/bwrap"))
                        ? Optional.of("bubblewrap is not installed here (.ci/run installs it)") : Optional.empty();
        assumeTrue(missing.isEmpty(), () -> choice + " not tested: " + missing.orElseThrow());
        Path subs = tmp.resolve("class");
        HostileBatch.overlay(TestFiles.root().resolve("grader/core/src/test/resources/hostile/infinite-loop"),
                subs.resolve("looping/homework"), Map.of());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisableAttachMechanism", "-Dgrader.home=" + TestFiles.root(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "grade", "--submissions", subs.toString(),
                "--out", tmp.resolve("out").toString(), "--assignments",
                TestFiles.publicAssignments().resolve("ops.yaml").toString(), "--reference",
                TestFiles.referenceSources().toString(), "--jobs", "1", "--timeout", "120", "--heap", "64m",
                "--sandbox", choice.name().toLowerCase(Locale.ROOT)));
        Path log = tmp.resolve("grader.log");
        Process grader = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (grader.isAlive() && !childJvmRuns(grader) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(childJvmRuns(grader)).as(Files.readString(log, StandardCharsets.UTF_8)).isTrue();
            Thread.sleep(500); // into the student's endless loop
            List<ProcessHandle> left = grader.descendants().toList();
            grader.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(grader.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (left.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            List<String> alive = left.stream().filter(ProcessHandle::isAlive)
                    .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList();
            left.forEach(ProcessHandle::destroyForcibly); // so that a failure leaves nothing running either
            assertThat(left).as("the grader's descendants").isNotEmpty();
            assertThat(alive).as("processes left behind by the killed grader (%s)", choice).isEmpty();
        } finally {
            grader.destroyForcibly();
        }
    }

    /** True once a child JVM runs the harness under the grader. */
    private static boolean childJvmRuns(Process grader) {
        return grader.descendants().anyMatch(h -> {
            try {
                String[] argv = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"),
                        StandardCharsets.UTF_8).split("\0");
                return argv[0].endsWith("/java") && List.of(argv).contains("backprop.grader.sandbox.ChildMain")
                        && !List.of(argv).contains("--probe");
            } catch (IOException e) {
                return false;
            }
        });
    }
}
