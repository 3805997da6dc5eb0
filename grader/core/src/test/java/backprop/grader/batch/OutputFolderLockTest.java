package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.files.FolderLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two grade runs on one output folder: the second stops at once, naming the folder and the first run's PID and
 * touching nothing; once the first is killed with SIGKILL, its lock file blocks no one.
 */
class OutputFolderLockTest {
    @Test
    void aSecondRunOnTheSameOutputStopsAtOnceAndAKilledRunBlocksNoOne(@TempDir Path tmp) throws Exception {
        Path subs = tmp.resolve("class");
        GraderProcess.correct(subs, "a", 1);
        GraderProcess.slow(subs.resolve("b-slow"), 60_000);
        Path out = tmp.resolve("reports");
        List<String> args = GraderProcess.gradeArgs(subs, out, 2);
        Path results = out.resolve(BatchGrader.RESULTS);
        ResultStore store = new ResultStore(results);

        GraderProcess first = GraderProcess.start(List.of(), args, tmp.resolve("first.log"));
        long pid = first.process.pid();
        first.await("the first run's result", () -> Files.exists(store.file("a0")), 120);
        assertThat(out.resolve(FolderLock.FILE)).content().startsWith("PID " + pid + ", grader grade, since ");
        List<String> before = GraderProcess.names(results);

        long t0 = System.nanoTime();
        GraderProcess.Run second = GraderProcess.inProcess(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(second.code()).isEqualTo(2);
        assertThat(second.err()).contains(out.toRealPath() + " is in use by another run: PID " + pid
                + ", grader grade, since ").contains("kill " + pid).contains("another --out")
                .doesNotContain("grading ");
        System.out.printf(java.util.Locale.ROOT, "the second run stopped after %.1f s%n", seconds);
        assertThat(GraderProcess.names(results)).isEqualTo(before);
        assertThat(first.process.isAlive()).as(first.log()).isTrue();

        List<ProcessHandle> children = first.process.descendants().toList();
        first.process.destroyForcibly(); // SIGKILL: no hook runs, the lock file stays behind
        children.forEach(ProcessHandle::destroyForcibly);
        first.waitFor(10);
        assertThat(out.resolve(FolderLock.FILE)).content().startsWith("PID " + pid + ", ");

        List<String> quick = new java.util.ArrayList<>(args);
        quick.set(quick.indexOf("--timeout") + 1, "3");
        GraderProcess.Run third = GraderProcess.inProcess(quick);
        assertThat(third.code()).as(third.err()).isZero();
        assertThat(third.err()).contains("grading 1 submission(s)").contains("b-slow").contains("timeout");
        assertThat(GraderProcess.names(results)).containsExactlyInAnyOrder(store.file("a0").getFileName().toString(),
                store.file("b-slow").getFileName().toString());
    }
}
