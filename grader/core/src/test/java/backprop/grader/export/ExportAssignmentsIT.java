package backprop.grader.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import backprop.grader.cli.Main;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export-template --assignments}: a student repository holds the chosen files, without hidden checkpoints. */
class ExportAssignmentsIT {
    @TempDir
    Path dir;

    private Path chosen() throws IOException {
        Path in = dir.resolve("mine");
        Files.createDirectories(in.resolve("more"));
        Files.copy(TestFiles.publicAssignments().resolve("seed-004.yaml"), in.resolve("seed-004.yaml"));
        Files.copy(TestFiles.publicAssignments().resolve("seed-000.yaml"), in.resolve("more/seed-000.yaml"));
        Files.writeString(in.resolve("notes.txt"), "not an assignment");
        return in;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theChosenFilesAreExportedWithoutTheirHiddenCheckpoints() throws Exception {
        TemplateExport.Result r = TemplateExport.export(TestFiles.root(), dir.resolve("out"), List.of(chosen()));

        // the chosen files, and the reference's values for the checks they do not hold
        assertThat(names(r.out().resolve("assignments"))).containsExactly("expected-values.bin",
                "expected-values.json", "seed-000.yaml", "seed-004.yaml");
        assertThat(r.hiddenRemoved()).isEqualTo(1); // seed-004's dJ/dW1
        Assignment copy = AssignmentReader.read(r.out().resolve("assignments/seed-004.yaml"));
        assertThat(copy.checkpoints()).extracting(Checkpoint::id).doesNotContain("dJ/dW1").contains("dJ/db1");
    }

    @Test
    void theCommandTakesTheOptionAndSaysWhatItWrote() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path file = chosen().resolve("seed-004.yaml");
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "export-template",
                "--assignments", file.toString(), dir.resolve("one").toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains(": 1 assignments (1 hidden checkpoints left out)");
        assertThat(names(dir.resolve("one/assignments"))).containsExactly("expected-values.bin",
                "expected-values.json", "seed-004.yaml");
    }

    @Test
    void theGradescopeZipHoldsTheChosenFilesOnly() throws Exception {
        Path zip = dir.resolve("autograder.zip");
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "export-gradescope", "--assignments", chosen() + "," + TestFiles.publicAssignments().resolve(
                        "seed-001.yaml"), zip.toString());

        assertThat(code).isZero();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            assertThat(z.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith("assignments/"))
                    .sorted()).containsExactly("assignments/public/seed-001.yaml", "assignments/seed-000.yaml",
                            "assignments/seed-004.yaml");
        }
    }

    @Test
    void twoFilesOfOneNameOrNoFileAtAllAreRefused() throws Exception {
        Path a = chosen();
        Files.copy(TestFiles.publicAssignments().resolve("seed-001.yaml"), a.resolve("more/seed-004.yaml"));
        assertThatThrownBy(() -> TemplateExport.export(TestFiles.root(), dir.resolve("twice"), List.of(a)))
                .hasMessageContaining("two assignment files are named seed-004.yaml");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> TemplateExport.export(TestFiles.root(), dir.resolve("none"),
                List.of(dir.resolve("empty")))).hasMessageContaining("no assignment files");
    }
}
