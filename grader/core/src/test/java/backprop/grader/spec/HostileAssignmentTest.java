package backprop.grader.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import backprop.api.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Assignment files an author could write by accident or an attacker on purpose, each made here from
 * {@code malformed/base-valid.yaml}: every one is refused (or read) with one problem at its line, in an author's
 * words, and none makes the reader crash, hang or run out of memory.
 */
class HostileAssignmentTest {
    @TempDir
    Path dir;

    private static String base() {
        try {
            return Files.readString(Path.of(HostileAssignmentTest.class.getResource("/malformed/base-valid.yaml")
                    .toURI()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String replaced(String from, String to) {
        String b = base();
        assertThat(b).contains(from);
        return b.replace(from, to);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.write(file, bytes);
        return file;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Problem> problems(Path file) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> AssignmentReader.read(file));
        assertThat(e).as(file + " must be refused").isNotNull();
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.location().file()).isEqualTo(file));
        return e.problems();
    }

    private static Problem onlyProblem(Path file) {
        List<Problem> all = problems(file);
        assertThat(all).as(file.toString()).hasSize(1);
        return all.get(0);
    }

    private Problem onlyProblem(String yaml) throws IOException {
        return onlyProblem(write("case", yaml));
    }

    private static int lineOf(String text, String part) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + part);
    }

    private static void assertAt(Problem p, int line, String message) {
        assertThat(p.location().line()).as("line of " + p).isEqualTo(line);
        assertThat(p.message()).as("message of " + p).contains(message);
    }

    // ---------------------------------------------------------------- the text of the file

    @Test
    void aLatin1FileIsNamedWithTheLineAndColumnOfItsFirstBadByte() throws IOException {
        String text = replaced("title: Tiny 2-3-1 network", "title: Réseau 2-3-1");
        Path file = write("latin1", text.getBytes(StandardCharsets.ISO_8859_1));
        Problem p = onlyProblem(file);
        assertThat(p.location().line()).isEqualTo(3);
        assertThat(p.location().column()).isEqualTo(9);
        assertThat(p.message()).isEqualTo("the file is not UTF-8 text: the byte 0xE9 at line 3, column 9 is not valid "
                + "UTF-8 (was the file saved as Latin-1 or Windows-1252? save it as UTF-8)")
                .doesNotContain("MalformedInputException");
    }

    @Test
    void aByteOrderMarkIsReadAndColumnsStillCountFromTheFirstCharacter() throws IOException {
        String text = replaced("learning_rate: 0.1", "learning_rate: oops");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Problem p = onlyProblem(write("bom", withBom));
        assertThat(p.location().line()).isEqualTo(22);
        assertThat(p.location().column()).isEqualTo(41);

        Path good = write("bom-good", ("\uFEFF" + base()).getBytes(StandardCharsets.UTF_8));
        assertThat(read(good).id()).isEqualTo("base-valid");
    }

    private static Assignment read(Path file) {
        try {
            return AssignmentReader.read(file);
        } catch (SpecException | IOException e) {
            throw new AssertionError(file + " should read: " + e.getMessage(), e);
        }
    }

    @Test
    void crlfLineEndsReadAsLfAndProblemsKeepTheirLines() throws IOException {
        Assignment lf = read(write("lf", base()));
        Assignment crlf = read(write("crlf", base().replace("\n", "\r\n")));
        assertThat(crlf.checkpoints()).extracting(c -> c.expectedLocation().line())
                .isEqualTo(lf.checkpoints().stream().map(c -> c.expectedLocation().line()).toList());
        assertThat(crlf.parameters()).isEqualTo(lf.parameters());

        Problem p = onlyProblem(write("crlf-bad", replaced("points: 1", "points: many").replace("\n", "\r\n")));
        assertThat(p.location().line()).isEqualTo(26);
        assertThat(p.location().column()).isEqualTo(13);
    }

    @Test
    void aTenMegabyteFileIsRefusedBeforeItIsParsed() throws IOException {
        StringBuilder sb = new StringBuilder(base()).append("# ");
        while (sb.length() < 10_000_000) {
            sb.append("padding padding padding padding padding padding padding padding padding\n# ");
        }
        Problem p = onlyProblem(write("ten-mb", sb.toString()));
        assertAt(p, 1, "the file is 9.5 MiB; an assignment file may be at most 2 MiB");
    }

    @Test
    void aControlCharacterIsNamedAsSuch() throws IOException {
        Problem p = onlyProblem(replaced("title: Tiny", "title: \u0007Tiny"));
        assertThat(p.message()).contains("control character");
        assertThat(p.location().line()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "\n\n"})
    void anEmptyFileSaysSo(String text) throws IOException {
        assertAt(onlyProblem(text), 1, "the file is empty");
    }

    @Test
    void aFileThatIsAListIsNotAnAssignment() throws IOException {
        assertAt(onlyProblem("- 1\n- 2\n"), 1, "an assignment file must be a mapping");
    }

    @Test
    void anEmptySecondDocumentAfterTheFirstIsAProblemToo() throws IOException {
        assertAt(onlyProblem(base() + "---\n"), 39, "a second YAML document");
    }

    @Test
    void anEndOfDocumentMarkerAloneIsFine() throws IOException {
        assertThat(read(write("end", base() + "...\n")).id()).isEqualTo("base-valid");
    }

    // ---------------------------------------------------------------- numbers

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        ".inf   | is .inf: not-a-number and infinite values are valid YAML but not allowed here",
        "-.inf  | is -.inf: not-a-number and infinite values",
        ".NaN   | is .NaN: not-a-number",
        "1e-400 | is 1e-400, which a double cannot hold (it rounds to 0; write 0 if you mean zero)",
        "-2e999 | is -2e999, which a double cannot hold (the largest is about 1.8e308)",
        "0x1F   | is 0x1F: write numbers in plain decimal",
        "017    | is 017: write numbers in plain decimal",
        "1_000  | is 1_000: write numbers in plain decimal",
        "'0.5'  | is written in quotes, so it is text, not a number: write 0.5 without the quotes",
        "yes    | must be a number, got 'yes'",
        "[1]    | must be a number, not a list"})
    void aValueThatIsNotAFiniteDecimalNumberIsOneProblemSayingWhy(String value, String message) throws IOException {
        String yaml = replaced("learning_rate: 0.1", "learning_rate: " + value);
        assertAt(onlyProblem(yaml), 22, "optimizer.learning_rate " + message);
    }

    @Test
    void exponentsWithoutADecimalPointAreNumbersAsTheReadmeSays() throws IOException {
        Assignment a = read(write("exponent", replaced("learning_rate: 0.1", "learning_rate: 1e-6")));
        assertThat(a.optimizer().orElseThrow().learningRate()).isEqualTo(1.0e-6);
    }

    @Test
    void manyBadEntriesInOneMatrixAreOneProblemThatCountsTheOthers() throws IOException {
        String row = IntStream.range(0, 1000).mapToObj(i -> "x").collect(Collectors.joining(", "));
        Problem p = onlyProblem(replaced("  x: [[1, 2]]", "  x: [" + row + "]"));
        assertAt(p, 7, "inputs.x entry [0][0] must be a number, got 'x' (and 999 more");
    }

    @Test
    void manyDefectsAreListedUpToALimitAndCounted() throws IOException {
        StringBuilder sb = new StringBuilder(base().replace("checkpoints:\n", "checkpoints:\n"));
        for (int i = 0; i < 120; i++) {
            sb.append("  - {forward: a1, expected: [1, 2, 3], points: ").append(i % 2 == 0 ? "many" : "-1")
                    .append(", id: c").append(i).append("}\n");
        }
        List<Problem> all = problems(write("many", sb.toString()));
        assertThat(all).hasSize(AssignmentReader.MAX_PROBLEMS + 1);
        assertThat(all.get(AssignmentReader.MAX_PROBLEMS).message()).isEqualTo("70 more problems from here on are "
                + "not listed; fix the ones above first");
    }

    // ---------------------------------------------------------------- seeds and points

    @ParameterizedTest
    @ValueSource(strings = {"1e20", "-1.5", "-1", "1.0", "281474976710656", "99999999999999999999999"})
    void aSeedThatCannotBeUsedIsRefusedSayingWhatASeedMustBe(String seed) throws IOException {
        String yaml = replaced("  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]",
                "  W1: {random: normal, seed: " + seed + ", std: 0.5, shape: [3, 2]}");
        assertAt(onlyProblem(yaml), 11, "parameters.W1.seed must be a whole number from 0 to 281474976710655 (2^48 "
                + "− 1: java.util.Random keeps only the low 48 bits of a seed, so larger ones would repeat smaller "
                + "ones' draws), written without a sign, decimal point or exponent; got " + seed);
    }

    @Test
    void aQuotedSeedIsTextAndAOneHotSeedIsCheckedTheSameWay() throws IOException {
        assertAt(onlyProblem(replaced("  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]",
                "  W1: {random: uniform, seed: \"7\", shape: [3, 2]}")), 11, "is written in quotes");
        assertAt(onlyProblem(replaced("  t: [1]", "  t: {one_hot: -3, shape: [1, 1]}")), 9,
                "targets.t.one_hot must be a whole number from 0 to 281474976710655");
    }

    @Test
    void theLargestSeedIsAccepted() throws IOException {
        Assignment a = read(write("big-seed", replaced("  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]",
                "  W1: {random: normal, seed: 281474976710655, std: 0.5, shape: [3, 2]}")));
        assertThat(a.parameters().get("W1")).isEqualTo(Leaves.draw(true, 281474976710655L, 0, 0.5, 0, 0,
                new int[] {3, 2}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "0.0"})
    void pointsMustBePositiveInCheckpointsAndUnitChecks(String points) throws IOException {
        assertAt(onlyProblem(replaced("    points: 1\n", "    points: " + points + "\n")), 26,
                "checkpoints[0].points must be greater than 0, got " + points);
        Problem unit = onlyProblem("id: u\ntitle: u\nunit_checks:\n  - {op: relu, points: " + points + "}\n");
        assertAt(unit, 4, "unit_checks[0].points must be greater than 0");
    }

    // ---------------------------------------------------------------- sizes

    @Test
    void aBillionEntryShapeIsRefusedAtItsLineWithoutAllocatingIt() throws IOException {
        Problem p = onlyProblem(replaced("  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]",
                "  W1: {constant: 0, shape: [40000, 25000]}"));
        assertAt(p, 11, "parameters.W1.shape asks for 1,000,000,000 entries; at most 4,194,304 are allowed");
    }

    @Test
    void valuesThatTogetherExceedTheMemoryBudgetAreRefusedAtTheOneThatCrossesIt() throws IOException {
        String yaml = replaced("  b2: [0]", "  b2: [0]\n  big1: {constant: 0, shape: [2048, 2048]}\n"
                + "  big2: {constant: 0, shape: [2048, 2048]}");
        Problem p = onlyProblem(yaml);
        assertAt(p, 16, "parameters.big2 would bring the values this file starts from to 8,388,624 entries, over "
                + "the budget of 8,388,608");
    }

    @Test
    void aMatrixLiteralOfAHundredThousandNumbersReads() throws IOException {
        String row = IntStream.range(0, 100_000).mapToObj(i -> Integer.toString(i % 7 - 3)).collect(
                Collectors.joining(", "));
        Assignment a = read(write("wide", "id: wide\ntitle: wide\ninputs:\n  x: [" + row + "]\ntargets:\n  t: "
                + "{constant: 0, shape: [1, 100000]}\ngraph:\n  - {node: J, op: squared_error, inputs: [x, t]}\n"
                + "loss: J\n"));
        assertThat(a.inputs().get("x").cols()).isEqualTo(100_000);
        assertThat(a.inputs().get("x").get(0, 99_999)).isEqualTo(99_999 % 7 - 3);
    }

    @Test
    void aChainOfTenThousandNodesReads() throws IOException {
        StringBuilder sb = new StringBuilder("id: chain\ntitle: chain\ninputs:\n  x: [1, 2]\ngraph:\n");
        String prev = "x";
        for (int i = 0; i < 10_000; i++) {
            sb.append("  - {node: n").append(i).append(", op: tanh, inputs: [").append(prev).append("]}\n");
            prev = "n" + i;
        }
        sb.append("upstream:\n  ").append(prev).append(": [1, 1]\ncheckpoints:\n  - {gradient: x, expected: [0, 0]}\n");
        Assignment a = read(write("chain", sb.toString()));
        assertThat(a.graph()).hasSize(10_000);
        assertThat(a.graph().get(0).name()).isEqualTo("n0");
        assertThat(a.graph().get(9_999).name()).isEqualTo("n9999");
    }

    @Test
    void aLongCycleIsReportedWithoutOverflowingTheStack() throws IOException {
        StringBuilder sb = new StringBuilder("id: loop\ntitle: loop\ninputs:\n  x: [1, 2]\ngraph:\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append("  - {node: n").append(i).append(", op: tanh, inputs: [n").append((i + 1) % 10_000)
                    .append("]}\n");
        }
        sb.append("upstream:\n  n0: [1, 1]\n");
        Problem p = onlyProblem(write("loop", sb.toString()));
        assertThat(p.location().line()).isBetween(6, 10_005);
        assertThat(p.message()).startsWith("the graph has a cycle: n0 → n1 → n2").endsWith("→ n9999 → n0");
    }

    @Test
    void unicodeNamesWorkAndColumnsCountCharactersNotUtf16Units() throws IOException {
        String yaml = base().replace("a1", "α₁").replace("node: h,", "node: 隐藏,").replace("[h, W2", "[隐藏, W2")
                .replace("W2", "W😀");
        Assignment a = read(write("unicode", yaml));
        assertThat(a.checkpoints()).extracting(Checkpoint::id).contains("α₁", "W😀 after 1 step");
        Problem p = onlyProblem(write("unicode-bad", yaml.replace("  W😀: [[1, -1, 0.5]]", "  W😀: [[1, -1, nope]]")));
        assertThat(p.location().line()).isEqualTo(13);
        assertThat(p.location().column()).isEqualTo(16);
    }

    // ---------------------------------------------------------------- one defect, one problem

    /**
     * One defect at a time, each written into the valid base: exactly one problem, on the line of the defect. Any
     * follow-on problem (a checkpoint that loses its target, a node that loses its shape) fails this.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "  x: [[1, 2]]                        |   x: [[1, abc]]                                   | 7",
        "  x: [[1, 2]]                        |   x: [[1, .inf]]                                  | 7",
        "  x: [[1, 2]]                        |   x: {random: normal, seed: -1, shape: [1, 2]}    | 7",
        "  x: [[1, 2]]                        |   x: {random: normal, seed: 1, shape: [1, 0]}     | 7",
        "  x: [[1, 2]]                        |   x: {random: gauss, seed: 1, shape: [1, 2]}      | 7",
        "  x: [[1, 2]]                        |   x: {constant: \"1\", shape: [1, 2]}             | 7",
        "  t: [1]                             |   t: [1e999]                                      | 9",
        "  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]] | W1: [[0.1, 0.2], [0.3, 0.4], [0.5, -.inf]]  | 11",
        "  b1: [0, 0, 0]                      |   b1: {constant: 0, shape: [1, three]}            | 12",
        "  W2: [[1, -1, 0.5]]                 |   W2: [[1, -1, '0.5']]                            | 13",
        "  b2: [0]                            |   b2: []                                          | 14",
        "inputs: [x, W1, b1]}                 | inputs: [x, W1, b1, b1]}                          | 16",
        "op: sigmoid                          | op: sigmoid2                                      | 17",
        "loss: J                              | loss: K                                           | 21",
        "learning_rate: 0.1}                  | learning_rate: 0}                                 | 22",
        "learning_rate: 0.1}                  | learning_rate: 0.1, momentum: 1}                  | 22",
        "{method: sgd,                        | {method: adam,                                    | 22",
        "expected: [0.5, 1.1, 1.7]            | expected: [0.5, 1.1, 1e400]                       | 25",
        "  - forward: p                       |   - forward: q                                    | 27",
        "tolerance: {abs: 1.0e-9, rel: 1.0e-9} | tolerance: {abs: -1.0e-9, rel: 1.0e-9}          | 34",
        "tolerance: {abs: 1.0e-9, rel: 1.0e-9} | tolerance: {abs: .nan, rel: 1.0e-9}             | 34",
        "    after_steps: 1                   |     after_steps: 0                                | 36",
        "    after_steps: 1                   |     after_steps: 2.5                              | 36",
        "    after_steps: 1                   |     after_steps: 1000000                          | 36",
        "    points: 2\\n    tolerance        |     points: 0\\n    tolerance                   | 33"})
    void oneDefectGivesOneProblemOnItsLine(String from, String to, int line) throws IOException {
        String yaml = replaced(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        List<Problem> all = problems(write("one-defect", yaml));
        assertThat(all).as(to).hasSize(1);
        assertThat(all.get(0).location().line()).as(all.get(0).toString()).isEqualTo(line);
        assertThat(all.get(0).message()).as(all.get(0).toString()).doesNotContain("null");
    }

    @Test
    void aBadNumberInAParameterDoesNotMakeItsStepCheckpointSayItIsNotAParameter() throws IOException {
        Problem p = onlyProblem(replaced("  W2: [[1, -1, 0.5]]", "  W2: [[1, -1, nope]]"));
        assertAt(p, 13, "parameters.W2 entry [0][2] must be a number, got 'nope'");
    }

    @Test
    void matricesReadAsTheirNumbers() throws IOException {
        Assignment a = read(write("numbers", replaced("  x: [[1, 2]]", "  x: [[+1.5e-3, -.25]]")));
        assertThat(a.inputs().get("x")).isEqualTo(Matrix.row(1.5e-3, -0.25));
    }
}
