package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.TestFiles;
import backprop.grader.submission.Submission;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The class-data archive of the harness: made once per harness and runtime, reused by every child, made anew for a
 * changed harness, mapped by children under real bubblewrap and as plain children, and harmless when it is
 * damaged or stale: the child then runs without it and returns the same traces.
 */
class ChildArchiveTest {
    /** The tools, failing loudly where bubblewrap is missing: the archive for a child's view is made under it. */
    private static HostTools bwrapTools() throws IOException {
        HostTools tools = HostTools.find();
        if (tools.bwrap().isEmpty()) {
            fail("bubblewrap is not installed here (.ci/run installs it): the archive for a child's view is made "
                    + "under it");
        }
        return tools;
    }

    private static ChildRuntime runtime(HostTools tools) {
        List<String> notes = new ArrayList<>();
        ChildRuntime rt = ChildRuntime.of(tools.javaHome(), notes::add);
        assertThat(rt.jlinked()).as("this build's JDK has jmods, so the child runs on a jlinked image: " + notes)
                .isTrue();
        return rt;
    }

    /** A folder the slots' uids can pass through, as the system's temporary folder is. */
    private static Path cache(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Files.createDirectories(dir.resolve("cache"));
    }

    @Test
    void theArchiveIsMadeOnceAndReusedByEveryLaterRun(@TempDir Path dir) throws Exception {
        HostTools tools = bwrapTools();
        ChildRuntime rt = runtime(tools);
        Path harness = HarnessJar.write(dir.resolve("a/harness.jar"));
        ChildArchive first = ChildArchive.make(tools, rt, harness, true, cache(dir));
        assertThat(first.archive()).isRegularFile().hasFileName("view.jsa");
        assertThat(Files.size(first.archive())).isGreaterThan(1 << 20);
        assertThat(first.jar()).hasSameBinaryContentAs(harness);
        assertThat(Files.getLastModifiedTime(first.jar())).isNotEqualTo(Files.getLastModifiedTime(harness));
        Object made = Files.readAttributes(first.archive(), "unix:ino").get("ino");
        FileTime when = Files.getLastModifiedTime(first.archive());

        // the next run writes the same harness jar again, at another path and time: the archive is reused
        Path again = HarnessJar.write(dir.resolve("b/harness.jar"));
        assertThat(again).hasSameBinaryContentAs(harness);
        ChildArchive second = ChildArchive.make(tools, rt, again, true, cache(dir));
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAttributes(second.archive(), "unix:ino").get("ino")).isEqualTo(made);
        assertThat(Files.getLastModifiedTime(second.archive())).isEqualTo(when);

