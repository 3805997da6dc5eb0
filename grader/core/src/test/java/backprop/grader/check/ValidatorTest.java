package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.AssignmentReader;
import backprop.grader.spec.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} names every expected value that disagrees with the reference, by file and line. */
class ValidatorTest {

    private static List<Problem> validate(Path file) throws Exception {
        Assignment a = AssignmentReader.read(file);
        return Validator.validate(a, new Grader(List.of(a), Optional.of(TestFiles.reference())));
    }

    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + text);
    }

    @Test
    void aWrongExpectedValueIsNamedWithItsFileAndLine(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("seed-003a.yaml");
        List<String> lines = Files.readAllLines(TestFiles.publicAssignments().resolve("seed-003a.yaml"));
        int line = lineOf(lines, "0.37636378397755565");
        // The seed document's own rounded value, 0.376, written where the exact loss belongs.
        lines.set(line - 1, lines.get(line - 1).replace("0.37636378397755565", "0.376"));
        Files.write(copy, lines);

        List<Problem> problems = validate(copy);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.location().file()).isEqualTo(copy);
            assertThat(p.location().line()).isEqualTo(line);
            assertThat(p.message()).contains("the file says 0.376").contains("the reference computes 0.376363784");
        });
    }

    @Test
    void theSeedDocumentsMistakesAreCaughtWhenCopiedIntoAFile(@TempDir Path dir) throws Exception {
        // Seed 000 writes J = (t − z)² = 1 although its loss is ½(t − z)²; seed 003 writes z3 = 0.16936.
        Path copy = dir.resolve("seed-000.yaml");
        List<String> lines = Files.readAllLines(TestFiles.publicAssignments().resolve("seed-000.yaml"));
        int forwardJ = lineOf(lines, "forward: J");
        int expected = forwardJ + 1;
        assertThat(lines.get(expected - 1)).contains("expected:");
        lines.set(expected - 1, lines.get(expected - 1).replaceAll("expected: \\[[^]]*]", "expected: [1.0]"));
        Files.write(copy, lines);

        assertThat(validate(copy)).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(expected);
            assertThat(p.message()).contains("'J'").contains("the file says 1,").contains("computes 0.5");
        });
    }

    @Test
    void everyWrongValueInAFileIsReportedNotJustTheFirst(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("seed-004.yaml");
        String text = Files.readString(TestFiles.publicAssignments().resolve("seed-004.yaml"));
        String changed = text.replaceAll("(?m)^(\\s+expected: \\[)(\\d)", "$19$2");
        assertThat(changed).isNotEqualTo(text);
        Files.writeString(copy, changed);
        long planted = changed.lines().filter(l -> l.matches("\\s+expected: \\[9.*")).count();
        assertThat(validate(copy)).hasSize((int) planted);
    }
}
