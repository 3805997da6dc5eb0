package backprop.grader.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.spec.Assignment.NodeSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The assignment reader against the fixtures in {@code src/test/resources/malformed} (each a copy of
 * {@code base-valid.yaml} with one defect; see the README.md there) and against the shipped assignments.
 */
class AssignmentReaderTest {

    // ---------------------------------------------------------------- helpers

    private static Path malformedDir() {
        URL url = AssignmentReaderTest.class.getResource("/malformed");
        assertThat(url).as("test resource folder /malformed").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path fixture(String name) {
        Path p = malformedDir().resolve(name + ".yaml");
        assertThat(p).exists();
        return p;
    }

    private static String text(String name) {
        try {
            return Files.readString(fixture(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path repositoryRoot() {
        return Path.of(System.getProperty("grader.home", "../..")).toAbsolutePath().normalize();
    }

    /** Reads a fixture that must be rejected and returns its problems. */
    private static List<Problem> problems(String name) {
        Path file = fixture(name);
        SpecException e = catchThrowableOfType(SpecException.class, () -> AssignmentReader.read(file));
        assertThat(e).as(name + " must be rejected with a SpecException").isNotNull();
        assertThat(e.problems()).isNotEmpty();
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.location().file()).isEqualTo(file));
        return e.problems();
    }

    /** Reads YAML text (reported against {@code name}) that must be rejected and returns its problems. */
    private static List<Problem> problems(String name, String yaml) {
        Path file = Path.of(name + ".yaml");
        SpecException e = catchThrowableOfType(SpecException.class, () -> AssignmentReader.read(file, yaml));
        assertThat(e).as(name + " must be rejected with a SpecException").isNotNull();
        return e.problems();
    }

    /** The only problem of a one-defect fixture. */
    private static Problem onlyProblem(String name) {
        List<Problem> all = problems(name);
        assertThat(all).as(name).hasSize(1);
        return all.get(0);
    }

    /** The problem of a fixture whose message contains {@code part} (there must be exactly one). */
    private static Problem problemContaining(String name, String part) {
        List<Problem> matching = problems(name).stream().filter(p -> p.message().contains(part)).toList();
        assertThat(matching).as(name + ": problems containing '" + part + "'").hasSize(1);
        return matching.get(0);
    }

    private static void assertAt(Problem p, String fixture, int line, int column, String path) {
        assertThat(p.location().file()).isEqualTo(fixture(fixture));
        assertThat(p.location().line()).as("line of " + p).isEqualTo(line);
        assertThat(p.location().column()).as("column of " + p).isEqualTo(column);
        assertThat(p.location().path()).as("path of " + p).isEqualTo(path);
    }

    private static Assignment read(String name, String yaml) {
        try {
            return AssignmentReader.read(Path.of(name + ".yaml"), yaml);
        } catch (SpecException e) {
            throw new AssertionError("expected " + name + " to read without problems:\n" + e.getMessage(), e);
        }
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    // ---------------------------------------------------------------- the valid base

    @Test
    void baseFixtureIsValidSoEachCopyHasOnlyItsOwnDefect() throws Exception {
        Assignment a = AssignmentReader.read(fixture("base-valid"));
        assertThat(a.id()).isEqualTo("base-valid");
        assertThat(a.graph()).extracting(NodeSpec::name).containsExactly("a1", "h", "y", "J", "p");
        assertThat(a.checkpoints()).hasSize(4);
        assertThat(a.parameters().get("W1")).isEqualTo(Matrix.of(new double[][] {{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}}));
        assertThat(a.inputs().get("x")).isEqualTo(Matrix.row(1, 2));
        assertThat(a.optimizer()).hasValueSatisfying(o -> assertThat(o.learningRate()).isEqualTo(0.1));
    }

    @Test
    void everyFixtureIsListedInTheFolderReadme() throws IOException {
        String readme = Files.readString(malformedDir().resolve("README.md"), StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(malformedDir())) {
            List<String> yaml = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList();
            assertThat(yaml).isNotEmpty();
            assertThat(yaml).allSatisfy(n -> assertThat(readme).contains("`" + n + "`"));
        }
    }

    @Test
    void everyFixtureHasItsFileNameAsIdSoTheyCanBeLoadedTogether() throws IOException {
        try (Stream<Path> files = Files.list(malformedDir())) {
            files.filter(p -> p.toString().endsWith(".yaml")).forEach(p -> {
                String stem = p.getFileName().toString().replace(".yaml", "");
                assertThat(text(stem)).as(stem).contains("\nid: " + stem + "\n");
            });
        }
    }

    // ---------------------------------------------------------------- not valid YAML

    @Test
    void badIndentationIsNotValidYamlAndIsReportedAtTheMisindentedLine() {
        Problem p = onlyProblem("yaml-bad-indentation");
        assertAt(p, "yaml-bad-indentation", 13, 2, "");
        assertThat(p.message()).startsWith("not valid YAML");
    }

    @Test
    void unclosedBracketIsNotValidYamlAndIsReportedWhereTheParserNoticesIt() {
        // The list opened on line 12 runs into the next key, "W2:" on line 13: that is where it is detected.
        Problem p = onlyProblem("yaml-unclosed-bracket");
        assertAt(p, "yaml-unclosed-bracket", 13, 5, "");
        assertThat(p.message()).startsWith("not valid YAML");
    }

    @Test
    void unclosedBracketMessageSaysWhatWasExpectedAndWhereTheListOpened() {
        Problem p = onlyProblem("yaml-unclosed-bracket");
        assertThat(p.message()).contains("expected ',' or ']'").contains("line 12");
    }

    // ---------------------------------------------------------------- ops, names, cycles

    @Test
    void unknownOpIsReportedWithItsLineAndASuggestion() {
        Problem p = problemContaining("unknown-op", "unknown op");
        assertAt(p, "unknown-op", 17, 19, "graph[1].op");
        assertThat(p.message()).startsWith("unknown op 'sigmod' (did you mean 'sigmoid'?)")
                .contains("known ops: identity, relu, sigmoid");
    }

    @Test
    void undefinedInputIsReportedAtTheInputWithASuggestion() {
        Problem p = problemContaining("undefined-input", "not defined");
        assertAt(p, "undefined-input", 18, 43, "graph[2].inputs[2]");
        assertThat(p.message()).isEqualTo("node 'y' reads 'b_2', which is not defined (did you mean 'b2'?)");
    }

    @Test
    void undefinedInputInABlockStyleNodeIsReportedOnItsInputsLine() {
        Problem p = problemContaining("undefined-input-block-style", "not defined");
        assertThat(p.location().line()).isEqualTo(20);
        assertThat(p.location().path()).startsWith("graph[2].inputs");
    }

    @Test
    void cycleIsReportedWithTheLoopDrawnWithArrows() {
        Problem p = problemContaining("cycle", "cycle");
        assertAt(p, "cycle", 17, 5, "graph[1]");
        assertThat(p.message()).isEqualTo("the graph has a cycle: h → y → h");
    }

    @Test
    void duplicateNodeNameIsReportedWithTheLineOfTheFirstUse() {
        Problem p = onlyProblem("duplicate-node");
        assertAt(p, "duplicate-node", 18, 6, "graph[2].node");
        assertThat(p.message()).startsWith("the name 'h' is already used at line 17")
                .contains("share one namespace");
    }

    @Test
    void nodeReusingAParameterNameIsReportedWithTheParameterLine() {
        Problem p = problemContaining("node-reuses-parameter", "already used");
        assertAt(p, "node-reuses-parameter", 21, 6, "graph[5].node");
        assertThat(p.message()).startsWith("the name 'b2' is already used at line 14");
    }

    @Test
    void keyRepeatedInOneMappingIsReportedWithBothLines() {
        Problem p = onlyProblem("duplicate-yaml-key");
        assertAt(p, "duplicate-yaml-key", 27, 5, "checkpoints[0].points");
        assertThat(p.message()).isEqualTo("the key 'points' appears twice (first at line 26)");
    }

    // ---------------------------------------------------------------- shapes

    @Test
    void inputWithMoreColumnsThanTheWeightTakesIsAShapeProblemOfItsNode() {
        Problem p = onlyProblem("shape-x-columns");
        assertAt(p, "shape-x-columns", 16, 5, "graph[0]");
        assertThat(p.message()).isEqualTo("shapes do not fit in node 'a1' (affine of x, W1, b1): W is 3×2 so x needs"
                + " 2 columns (one example a row), but x is 1×3");
    }

    @Test
    void biasOfTheWrongShapeIsAShapeProblemOfItsNode() {
        Problem p = onlyProblem("bias-wrong-shape");
        assertAt(p, "bias-wrong-shape", 16, 5, "graph[0]");
        assertThat(p.message()).contains("node 'a1'").endsWith("W is 3×2 so b must be 1×3, but b is 1×2");
    }

    @Test
    void raggedMatrixRowsAreReportedAtTheOddRow() {
        Problem p = onlyProblem("ragged-rows");
        assertAt(p, "ragged-rows", 11, 20, "parameters.W1[1]");
        assertThat(p.message()).isEqualTo("parameters.W1: row 1 has 1 entries but row 0 has 2");
    }

    @Test
    void transposedExpectedValueGetsTheTransposedHint() {
        Problem p = onlyProblem("expected-transposed");
        assertAt(p, "expected-transposed", 25, 15, "checkpoints[0].expected");
        assertThat(p.message()).isEqualTo(
                "checkpoints[0].expected is 3×1 but 'a1' is 1×3 (transposed? one example a row)");
    }

    @Test
    void expectedValueOfAnotherWrongShapeIsReportedWithoutTheTransposedHint() {
        Problem p = onlyProblem("expected-wrong-shape");
        assertAt(p, "expected-wrong-shape", 25, 15, "checkpoints[0].expected");
        assertThat(p.message()).isEqualTo("checkpoints[0].expected is 1×2 but 'a1' is 1×3");
    }

    // ---------------------------------------------------------------- fields and types

    @Test
    void nodeWithoutOpIsMissingARequiredField() {
        Problem p = problemContaining("missing-op", "missing required field");
        assertAt(p, "missing-op", 17, 5, "graph[1].op");
        assertThat(p.message()).isEqualTo("missing required field 'op'");
    }

    @Test
    void nodeWithoutInputsIsMissingARequiredField() {
        Problem p = problemContaining("missing-inputs", "missing required field");
        assertAt(p, "missing-inputs", 17, 5, "graph[1].inputs");
        assertThat(p.message()).isEqualTo("missing required field 'inputs'");
    }

    @Test
    void checkpointWithoutExpectedIsMissingARequiredField() {
        Problem p = onlyProblem("missing-expected");
        assertAt(p, "missing-expected", 24, 5, "checkpoints[0].expected");
        assertThat(p.message()).startsWith("missing required field 'expected'").contains("grader fill");
    }

    @Test
    void misspeltFieldIsReportedWithTheClosestAllowedName() {
        Problem p = onlyProblem("misspelt-tolerance");
        assertAt(p, "misspelt-tolerance", 34, 5, "checkpoints[2].tolerence");
        assertThat(p.message()).startsWith("unknown field 'tolerence' (did you mean 'tolerance'?)")
                .contains("allowed here: id, forward, gradient");
    }

    @Test
    void wordInsideAnExpectedMatrixIsReportedAtThatEntry() {
        Problem p = onlyProblem("expected-not-a-number");
        assertAt(p, "expected-not-a-number", 25, 21, "checkpoints[0].expected[1]");
        assertThat(p.message()).isEqualTo("checkpoints[0].expected entry [0][1] must be a number, got 'abc'");
    }

    @Test
    void wordWherePointsBelongIsReported() {
        Problem p = onlyProblem("points-not-a-number");
        assertAt(p, "points-not-a-number", 33, 13, "checkpoints[2].points");
        assertThat(p.message()).isEqualTo("checkpoints[2].points must be a number, got 'many'");
    }

    // ---------------------------------------------------------------- checkpoints, loss and upstream

    @Test
    void gradientCheckpointTheLossDoesNotDependOnIsReported() {
        Problem p = onlyProblem("gradient-not-on-loss-path");
        assertAt(p, "gradient-not-on-loss-path", 27, 15, "checkpoints[1].gradient");
        assertThat(p.message()).isEqualTo(
                "checkpoints[1] asks for the gradient of 'p', but the loss does not depend on it");
    }

    @Test
    void parameterCheckpointWithoutAnOptimizerIsReported() {
        Problem p = onlyProblem("parameter-without-optimizer");
        assertAt(p, "parameter-without-optimizer", 34, 16, "checkpoints[3].parameter");
        assertThat(p.message()).isEqualTo("checkpoints[3] needs an 'optimizer' section (method, learning_rate)");
    }

    @Test
    void bothLossAndUpstreamIsReported() {
        Problem p = onlyProblem("loss-and-upstream");
        assertThat(p.message()).isEqualTo("give either 'loss' or 'upstream', not both");
    }

    @Test
    void bothLossAndUpstreamIsReportedAtTheUpstreamField() {
        Problem p = onlyProblem("loss-and-upstream");
        assertAt(p, "loss-and-upstream", 22, 1, "upstream");
    }

    @Test
    void neitherLossNorUpstreamIsReportedAtTheTopOfTheFile() {
        Problem p = problemContaining("neither-loss-nor-upstream", "'loss'");
        assertAt(p, "neither-loss-nor-upstream", 2, 1, "");
        assertThat(p.message()).isEqualTo(
                "missing required field 'loss' (the loss node), or 'upstream' (given gradients)");
    }

    @Test
    void upstreamThatIsNotAMappingIsAProblemNotACrash() {
        Problem p = problemContaining("upstream-not-a-mapping", "mapping");
        assertAt(p, "upstream-not-a-mapping", 22, 11, "upstream");
        assertThat(p.message()).isEqualTo("upstream must be a mapping (key: value lines)");
    }

    // ---------------------------------------------------------------- valid YAML an assignment cannot use

    @Test
    void aSecondYamlDocumentIsAProblemAtItsDashes() {
        Problem p = onlyProblem("second-document");
        assertAt(p, "second-document", 39, 1, "");
        assertThat(p.message()).startsWith("a second YAML document starts here ('---')");
    }

    @Test
    void notANumberIsValidYamlButNotAllowedAndSaysSo() {
        Problem p = onlyProblem("nan-value");
        assertAt(p, "nan-value", 11, 26, "parameters.W1[1][1]");
        assertThat(p.message()).isEqualTo("parameters.W1 entry [1][1] is .nan: not-a-number and infinite values are "
                + "valid YAML but not allowed here; every value must be a finite number");
    }

    @Test
    void aNumberBeyondTheRangeOfADoubleIsOneProblemAtItsLine() {
        Problem p = onlyProblem("overflow-value");
        assertAt(p, "overflow-value", 13, 16, "parameters.W2[0][2]");
        assertThat(p.message()).isEqualTo("parameters.W2 entry [0][2] is 1.0e+400, which a double cannot hold (the "
                + "largest is about 1.8e308)");
    }

    @Test
    void deepNestingIsSaidInWordsNotInTheParsersTerms() {
        Problem p = onlyProblem("deep-nesting");
        assertAt(p, "deep-nesting", 25, 22, "checkpoints[0].expected[0][0][0][0][0][0][0]");
        assertThat(p.message()).contains("nested more than 10 levels deep").doesNotContain("StreamReadConstraints");
    }

    @Test
    void anAliasIsRefusedWithOneClearMessageAtTheAlias() {
        Problem p = onlyProblem("alias");
        assertAt(p, "alias", 13, 7, "parameters.W2");
        assertThat(p.message()).isEqualTo("'*w' is a YAML alias: anchors and aliases (&name, *name) are not supported "
                + "in assignment files; write the value out where it is used");
    }

    @Test
    void anAliasBombIsOneMessageAtTheFirstAlias() {
        Problem p = onlyProblem("alias-bomb");
        assertAt(p, "alias-bomb", 41, 10, "bomb.b[0]");
        assertThat(p.message()).startsWith("'*a' is a YAML alias");
    }

    @Test
    void aQuotedNumberIsTextAndTheMessageSaysToDropTheQuotes() {
        Problem p = onlyProblem("quoted-number");
        assertAt(p, "quoted-number", 22, 41, "optimizer.learning_rate");
        assertThat(p.message()).isEqualTo("optimizer.learning_rate is written in quotes, so it is text, not a number: "
                + "write 0.1 without the quotes");
    }

    @Test
    void zeroPointsAreRefused() {
        Problem p = onlyProblem("points-zero");
        assertAt(p, "points-zero", 26, 13, "checkpoints[0].points");
        assertThat(p.message()).isEqualTo("checkpoints[0].points must be greater than 0, got 0");
    }

    @Test
    void aBadLearningRateDoesNotAlsoSayTheOptimizerIsMissing() {
        Problem p = onlyProblem("learning-rate-negative");
        assertAt(p, "learning-rate-negative", 22, 41, "optimizer.learning_rate");
        assertThat(p.message()).isEqualTo("optimizer.learning_rate must be greater than 0, got -0.1");
    }

    @Test
    void aMissingGraphIsTheOnlyProblemNotOneForEachCheckpoint() {
        Problem p = onlyProblem("missing-graph");
        assertAt(p, "missing-graph", 2, 1, "");
        assertThat(p.message()).startsWith("missing required field 'graph'");
    }

    @Test
    void aTabIsNamedAsATabWhereItIs() {
        Problem p = onlyProblem("tab-indent");
        assertAt(p, "tab-indent", 12, 1, "");
        assertThat(p.message()).startsWith("a tab character: YAML indents with spaces only");
    }

    @Test
    void aSeedThatIsNotAWholeNumberIsRefusedSayingWhatASeedMustBe() {
        Problem p = onlyProblem("seed-not-whole");
        assertAt(p, "seed-not-whole", 11, 30, "parameters.W1.seed");
        assertThat(p.message()).startsWith("parameters.W1.seed must be a whole number from 0 to 281474976710655")
                .endsWith("got 1e20");
    }

    // ---------------------------------------------------------------- everything in one pass

    @Test
    void fileWithThreeDefectsReportsAllThreeInOnePass() {
        List<Problem> all = problems("three-defects");
        assertThat(all).hasSize(3);
        assertAt(all.get(0), "three-defects", 11, 20, "parameters.W1[1]");
        assertThat(all.get(0).message()).isEqualTo("parameters.W1: row 1 has 1 entries but row 0 has 2");
        assertAt(all.get(1), "three-defects", 17, 42, "graph[1].note");
        assertThat(all.get(1).message()).startsWith("unknown field 'note' (did you mean 'node'?)");
        assertAt(all.get(2), "three-defects", 33, 13, "checkpoints[2].points");
        assertThat(all.get(2).message()).isEqualTo("checkpoints[2].points must be a number, got 'many'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml-bad-indentation", "yaml-unclosed-bracket", "shape-x-columns", "bias-wrong-shape",
        "duplicate-node", "duplicate-yaml-key", "ragged-rows", "expected-transposed", "expected-wrong-shape",
        "missing-expected", "misspelt-tolerance", "expected-not-a-number", "points-not-a-number",
        "gradient-not-on-loss-path", "parameter-without-optimizer", "loss-and-upstream", "second-document",
        "nan-value", "overflow-value", "deep-nesting", "alias", "alias-bomb", "quoted-number", "points-zero",
        "learning-rate-negative", "missing-graph", "tab-indent", "seed-not-whole"})
    void oneDefectGivesExactlyOneProblem(String name) {
        assertThat(problems(name)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-op", "missing-op", "undefined-input", "cycle", "neither-loss-nor-upstream",
        "node-reuses-parameter"})

    void oneDefectInTheGraphGivesExactlyOneProblem(String name) {
        assertThat(problems(name)).hasSize(1);
    }

    @Test
    void problemPrintsAsFileLineColumnPathAndMessage() {
        Problem p = onlyProblem("points-not-a-number");
        assertThat(p.toString()).isEqualTo(fixture("points-not-a-number")
                + ":33:13 (checkpoints[2].points): checkpoints[2].points must be a number, got 'many'");
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> AssignmentReader.read(fixture("points-not-a-number")));
        assertThat(e.getMessage()).isEqualTo(p.toString());
    }

    // ---------------------------------------------------------------- other defects found while testing

    @Test
    void afterStepsDefaultsToOneAsTheReadmeSays() {
        String yaml = replaceOnce(text("base-valid"), "    after_steps: 1\n", "");
        Checkpoint c = read("no-after-steps", yaml).checkpoints().get(3);
        assertThat(c.afterSteps()).isEqualTo(1);
        assertThat(c.id()).isEqualTo("W2 after 1 step");
    }

    @Test
    void lossThatIsNotASingleNameIsReportedOnce() {
        List<Problem> all = problems("loss-list", replaceOnce(text("base-valid"), "loss: J", "loss: [J]"));
        assertThat(all).hasSize(1);
        assertThat(all.get(0).message()).isEqualTo("loss must be a single value, not a list");
        assertThat(all.get(0).location().line()).isEqualTo(21);
    }

    // ---------------------------------------------------------------- sets of files

    @Test
    void setLoadsTheGoodFilesAndReportsEveryProblemOfTheBadOnes(@TempDir Path dir) throws IOException {
        // Sorted by name: a bad file first, then the good one, then another bad one.
        Path badYaml = Files.copy(fixture("yaml-unclosed-bracket"), dir.resolve("1-bad-yaml.yaml"));
        Path good = Files.copy(fixture("base-valid"), dir.resolve("2-good.yaml"));
        Path bad = Files.copy(fixture("three-defects"), dir.resolve("3-bad.yaml"));
        Files.writeString(dir.resolve("notes.txt"), "not an assignment");

        AssignmentSet set = AssignmentSet.load(List.of(dir));

        assertThat(set.assignments()).extracting(Assignment::id).containsExactly("base-valid");
        assertThat(set.assignments().get(0).file()).isEqualTo(good);
        assertThat(set.problems()).hasSize(4);
        assertThat(set.problems().get(0).location().file()).isEqualTo(badYaml);
        assertThat(set.problems().get(0).message()).startsWith("not valid YAML");
        assertThat(set.problems().subList(1, 4)).allSatisfy(p -> assertThat(p.location().file()).isEqualTo(bad));
        assertThat(set.problems().subList(1, 4)).extracting(p -> p.location().line()).containsExactly(11, 17, 33);
    }

    @Test
    void setReportsASecondFileWithTheSameId(@TempDir Path dir) throws IOException {
        Path first = Files.copy(fixture("base-valid"), dir.resolve("a.yaml"));
        Path second = Files.copy(fixture("base-valid"), dir.resolve("b.yaml"));

        AssignmentSet set = AssignmentSet.load(List.of(dir));

        assertThat(set.assignments()).extracting(Assignment::file).containsExactly(first);
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().file()).isEqualTo(second);
            assertThat(p.location().path()).isEqualTo("id");
            assertThat(p.message()).isEqualTo("the id 'base-valid' is already used by " + first);
        });
    }

