package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.TestFiles;
import backprop.grader.run.Tracer;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The child JVM under each mechanism this host offers returns exactly the traces the grader computes itself. */
class ChildRunTest {
    @org.junit.jupiter.api.Test
    void theChildsClasspathHoldsNoJacksonNoReferenceAndNoCheckingCode(@TempDir Path dir) throws Exception {
        Path jar = HarnessJar.write(dir.resolve("harness.jar"));
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            List<String> names = j.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).contains("backprop/api/Matrix.class", "backprop/grader/run/Tracer.class",
                    "backprop/grader/sandbox/ChildMain.class");
            assertThat(names).noneMatch(n -> n.startsWith("com/") || n.startsWith("org/") || n.startsWith("picocli/")
                    || n.startsWith("homework/") || n.startsWith("backprop/grader/check/")
                    || n.startsWith("backprop/grader/batch/") || n.startsWith("backprop/grader/cli/")
                    || n.startsWith("backprop/grader/report/"));
        }
    }

    static final Limits SMALL = Limits.DEFAULT.withWall(Duration.ofSeconds(20)).withHeapMb(128);

    @ParameterizedTest
    @EnumSource(Sandbox.Choice.class)
    void theChildTracesTheReferenceExactlyAsTheParentDoes(Sandbox.Choice pref, @TempDir Path dir) throws Exception {
        Path harness = HarnessJar.write(dir.resolve("harness.jar"));
        List<String> log = new ArrayList<>();
        Sandbox sb;
        try {
            sb = Sandbox.detect(pref, harness, dir, SMALL, log::add);
        } catch (java.io.IOException e) {
            assumeTrue(pref != Sandbox.Choice.AUTO && pref != Sandbox.Choice.NONE, e.getMessage());
            return;
        }
        Path sub = Files.createDirectories(dir.resolve("s1"));
        Path classes = sub.resolve("classes");
        Submission.compile("ref", List.of(TestFiles.referenceSources()), classes);
        Path scratch = Files.createDirectories(sub.resolve("scratch"));
        sb.prepare(dir, sub, classes, scratch, 1);
        List<Assignment> as = List.of(TestFiles.assignment("ops"), TestFiles.assignment("scale-784-128-10"), TestFiles.assignment("seed-000"),
                TestFiles.assignment("seed-004"));
        long t0 = System.nanoTime();
        ChildResult r = ChildRun.run(sb, classes, scratch, 1, SMALL,
                Codec.Job.of(Sandbox.nonce(), "ref", 64, as), false);
        System.out.printf("%s → %s: %d ms, %s%n", pref, sb.mechanism(), (System.nanoTime() - t0) / 1_000_000,
                sb.description());
        assertThat(r.done()).as(r.summary()).isTrue();
        assertThat(r.ending()).isEqualTo(ChildResult.Ending.EXITED);
        assertThat(r.exitCode()).isZero();
        assertThat(r.traces()).hasSize(as.size());
        for (int i = 0; i < as.size(); i++) {
            assertThat(r.traces().get(i)).isEqualTo(Tracer.trace(as.get(i), TestFiles.reference()));
        }
    }
}
