package backprop.grader.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic replacement under injected faults: a write that fails after some bytes (as a full disk or a file-size
 * limit makes it fail) leaves the previous file, or none, and no temporary file; a group replaces all or says
 * which; temporary files of dead processes are removed.
 */
class AtomicFilesTest {
    /** A writer that fails, as a full disk does, once {@code limit} characters have gone through it. */
    static final class FailingWriter extends FilterWriter {
        private long left;

        FailingWriter(Writer out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int c) throws IOException {
            take(1);
            super.write(c);
        }

        @Override
        public void write(char[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, Math.max(0, left));
            super.write(b, off, n);
            take(len);
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            int n = (int) Math.min(len, Math.max(0, left));
            super.write(s, off, n);
            take(len);
        }

        private void take(long n) throws IOException {
            left -= n;
            if (left < 0) {
                flush(); // the bytes before the failure reach the file, as they would on a real disk
                throw new IOException("No space left on device");
            }
        }
    }

    /** A body of {@code lines} numbered lines that fails after {@code limit} characters. */
    static AtomicFiles.Body failingAfter(long limit, int lines) {
        return w -> {
            Writer f = new FailingWriter(w, limit);
            for (int i = 0; i < lines; i++) {
                f.write("line " + i + "\n");
            }
            f.flush();
        };
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteReplacesTheFileWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("scores.csv");
        Files.writeString(f, "old");
        AtomicFiles.write(f, w -> w.write("new, and longer"));
        assertThat(f).hasContent("new, and longer");
        assertThat(names(dir)).containsExactly("scores.csv");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    }

    @Test
    void aWriteThatFailsAfterSomeBytesLeavesThePreviousFileAndNoLitter(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("scores.csv");
        Files.writeString(f, "the previous complete file\n");
        for (long limit : new long[] {0, 1, 100, 65_536, 200_000}) {
            assertThatThrownBy(() -> AtomicFiles.write(f, failingAfter(limit, 100_000)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("cannot write " + f + ": No space left on device");
            assertThat(f).as("after %d bytes", limit).hasContent("the previous complete file");
            assertThat(names(dir)).as("after %d bytes", limit).containsExactly("scores.csv");
        }
    }

    @Test
    void aWriteThatFailsLeavesNoFileWhereThereWasNone(@TempDir Path dir) {
        Path f = dir.resolve("details.csv");
        assertThatThrownBy(() -> AtomicFiles.write(f, failingAfter(10, 10))).isInstanceOf(IOException.class);
        assertThat(f).doesNotExist();
        assertThat(dir).isEmptyDirectory();
        assertThatThrownBy(() -> AtomicFiles.write(f, w -> {
            w.write("half");
            throw new IllegalArgumentException("a bug in the writer");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aGroupReplacesNothingWhenOneFileCannotBeWritten(@TempDir Path dir) throws Exception {
        for (String n : List.of("a", "b", "c")) {
            Files.writeString(dir.resolve(n), "old " + n);
        }
        try (AtomicFiles.Group g = new AtomicFiles.Group()) {
            g.stage(dir.resolve("a"), w -> w.write("new a"));
            assertThatThrownBy(() -> g.stage(dir.resolve("b"), failingAfter(3, 100)))
                    .hasMessageContaining("cannot write " + dir.resolve("b"));
        }
        for (String n : List.of("a", "b", "c")) {
            assertThat(dir.resolve(n)).hasContent("old " + n);
        }
        assertThat(names(dir)).containsExactly("a", "b", "c");
    }

    @Test
    void aGroupReplacesEveryFileInOrderAndGivesTheirHashes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "old a");
        try (AtomicFiles.Group g = new AtomicFiles.Group()) {
            AtomicFiles.Staged a = g.stage(dir.resolve("a"), w -> w.write("é"));
            AtomicFiles.Staged b = g.stage(dir.resolve("sub/b"), "bytes".getBytes(StandardCharsets.UTF_8));
            assertThat(dir.resolve("a")).hasContent("old a");
            assertThat(a.bytes()).isEqualTo(2);
            assertThat(a.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("é".getBytes(StandardCharsets.UTF_8))));
            assertThat(b.bytes()).isEqualTo(5);
            g.commit();
        }
        assertThat(dir.resolve("a")).hasContent("é");
        assertThat(dir.resolve("sub/b")).hasContent("bytes");
        assertThat(names(dir)).containsExactly("a", "sub");
        assertThat(names(dir.resolve("sub"))).containsExactly("b");
    }

    @Test
    void aRenameThatFailsHalfWaySaysWhichFilesWereReplaced(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("scores.csv"), "old");
        Files.createDirectories(dir.resolve("details.csv/in-the-way"));
        Files.writeString(dir.resolve("provenance.json"), "old");
        AtomicFiles.NotAllReplaced thrown;
        try (AtomicFiles.Group g = new AtomicFiles.Group()) {
            g.stage(dir.resolve("scores.csv"), w -> w.write("new"));
            g.stage(dir.resolve("details.csv"), w -> w.write("new"));
            g.stage(dir.resolve("provenance.json"), w -> w.write("new"));
            try {
                g.commit();
                throw new AssertionError("the commit cannot replace a folder");
            } catch (AtomicFiles.NotAllReplaced e) {
                thrown = e;
            }
        }
        assertThat(thrown.replaced()).containsExactly(dir.resolve("scores.csv"));
        assertThat(thrown.kept()).containsExactly(dir.resolve("details.csv"), dir.resolve("provenance.json"));
        assertThat(thrown.getMessage()).startsWith("cannot replace " + dir.resolve("details.csv"))
                .endsWith("replaced scores.csv, but not details.csv, provenance.json");
        assertThat(dir.resolve("scores.csv")).hasContent("new");
        assertThat(dir.resolve("provenance.json")).hasContent("old");
        assertThat(names(dir)).containsExactly("details.csv", "provenance.json", "scores.csv");
    }

    @Test
    void temporaryFilesOfDeadWritersAreRemovedAndThoseOfLiveOnesKept(@TempDir Path dir) throws Exception {
        long dead = new ProcessBuilder("true").start().pid();
        while (ProcessHandle.of(dead).isPresent()) {
            Thread.sleep(10);
        }
        long me = ProcessHandle.current().pid();
        List<String> stale = List.of(".scores.csv." + dead + ".123456789.tmp", ".details.csv.4711.tmp",
                ".s1.json.999999999.42.tmp");
        String live = ".scores.csv." + me + ".987654321.tmp";
        for (String n : stale) {
            Files.writeString(dir.resolve(n), "half");
        }
        Files.writeString(dir.resolve(live), "being written");
        Files.writeString(dir.resolve("scores.csv"), "whole");
        Files.writeString(dir.resolve("notes.tmp"), "not ours");
        AtomicFiles.removeStale(dir);
        assertThat(names(dir)).containsExactlyInAnyOrder(live, "scores.csv", "notes.tmp");
    }
}