    @Test
    void setReadsFilesAtOnceYetReportsAsIfOneByOne(@TempDir Path dir) throws IOException {
        // Files are read in parallel: bad files, repeated ids and good ones must come out in path order all the same.
        String base = Files.readString(fixture("base-valid"), StandardCharsets.UTF_8);
        List<Assignment> good = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Path> firstOfId = new java.util.HashMap<>();
        for (int i = 0; i < 48; i++) {
            Path file = dir.resolve(String.format(java.util.Locale.ROOT, "%02d.yaml", i));
            if (i % 7 == 3) {
                Files.copy(fixture(i % 2 == 0 ? "three-defects" : "yaml-unclosed-bracket"), file);
            } else {
                Files.writeString(file, base.replace("id: base-valid", "id: " + (i % 5 == 4 ? "same" : "id-" + i)));
            }
            try {
                Assignment a = AssignmentReader.read(file);
                Path first = firstOfId.putIfAbsent(a.id(), file);
                if (first == null) {
                    good.add(a);
                } else {
                    problems.add(file + ": the id '" + a.id() + "' is already used by " + first);
                }
            } catch (SpecException e) {
                e.problems().forEach(p -> problems.add(p.location().file() + ": " + p.message()));
            }
        }

        AssignmentSet set = AssignmentSet.load(List.of(dir));

        assertThat(set.assignments()).extracting(Assignment::file).containsExactlyElementsOf(good.stream()
                .map(Assignment::file).toList());
        assertThat(set.problems()).extracting(p -> p.location().file() + ": " + p.message())
                .containsExactlyElementsOf(problems);
    }

