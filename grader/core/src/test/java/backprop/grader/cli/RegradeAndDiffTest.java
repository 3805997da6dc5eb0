package backprop.grader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TA's regrading day on a class of three: grade, fix an assignment file (a forgotten checkpoint, a wrong number
 * of points), grade again, and {@code grader diff} the two gradings; regrade some students with {@code --only}.
 */
class RegradeAndDiffTest {
    /** seed-000 as first published: the dJ/dW1 checkpoint forgotten and dJ/db2 worth 1 point instead of 2. */
    private static String firstVersion() throws IOException {
        String fixed = Files.readString(TestFiles.publicAssignments().resolve("seed-000.yaml"));
        String v1 = fixed.replaceFirst("(?s)  - gradient: W1\n.*?(?=  - gradient: b1)", "")
                .replace("  - gradient: b2\n    expected: [-1.0]\n    points: 2",
                        "  - gradient: b2\n    expected: [-1.0]\n    points: 1");
        assertThat(v1).doesNotContain("gradient: W1").contains("points: 1\n  - gradient: b1");
        return v1;
    }

    @TempDir
    Path tmp;
    private Path subs;
    private Path assignment;
    private Path out;
    private StringWriter stdout;
    private StringWriter stderr;

    @BeforeEach
    void aClassOfThree() throws IOException {
        subs = tmp.resolve("class");
        copyReference(subs.resolve("ann/homework"));
        copyReference(subs.resolve("bob/homework"));
        Files.copy(TestFiles.fixtureDir("relu-derivative-two-at-zero").resolve("homework/Relu.java"),
                subs.resolve("bob/homework/Relu.java"), StandardCopyOption.REPLACE_EXISTING);
        copyReference(subs.resolve("dee/homework"));
        Files.writeString(subs.resolve("dee/homework/Relu.java"), "package homework;\npublic class Relu { int x = ; }\n");
        assignment = tmp.resolve("assignments/seed-000.yaml");
        Files.createDirectories(assignment.getParent());
        Files.writeString(assignment, firstVersion());
        out = tmp.resolve("reports");
    }

    private int run(String... args) {
        stdout = new StringWriter();
        stderr = new StringWriter();
        return Main.run(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args);
    }