        // a plain child sees the jar at its own path: an archive of its own, beside the first
        ChildArchive plain = ChildArchive.make(tools, rt, again, false, cache(dir));
        assertThat(plain.archive()).hasFileName("plain.jsa").hasParent(first.archive().getParent());
        assertThat(plain.classPath()).isEqualTo(plain.jar().toString());
        assertThat(first.classPath()).isEqualTo(View.HARNESS);
    }

    @Test
    void aChangedHarnessGetsAnArchiveOfItsOwn(@TempDir Path dir) throws Exception {
        HostTools tools = bwrapTools();
        ChildRuntime rt = runtime(tools);
        Path harness = HarnessJar.write(dir.resolve("a/harness.jar"));
        ChildArchive before = ChildArchive.make(tools, rt, harness, true, cache(dir));
        Path changed = HarnessJar.write(dir.resolve("b/harness.jar"));
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + changed.toUri()), Map.of())) {
            Files.writeString(jar.getPath("backprop/grader/sandbox/rebuilt.txt"), "a grader built anew\n");
        }
        ChildArchive after = ChildArchive.make(tools, rt, changed, true, cache(dir));
        assertThat(after.archive().getParent()).isNotEqualTo(before.archive().getParent());
        assertThat(after.jar()).hasSameBinaryContentAs(changed);
        assertThat(before.jar()).hasSameBinaryContentAs(harness);
        assertThat(after.archive()).isRegularFile();
    }

    @Test
    void aCacheFolderSomeoneElseCouldChangeIsMadeAgainOrRefused(@TempDir Path dir) throws Exception {
        HostTools tools = bwrapTools();
        ChildRuntime rt = runtime(tools);
        Path harness = HarnessJar.write(dir.resolve("a/harness.jar"));
        ChildArchive a = ChildArchive.make(tools, rt, harness, false, cache(dir));
        Files.setPosixFilePermissions(a.archive(), PosixFilePermissions.fromString("rw-rw-rw-"));
        // the folder is ours, so it is made again, sound
        ChildArchive remade = ChildArchive.make(tools, rt, harness, false, cache(dir));
        assertThat(ChildRuntime.untrusted(remade.archive().getParent(), List.of("harness.jar", "plain.jsa")))
                .isEmpty();
        assertThat(Files.getPosixFilePermissions(remade.archive())).isEqualTo(PosixFilePermissions.fromString(
                "rw-r--r--"));

        assumeTrue(tools.root(), "handing the folder to another user needs root");
        Files.setAttribute(remade.archive().getParent(), "unix:uid", 54_321);
        assertThatThrownBy(() -> ChildArchive.make(tools, rt, harness, false, cache(dir)))
                .hasMessageContaining("cannot be trusted").hasMessageContaining("uid 54321");
    }

    @Test
    void aTrainingRunListsTheJdkAndTheHarnessButNothingOfTheSubmission(@TempDir Path dir) throws Exception {
        HostTools tools = HostTools.find();
        ChildRuntime rt = runtime(tools);
        Path jar = HarnessJar.write(dir.resolve("harness.jar"));
        Path classes = dir.resolve("classes");
        Submission.compile("ref", List.of(TestFiles.referenceSources()), classes);
        List<String> probe = ChildArchive.classList(rt, jar, Optional.empty());
        List<String> trained = ChildArchive.classList(rt, jar, Optional.of(new ChildArchive.Training(classes,
                Codec.Job.of(Sandbox.nonce(), "ref", 64, List.of(TestFiles.assignment("seed-000"))))));
        for (List<String> list : List.of(probe, trained)) {
            assertThat(list).contains("java/lang/Object", "backprop/api/Matrix", "backprop/grader/run/Tracer",
                    "backprop/grader/sandbox/ChildMain");
            assertThat(list).noneMatch(l -> l.contains("homework") || l.contains(" source: "));
        }
        // the lambdas the harness makes while it traces are listed too, so they are archived
        assertThat(trained).anyMatch(l -> l.startsWith("@lambda-proxy backprop/grader/"));
        assertThat(trained.size()).isGreaterThan(probe.size());
    }

    @Test
    void archivesOfOtherBuildsUnusedForAWeekAreSweptAndNoOtherFolder(@TempDir Path dir) throws Exception {
        Path cache = cache(dir);
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 8L * 24 * 3600 * 1000);
        FileTime yesterday = FileTime.fromMillis(System.currentTimeMillis() - 30L * 3600 * 1000);
        Path stale = Files.createDirectories(cache.resolve("backprop-grader-cds-0123456789abcdef"));
        Files.writeString(stale.resolve("view.jsa"), "old");
        Path recent = Files.createDirectories(cache.resolve("backprop-grader-cds-fedcba9876543210"));
        Path abandoned = Files.createDirectories(cache.resolve("backprop-grader-cds-build-123"));
        Path kept = Files.createDirectories(cache.resolve("backprop-grader-cds-1111111111111111"));
        Path runtime = Files.createDirectories(cache.resolve("backprop-grader-runtime-0123456789abcdef"));
        Path other = Files.createDirectories(cache.resolve("someone-elses"));
        for (Path p : List.of(stale, kept, runtime, other)) {
            Files.setLastModifiedTime(p, old);
        }
        Files.setLastModifiedTime(recent, yesterday);
        Files.setLastModifiedTime(abandoned, yesterday);
        ChildArchive.sweep(cache, kept);
        assertThat(stale).doesNotExist();
        assertThat(abandoned).doesNotExist();
        assertThat(List.of(recent, kept, runtime, other)).allMatch(Files::isDirectory);
    }

    /**
     * With {@code -Xshare:on} a JVM refuses to start unless it maps the archive and its class path matches the
     * archive's: children that trace the reference so prove the archive serves them, under bubblewrap and plain.
     */
    @ParameterizedTest
    @EnumSource(value = Sandbox.Choice.class, names = {"BWRAP", "NONE"})
    void childrenMapTheArchiveOfTheHarness(Sandbox.Choice choice, @TempDir Path dir) throws Exception {
        bwrapTools();
        Path harness = HarnessJar.write(dir.resolve("harness/harness.jar"));
        List<String> notes = new ArrayList<>();
        Sandbox sb = Sandbox.detect(choice, harness, dir, ChildRunTest.SMALL, notes::add);
        assertThat(sb.archive()).as(notes.toString()).isPresent();
        assertThat(sb.description()).contains("class-data archive of the harness");
        ChildRunTest.traceTheReference(sb.withJvmOptions(List.of("-Xshare:on")), dir, ChildRunTest.SMALL,
                "archive on");
    }

    /** Ways an archive goes bad: damaged, cut short, emptied, or stale against its jar. */
    enum Damage {
        GARBAGE, CUT_SHORT, EMPTY, STALE_JAR, HEADER_ZEROED
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aBrokenOrStaleArchiveStillGradesCorrectlyUnderBubblewrap(Damage damage, @TempDir Path dir) throws Exception {
        traceWithDamagedArchive(Sandbox.Choice.BWRAP, damage, dir);
    }

    @ParameterizedTest
    @EnumSource(value = Damage.class, names = {"GARBAGE", "STALE_JAR"})
    void aBrokenOrStaleArchiveStillGradesCorrectlyInAPlainChild(Damage damage, @TempDir Path dir) throws Exception {
        traceWithDamagedArchive(Sandbox.Choice.NONE, damage, dir);
    }

    private static void traceWithDamagedArchive(Sandbox.Choice choice, Damage damage, Path dir) throws Exception {
        HostTools tools = bwrapTools();
        Path harness = HarnessJar.write(dir.resolve("harness/harness.jar"));
        Sandbox sb = Sandbox.detect(choice, tools, runtime(tools), harness, dir, ChildRunTest.SMALL, s -> { });
        ChildArchive a = ChildArchive.make(tools, runtime(tools), harness, choice == Sandbox.Choice.BWRAP,
                cache(dir));
        damage(a, damage);
        traceCleanly(sb.withArchive(a), dir);
    }

    /** Traces the reference as {@link ChildRunTest} does, and nothing but frames reaches the result channel. */
    private static void traceCleanly(Sandbox sb, Path dir) throws Exception {
        ChildRunTest.traceTheReference(sb, dir, ChildRunTest.SMALL, "damaged archive");
        Path sub = Files.createDirectories(dir.resolve("s2"));
        Path classes = Files.createDirectories(sub.resolve("classes"));
        Path scratch = Files.createDirectories(sub.resolve("scratch"));
        sb.prepare(dir, sub, classes, scratch, 1);
        ChildResult r = ChildRun.run(sb, classes, scratch, 1, ChildRunTest.SMALL, new Codec.Job(Sandbox.nonce(), "empty",
                ChildRunTest.SMALL.threads(), List.of(), List.of()), false);
        assertThat(r.done()).as(r.summary()).isTrue();
        assertThat(r.stdoutHead()).as(r.summary()).isEmpty();
    }

    private static void damage(ChildArchive a, Damage damage) throws IOException {
        switch (damage) {
            case GARBAGE -> Files.writeString(a.archive(), "not an archive\n".repeat(1000));
            case CUT_SHORT -> {
                try (FileChannel c = FileChannel.open(a.archive(), StandardOpenOption.WRITE)) {
                    c.truncate(c.size() / 3);
                }
            }
            case EMPTY -> Files.write(a.archive(), new byte[0]);
            case STALE_JAR -> Files.setLastModifiedTime(a.jar(), FileTime.fromMillis(System.currentTimeMillis()));
            case HEADER_ZEROED -> {
                try (FileChannel c = FileChannel.open(a.archive(), StandardOpenOption.WRITE)) {
                    c.write(java.nio.ByteBuffer.allocate(4096), 16);
                }
            }
            default -> throw new IllegalArgumentException(damage.name());
        }
    }
}
