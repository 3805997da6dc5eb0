package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submissions that reach the reference (or anything else) through a symbolic link, at every level a link can sit
 * at, graded in one batch beside a correct submission: each is refused by name, with 0 points, and nothing is
 * compiled through a link.
 */
class SymbolicLinksTest {
    @TempDir
    static Path tmp;
    static ClassRun run;
    static Path real;

    @BeforeAll
    static void gradeTheClass() throws IOException {
        Path subs = Files.createDirectories(tmp.resolve("class"));
        // a full-marks solution outside the class, which every link points into
        real = tmp.resolve("real");
        ClassRun.copyReference(real.resolve("src/main/java/homework"));
        ClassRun.copyReference(subs.resolve("correct/src/main/java/homework"));
        Files.createSymbolicLink(subs.resolve("whole"), real);
        Files.createSymbolicLink(subs.resolve("ghost"), tmp.resolve("nowhere"));
        link(subs, "src", "src", real.resolve("src"));
        link(subs, "main", "src/main", real.resolve("src/main"));
        link(subs, "java", "src/main/java", real.resolve("src/main/java"));
        link(subs, "homework", "src/main/java/homework", real.resolve("src/main/java/homework"));
        link(subs, "flat-homework", "homework", real.resolve("src/main/java/homework"));
        ClassRun.copyReference(subs.resolve("file/src/main/java/homework"));
        Files.delete(subs.resolve("file/src/main/java/homework/Relu.java"));
        link(subs, "file", "src/main/java/homework/Relu.java", real.resolve("src/main/java/homework/Relu.java"));
        ClassRun.copyReference(subs.resolve("loop/src/main/java/homework"));
        link(subs, "loop", "src/main/java/homework/again", Path.of(".."));
        ClassRun.copyReference(subs.resolve("dangling/src/main/java/homework"));
        link(subs, "dangling", "src/main/java/homework/Gone.java", tmp.resolve("nowhere/Gone.java"));
        Path realZip = tmp.resolve("real.zip");
        zip(realZip, "real/src/main/java/homework/", null);
        Files.createSymbolicLink(subs.resolve("zip-link.zip"), realZip);
        zip(subs.resolve("zip-with-link.zip"), "zip-with-link/src/main/java/homework/", "Relu.java");
        run = ClassRun.grade(subs, tmp.resolve("reports"), Duration.ofSeconds(60));
    }

    private static void link(Path subs, String student, String at, Path target) throws IOException {
        Path link = subs.resolve(student).resolve(at);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
    }

    /**
     * A zip of the reference under {@code prefix}; the entry {@code linked}, if given, is a Unix symbolic link to
     * the reference's own file, as {@code zip --symlinks} stores one: its target as content, its type in the high
     * half of the external attributes.
     */
    static void zip(Path zip, String prefix, String linked) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.sorted().toList()) {
                z.putNextEntry(new ZipEntry(prefix + f.getFileName()));
                z.write(f.getFileName().toString().equals(linked) ? f.toString().getBytes(StandardCharsets.UTF_8)
                        : Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        if (linked != null) {
            markLink(zip, prefix + linked);
        }
    }

    /** Rewrites an entry's central-directory header: made on Unix, file type symbolic link. */
    private static void markLink(Path zip, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50 && (b.getShort(i + 28) & 0xffff) == wanted.length
                    && new String(bytes, i + 46, wanted.length, StandardCharsets.UTF_8).equals(name)) {
                b.putShort(i + 4, (short) ((3 << 8) | 20));
                b.putInt(i + 38, 0120777 << 16);
                Files.write(zip, bytes);
                return;
            }
        }
        throw new IOException("no central header for " + name);
    }

    @Test
    void everyLinkIsRefusedByNameWithNoPoints() {
        Map<String, String> named = new LinkedHashMap<>();
        named.put("whole", "refused: the submission whole is a symbolic link (to " + real + ")");
        named.put("ghost", "refused: the submission ghost is a symbolic link (to " + tmp.resolve("nowhere") + ")");
        named.put("src", "refused: src is a symbolic link (to " + real.resolve("src") + ")");
        named.put("main", "refused: src/main is a symbolic link");
        named.put("java", "refused: src/main/java is a symbolic link");
        named.put("homework", "refused: src/main/java/homework is a symbolic link");
        named.put("flat-homework", "refused: homework is a symbolic link");
        named.put("file", "refused: src/main/java/homework/Relu.java is a symbolic link");
        named.put("loop", "refused: src/main/java/homework/again is a symbolic link (to ..)");
        named.put("dangling", "refused: src/main/java/homework/Gone.java is a symbolic link");
        named.put("zip-link", "refused: the submission zip-link.zip is a symbolic link (to " + tmp.resolve("real.zip"));
        named.put("zip-with-link", "refused: the zip entry 'zip-with-link/src/main/java/homework/Relu.java' is a "
                + "symbolic link");
        named.forEach((student, reason) -> {
            assertThat(run.row(student).get("status")).as(student).isEqualTo("compile-error");
            assertThat(run.row(student).get("reason")).as(student).startsWith(reason)
                    .endsWith("the grader follows no link in a submission");
            assertThat(run.row(student).get("total")).as(student).isEqualTo("0");
            assertThat(run.compilerRows(student)).as(student).containsExactly(run.row(student).get("reason"));
        });
        assertThat(run.summary.graderFailures()).isZero();
    }

    @Test
    void theCorrectSubmissionKeepsFullMarks() {
        assertThat(run.row("correct").get("status")).isEqualTo("graded");
        assertThat(run.row("correct").get("total")).isEqualTo(run.possible.get("total"));
        assertThat(run.scores).hasSize(13);
    }
}