    @Test
    void everyPublicAssignmentReadsWithoutProblems() throws Exception {
        Path folder = repositoryRoot().resolve("assignments/public");
        List<Path> files = AssignmentSet.files(List.of(folder));
        assertThat(files).hasSizeGreaterThanOrEqualTo(13);

        AssignmentSet set = AssignmentSet.load(List.of(folder));

        assertThat(set.problems()).isEmpty();
        assertThat(set.assignments()).hasSameSizeAs(files);
        for (Path f : files) {
            Assignment a = AssignmentReader.read(f);
            assertThat(a.id()).as("id of " + f).isEqualTo(f.getFileName().toString().replace(".yaml", ""));
            assertThat(a.maxPoints()).as("points of " + f).isPositive();
        }
    }

    @Test
    void publicExampleSeed000ReadsAsTheReadmeDescribesIt() throws Exception {
        Assignment a = AssignmentReader.read(repositoryRoot().resolve("assignments/public/seed-000.yaml"));
        assertThat(a.parameters().get("W1")).isEqualTo(Matrix.of(new double[][] {{1, 0}, {-1, 1}, {0, 0}}));
        assertThat(a.parameters().get("b1")).isEqualTo(Matrix.zeros(1, 3));
        assertThat(a.parameterOrigins()).containsEntry("W1", "literal").containsEntry("b1", "constant");
        assertThat(a.loss()).contains("J");
        assertThat(a.checkpoints()).extracting(Checkpoint::id)
                .containsExactly("a1", "h", "z", "J", "dJ/dW2", "dJ/db2", "dJ/dW1", "dJ/db1");
        assertThat(a.checkpoints().get(0).expectedLocation().line()).isEqualTo(35);
        assertThat(a.checkpoints().get(0).hint()).hasValueSatisfying(h -> assertThat(h).startsWith("Row 2 of W1"));
        assertThat(a.maxPoints()).isEqualTo(12.0);
    }

