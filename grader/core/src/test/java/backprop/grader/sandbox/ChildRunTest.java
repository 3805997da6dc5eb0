package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.TestFiles;
import backprop.grader.run.TracePlan;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The child JVM under each mechanism this host offers, on each runtime, and at the tightest and widest limits,
 * returns exactly the traces the grader computes itself. A mechanism whose tools are missing here is skipped
 * with the reason; one whose tools are here must work.
 */
class ChildRunTest {
    static final Limits SMALL = Limits.DEFAULT.withWall(Duration.ofSeconds(20)).withHeapMb(128);

    @Test
    void theChildsClasspathHoldsNoJacksonNoReferenceAndNoCheckingCode(@TempDir Path dir) throws Exception {
        Path jar = HarnessJar.write(dir.resolve("harness.jar"));
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> names = j.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("backprop/api/Matrix.class", "backprop/grader/run/Tracer.class",
                    "backprop/grader/sandbox/ChildMain.class");
            assertThat(names).noneMatch(n -> n.startsWith("com/") || n.startsWith("org/") || n.startsWith("picocli/")
                    || n.startsWith("homework/") || n.startsWith("backprop/grader/check/")
                    || n.startsWith("backprop/grader/batch/") || n.startsWith("backprop/grader/cli/")
                    || n.startsWith("backprop/grader/report/"));
        }
    }

    /** Why {@code choice} cannot work on this host, if its tools are missing. */
    static Optional<String> unavailable(Sandbox.Choice choice) throws IOException {
        HostTools t = HostTools.find();
        return switch (choice) {
            case AUTO, BWRAP -> t.bwrap().isEmpty() ? Optional.of("bubblewrap is not installed here (.ci/run "
                    + "installs it)") : Optional.empty();
            case UID -> !t.root() ? Optional.of("the uid mechanism needs root")
                    : t.unshare().isEmpty() || t.setpriv().isEmpty() ? Optional.of("unshare or setpriv is missing")
                    : Optional.empty();
            case ANY, NONE -> Optional.empty();
        };
    }

    @ParameterizedTest
    @EnumSource(Sandbox.Choice.class)
    void theChildTracesTheReferenceExactlyAsTheParentDoes(Sandbox.Choice choice, @TempDir Path dir) throws Exception {
        Optional<String> missing = unavailable(choice);
        assumeTrue(missing.isEmpty(), () -> choice + " not tested: " + missing.orElseThrow());
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        List<String> log = new ArrayList<>();
        Sandbox sb = Sandbox.detect(choice, harness, dir, SMALL, log::add);
        // every assignment: the child's runtime of java.base alone lacks nothing any of them needs
        traceTheReference(sb, dir, SMALL, choice.name(), TestFiles.assignments());
    }

    @Test
    void theJdkLimitedToJavaBaseServesWhenNoImageCanBeMade(@TempDir Path dir) throws Exception {
        HostTools tools = HostTools.find();
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        Sandbox sb = Sandbox.detect(Sandbox.Choice.ANY, tools, ChildRuntime.limited(tools.javaHome()), harness, dir,
                SMALL, s -> { });
        assertThat(sb.description()).contains("--limit-modules");
        traceTheReference(sb, dir, SMALL, "limited");
    }

    /**
     * The tightest stack and threads the options accept (with the smallest heap the largest assignment needs), the
     * defaults, and wide limits: the memory bounds made from them never stop a correct submission.
     */
    @ParameterizedTest
    @ValueSource(strings = {"64 256 1", "256 1024 64", "1024 4096 256"})
    void noLimitTheOptionsAcceptStopsACorrectSubmission(String heapStackThreads, @TempDir Path dir) throws Exception {
        String[] v = heapStackThreads.split(" ");
        Limits limits = new Limits(Duration.ofSeconds(30), Integer.parseInt(v[0]), Integer.parseInt(v[1]),
                Integer.parseInt(v[2]), 64, 1L << 20, 1L << 20, Duration.ofSeconds(15));
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        Sandbox sb = Sandbox.detect(Sandbox.Choice.ANY, harness, dir, limits, s -> { });
        traceTheReference(sb, dir, limits, heapStackThreads);
    }

    /** Traces the reference in a child on the largest assignment and a few small ones. */
    static void traceTheReference(Sandbox sb, Path dir, Limits limits, String what) throws Exception {
        traceTheReference(sb, dir, limits, what, List.of(TestFiles.assignment("ops"),
                TestFiles.assignment("scale-784-128-10"), TestFiles.assignment("seed-000"),
                TestFiles.assignment("seed-004")));
    }

    static void traceTheReference(Sandbox sb, Path dir, Limits limits, String what, List<Assignment> as)
            throws Exception {
        Path sub = Files.createDirectories(dir.resolve("s1"));
        Path classes = sub.resolve("classes");
        Submission.compile("ref", List.of(TestFiles.referenceSources()), classes);
        Path scratch = Files.createDirectories(sub.resolve("scratch"));
        sb.prepare(dir, sub, classes, scratch, 1);
        long t0 = System.nanoTime();
        ChildResult r = ChildRun.run(sb, classes, scratch, 1, limits,
                Codec.Job.of(Sandbox.nonce(), "ref", limits.threads(), as), false);
        System.out.printf(Locale.ROOT, "%s → %s: %d ms, %s%n", what, sb.mechanism(),
                (System.nanoTime() - t0) / 1_000_000, sb.description());
        assertThat(r.done()).as(r.summary()).isTrue();
        assertThat(r.ending()).isEqualTo(ChildResult.Ending.EXITED);
        assertThat(r.exitCode()).isZero();
        assertThat(r.traces()).hasSize(as.size());
        for (int i = 0; i < as.size(); i++) {
            assertThat(r.traces().get(i)).isEqualTo(Tracer.trace(as.get(i), TestFiles.reference(),
                    TracePlan.of(as.get(i), true)));
        }
    }
}
