package backprop.grader.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per folder, inside one process (two processes: {@code OutputFolderLockTest}). */
class FolderLockTest {
    @Test
    void aSecondLockOnTheSameFolderFailsAtOnceAndNamesTheHolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("reports");
        long me = ProcessHandle.current().pid();
        Path real = Files.createDirectories(out).toRealPath();
        try (FolderLock lock = FolderLock.acquire(out, "grader grade")) {
            assertThat(lock.dir()).isEqualTo(real);
            assertThat(out.resolve(FolderLock.FILE)).content().startsWith("PID " + me + ", grader grade, since ");
            assertThatThrownBy(() -> FolderLock.acquire(out, "grader grade")).isInstanceOfSatisfying(
                    FolderLock.Held.class, h -> {
                        assertThat(h.pid()).hasValue(me);
                        assertThat(h.dir()).isEqualTo(real);
                        assertThat(h.getMessage()).startsWith(real + " is in use by another run");
                    });
            // the same folder by another name is the same folder
            Path link = Files.createSymbolicLink(dir.resolve("link"), out);
            assertThatThrownBy(() -> FolderLock.acquire(link, "grader grade")).isInstanceOf(FolderLock.Held.class);
        }
        try (FolderLock again = FolderLock.acquire(out, "grader grade")) {
            assertThat(again.dir()).isEqualTo(real);
        }
    }

    @Test
    void aLockFileLeftByADeadRunBlocksNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(FolderLock.FILE), "PID 999999999, grader grade, since 2020-01-01T00:00:00Z\n");
        try (FolderLock lock = FolderLock.acquire(dir, "grader grade")) {
            assertThat(dir.resolve(FolderLock.FILE)).content()
                    .startsWith("PID " + ProcessHandle.current().pid() + ", ").doesNotContain("999999999");
        }
    }
}