    // ---------------------------------------------------------------- random parameters

    private static String withRandomW1(String spec) {
        return replaceOnce(text("base-valid"), "  W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]", "  W1: " + spec);
    }

    private static Matrix randomW1(String spec) {
        return read("random", withRandomW1(spec)).parameters().get("W1");
    }

    @Test
    void randomParametersWithTheSameSeedAreTheSame() {
        Matrix first = randomW1("{random: normal, seed: 7, std: 0.5, shape: [3, 2]}");
        Matrix again = randomW1("{random: normal, seed: 7, std: 0.5, shape: [3, 2]}");
        assertThat(first.rows()).isEqualTo(3);
        assertThat(first.cols()).isEqualTo(2);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void randomParametersWithAnotherSeedDiffer() {
        Matrix seven = randomW1("{random: normal, seed: 7, std: 0.5, shape: [3, 2]}");
        Matrix eight = randomW1("{random: normal, seed: 8, std: 0.5, shape: [3, 2]}");
        assertThat(eight).isNotEqualTo(seven);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(eight.get(i, j)).isNotEqualTo(seven.get(i, j));
            }
        }
    }

    @Test
    void randomNormalDrawsAreJavaUtilRandomGaussiansRowByRowSoExpectedValuesStayValid() {
        Matrix w = randomW1("{random: normal, seed: 7, mean: 1.0, std: 0.5, shape: [3, 2]}");
        Random rng = new Random(7);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(w.get(i, j)).isEqualTo(1.0 + 0.5 * rng.nextGaussian());
            }
        }
    }

    @Test
    void randomUniformDrawsStayWithinTheirBounds() {
        Matrix w = randomW1("{random: uniform, seed: 3, low: -0.25, high: 0.25, shape: [3, 2]}");
        assertThat(w).isEqualTo(randomW1("{random: uniform, seed: 3, low: -0.25, high: 0.25, shape: [3, 2]}"));
        for (double[] row : w.toArray()) {
            for (double v : row) {
                assertThat(v).isBetween(-0.25, 0.25);
            }
        }
    }

    @Test
    void randomParameterRecordsItsSeedAsItsOrigin() {
        Assignment a = read("random", withRandomW1("{random: normal, seed: 7, std: 0.5, shape: [3, 2]}"));
        assertThat(a.parameterOrigins().get("W1")).isEqualTo("random random=normal seed=7 std=0.5");
        assertThat(a.parameterOrigins().get("b1")).isEqualTo("literal");
    }

    @Test
    void unknownRandomDistributionIsReportedWithASuggestion() {
        List<Problem> all = problems("random", withRandomW1("{random: normall, seed: 7, shape: [3, 2]}"));
        assertThat(all).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(11);
            assertThat(p.location().path()).isEqualTo("parameters.W1.random");
            assertThat(p.message()).isEqualTo(
                    "parameters.W1.random must be 'normal' or 'uniform', got 'normall' (did you mean 'normal'?)");
        });
    }

    // ---------------------------------------------------------------- checkpoint ids

    @Test
    void checkpointIdsDefaultToTheNodeTheGradientAndTheStepCount() throws Exception {
        Assignment a = AssignmentReader.read(fixture("base-valid"));
        assertThat(a.checkpoints()).extracting(Checkpoint::id)
                .containsExactly("a1", "p", "dJ/dW1", "W2 after 1 step");
        assertThat(a.checkpoints()).extracting(Checkpoint::kind).containsExactly(Checkpoint.Kind.FORWARD,
                Checkpoint.Kind.FORWARD, Checkpoint.Kind.GRADIENT, Checkpoint.Kind.PARAMETER);
        assertThat(a.checkpoints().get(3).afterSteps()).isEqualTo(1);
        assertThat(a.checkpoints().get(2).points()).isEqualTo(2.0);
        assertThat(a.checkpoints().get(1).points()).isEqualTo(1.0);
        assertThat(a.checkpoints().get(2).tolerance()).isEqualTo(new Tolerance(1.0e-9, 1.0e-9));
        assertThat(a.checkpoints().get(0).tolerance()).isEqualTo(Tolerance.DEFAULT);
        assertThat(a.checkpoints().get(0).visibility()).isEqualTo(Checkpoint.Visibility.VISIBLE);
    }

    @Test
    void checkpointIdCountsStepsInThePlural() {
        String yaml = replaceOnce(text("base-valid"), "    after_steps: 1\n", "    after_steps: 2\n");
        assertThat(read("two-steps", yaml).checkpoints().get(3).id()).isEqualTo("W2 after 2 steps");
    }

    @Test
    void explicitCheckpointIdIsKept() {
        String yaml = replaceOnce(text("base-valid"), "  - gradient: W1\n", "  - gradient: W1\n    id: first layer\n");
        assertThat(read("explicit-id", yaml).checkpoints().get(2).id()).isEqualTo("first layer");
    }

    @Test
    void gradientIdsUseLWhenTheFileGivesUpstreamGradients() throws Exception {
        Assignment a = AssignmentReader.read(repositoryRoot().resolve("assignments/public/seed-001.yaml"));
        assertThat(a.loss()).isEmpty();
        assertThat(a.upstream()).containsOnlyKeys("h1", "h2");
        assertThat(a.checkpoints()).extracting(Checkpoint::id).contains("h1", "dL/dz1", "dL/dv", "dL/dW1");
    }

    @Test
    void twoCheckpointsWithTheSameIdAreReported() {
        String yaml = replaceOnce(text("base-valid"), "  - forward: a1\n", "  - forward: a1\n    id: dJ/dW1\n");
        assertThat(problems("same-id", yaml)).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(30);
            assertThat(p.location().path()).isEqualTo("checkpoints[2]");
            assertThat(p.message()).startsWith("two checkpoints have the id 'dJ/dW1'");
        });
    }

    // ---------------------------------------------------------------- graph order

    @Test
    void graphComesBackWithEveryNodeAfterItsInputsWhateverTheFileOrder() {
        String base = text("base-valid");
        List<String> nodeLines = base.lines().filter(l -> l.startsWith("  - {node: ")).toList();
        assertThat(nodeLines).hasSize(5);
        List<String> reversed = new ArrayList<>(nodeLines);
        Collections.reverse(reversed);
        String yaml = replaceOnce(base, String.join("\n", nodeLines), String.join("\n", reversed));

        Assignment a = read("reversed", yaml);

        List<String> order = a.graph().stream().map(NodeSpec::name).toList();
        assertThat(order).containsExactlyInAnyOrder("a1", "h", "y", "J", "p");
        Map<String, NodeSpec> byName = a.graph().stream()
                .collect(Collectors.toMap(NodeSpec::name, Function.identity()));
        for (NodeSpec n : a.graph()) {
            for (String in : n.inputs()) {
                if (byName.containsKey(in)) {
                    assertThat(order.indexOf(in)).as(in + " before " + n.name()).isLessThan(order.indexOf(n.name()));
                }
            }
        }
        // Each node keeps the place it was written at: reversed, J is the second line of the graph.
        assertThat(byName.get("J").location().line()).isEqualTo(17);
        assertThat(byName.get("J").location().path()).isEqualTo("graph[1]");
    }

    @Test
    void aShapeTooLargeToHoldIsAProblemNotACrash(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        java.nio.file.Files.writeString(file, String.join("\n",
                "id: huge",
                "title: too big",
                "inputs:",
                "  x: [1, 2]",
                "parameters:",
                "  W: {random: normal, seed: 1, shape: [1000000, 1000000]}",
                "graph:",
                "  - {node: y, op: linear, inputs: [x, W]}",
                "upstream: {y: [1]}",
                ""));
        java.nio.file.Files.copy(TestFiles.publicAssignments().resolve("seed-004.yaml"), dir.resolve("good.yaml"));
        AssignmentSet set = AssignmentSet.load(List.of(dir));
        assertThat(set.assignments()).extracting(Assignment::id).containsExactly("seed-004");
        assertThat(set.problems()).anySatisfy(p -> {
            assertThat(p.location().line()).isEqualTo(6);
            assertThat(p.message()).contains("at most");
        });
    }

    @Test
    void anOpCheckedTwiceInUnitChecksIsAProblem() throws Exception {
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () ->
                AssignmentReader.read(Path.of("twice.yaml"), String.join("\n",
                        "id: twice",
                        "title: twice",
                        "unit_checks:",
                        "  - {op: relu, shape: [2, 3]}",
                        "  - {op: relu, shape: [50, 40]}",
                        "")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(5);
            assertThat(p.message()).contains("'relu' is already checked");
        });
    }
}