    private int grade(String... more) {
        List<String> args = new ArrayList<>(List.of("grade", "--submissions", subs.toString(), "--out", out.toString(),
                "--assignments", assignment.toString(), "--reference", TestFiles.referenceSources().toString(),
                "--jobs", "2", "--timeout", "30", "--heap", "64m"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aFixedAssignmentRegradesTheClassAndTheDiffSaysWhatChangedForWhom() throws Exception {
        assertThat(grade()).as(stderr.toString()).isZero();
        Path before = tmp.resolve("reports-before");
        copyGrading(out, before);
        assertThat(total(before, "bob")).isEqualTo("7");

        Files.copy(TestFiles.publicAssignments().resolve("seed-000.yaml"), assignment,
                StandardCopyOption.REPLACE_EXISTING);
        // regrading one student now cannot mix the others' results, graded on the old file, into the CSVs
        assertThat(grade("--only", "ann")).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("note: 2 submission(s) not graded by this run have no saved result")
                .contains(": bob, dee");
        assertThat(read(out.resolve("scores.csv"))).extracting(r -> r.get("student"))
                .containsExactly("(points possible)", "ann");
        assertThat(grade()).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("grading 2 submission(s)").contains("1 already graded by an earlier run");

        Path csv = tmp.resolve("diff.csv");
        assertThat(run("diff", before.toString(), out.toString(), "--csv", csv.toString()))
                .as(stderr.toString()).isEqualTo(Main.SOME_FAILED);
        String text = stdout.toString();
        assertThat(text).contains("""
                ann                  graded 9/9 → graded 12/12   (+3)
                    seed-000 › dJ/db2                        passed 1/1 → passed 2/2
                    seed-000 › dJ/dW1                        (no such check) → passed 2/2
                bob                  graded 7/9 → graded 8/12   (+1)
                    seed-000 › dJ/db2                        passed 1/1 → passed 2/2
                    seed-000 › dJ/dW1                        (no such check) → failed 0/2
                dee                  compile-error 0/9 → compile-error 0/12   (+0)
                3 changed, 0 unchanged, 0 added, 0 removed
                wrote\s""" + csv);
        List<CSVRecord> rows = read(csv);
        assertThat(rows).filteredOn(r -> r.get("check").isEmpty()).extracting(r -> r.get("student") + " "
                + r.get("change") + " " + r.get("points_before") + "→" + r.get("points_after"))
                .containsExactly("ann changed 9→12", "bob changed 7→8", "dee changed 0→0");
        assertThat(rows).filteredOn(r -> r.get("student").equals("ann") && r.get("check").equals("dJ/db2"))
                .singleElement().satisfies(r -> assertThat(List.of(r.get("points_before"), r.get("max_before"),
                        r.get("points_after"), r.get("max_after"))).containsExactly("1", "1", "2", "2"));
        assertThat(rows).filteredOn(r -> r.get("student").equals("bob") && r.get("check").equals("dJ/dW1"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("status_before")).isEmpty();
                    assertThat(r.get("status_after")).isEqualTo("failed");
                    assertThat(r.get("max_before")).isEmpty();
                    assertThat(r.get("max_after")).isEqualTo("2");
                });

        assertThat(run("diff", out.toString(), out.toString())).isZero();
        assertThat(stdout.toString()).isEqualTo("0 changed, 3 unchanged, 0 added, 0 removed\n");
    }

    @Test
    void onlyRegradesTheNamedStudentsAndRebuildsTheWholeClass() throws Exception {
        assertThat(grade()).as(stderr.toString()).isZero();
        Path before = tmp.resolve("reports-before");
        copyGrading(out, before);

        // bob fixes his ReLU and asks for a regrade; dee's folder is named, not her id
        Files.copy(TestFiles.referenceSources().resolve("homework/Relu.java"), subs.resolve("bob/homework/Relu.java"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(grade("--only", "bob,dee")).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("grading 2 submission(s)").contains("] bob ").contains("] dee ")
                .doesNotContain("] ann ");
        assertThat(read(out.resolve("scores.csv"))).extracting(r -> r.get("student"))
                .containsExactly("(points possible)", "ann", "bob", "dee");
        assertThat(run("diff", before.toString(), out.toString())).isEqualTo(Main.SOME_FAILED);
        assertThat(stdout.toString()).isEqualTo("""
                bob                  graded 7/9 → graded 9/9   (+2)
                    seed-000 › dJ/db1                        failed 0/2 → passed 2/2
                1 changed, 2 unchanged, 0 added, 0 removed
                """);
    }

    @Test
    void onlyNamesAnUnknownStudentWithTheNearestOnesAndGradesNothing() throws Exception {
        assertThat(grade("--only", "bbo,ann,zed")).isEqualTo(Main.GRADER_ERROR);
        assertThat(stderr.toString()).contains("no submission of 'bbo' in the class (did you mean 'bob'?)")
                .contains("no submission of 'zed' in the class").doesNotContain("'ann'");
        assertThat(out.resolve("scores.csv")).doesNotExist();
    }

    private static String total(Path dir, String student) throws IOException {
        return read(dir.resolve("scores.csv")).stream().filter(r -> r.get("student").equals(student)).findFirst()
                .orElseThrow().get("total");
    }

    private static List<CSVRecord> read(Path csv) throws IOException {
        try (Reader r = Files.newBufferedReader(csv);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return p.getRecords();
        }
    }

    private static void copyGrading(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of("scores.csv", "details.csv")) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
    }

    private static void copyReference(Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.toList()) {
                Files.copy(f, into.resolve(f.getFileName()));
            }
        }
    }
}
