package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Status;
import backprop.grader.check.Worst;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint.Visibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Fixed inputs for the golden-file tests of the export formats, and the comparison with a golden file.
 *
 * <p>Run with {@code -Dgolden.update=true} to rewrite the golden files from the current output (then read the
 * diff before committing it).
 */
final class FormatFixtures {
    private FormatFixtures() {}

    static final Assignment SEED_000 = assignment("seed-000",
            "2-3-1 ReLU network with identity output and ½ squared error");
    static final Assignment SEED_003A = assignment("seed-003a", "Tanh hidden layer, softmax cross-entropy");

    static List<Assignment> assignments() {
        return List.of(SEED_000, SEED_003A);
    }

    /** Passed, failed with worst entry, diagnosis and hint, skipped, error, inconclusive, and hidden checks. */
    static List<CheckResult> results() {
        return List.of(
                new CheckResult("seed-000", "a1", "forward", Status.PASSED, 1, 1, Visibility.VISIBLE,
                        Optional.empty(), "matches the reference", Optional.empty()),
                new CheckResult("seed-000", "dJ/dW2", "gradient", Status.FAILED, 0, 2, Visibility.VISIBLE,
                        Optional.of(new Worst("dJ/dW2", 0, 0, -1, 1, 2, 2)),
                        "1 of 3 entries wrong; tolerance 1e-06 + 1e-06·|reference|; finite differences of your "
                                + "forward pass give -1",
                        Optional.of("dJ/dW2 is (z − t) times the hidden activations h, laid out as a 1×3 row."))
                        .withDiagnosis(Optional.of("every entry has the right size but the opposite sign: a sign is "
                                + "flipped somewhere")),
                new CheckResult("seed-000", "W1 after 1 step", "parameter", Status.SKIPPED, 0, 1,
                        Visibility.VISIBLE, Optional.empty(), "needs dJ/dW1, which failed", Optional.empty()),
                new CheckResult("seed-003a", "relu › backward", "unit", Status.ERROR, 0, 1.5, Visibility.VISIBLE,
                        Optional.empty(), "Relu.backward threw ArithmeticException: <x> & \"y\" / by zero",
                        Optional.empty()),
                new CheckResult("seed-003a", "dL/dz1", "gradient", Status.INCONCLUSIVE, 0.5, 0.5,
                        Visibility.VISIBLE, Optional.empty(),
                        "differs from the reference only where a ReLU input is exactly 0; any subgradient is accepted",
                        Optional.empty()),
                new CheckResult("seed-003a", "loss", "forward", Status.PASSED, 0.25, 0.25, Visibility.HIDDEN,
                        Optional.empty(), "matches the reference", Optional.empty()),
                new CheckResult("seed-003a", "dL/dW2", "gradient", Status.FAILED, 0, 2, Visibility.HIDDEN,
                        Optional.of(new Worst("dL/dW2", 1, 2, 0.125, 0.25, 0.125, 1)),
                        "6 of 6 entries wrong; tolerance 1e-06 + 1e-06·|reference|", Optional.empty())
                        .withDiagnosis(Optional.of("every entry is twice the reference: the batch mean's 1/N is "
                                + "missing")));
    }

    static Assignment assignment(String id, String title) {
        return new Assignment(Path.of(id + ".yaml"), id, title, "fixture", "a fixture for the report formats",
                Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Optional.empty(), Map.of(), Optional.empty(),
                List.of(), List.of());
    }

    static Path golden(String name) {
        return TestFiles.root().resolve("grader/core/src/test/resources/golden").resolve(name);
    }

    /** Compares {@code actual} with the golden file byte for byte (or rewrites it with -Dgolden.update=true). */
    static void assertGolden(String name, String actual) {
        Path file = golden(name);
        byte[] bytes = actual.getBytes(StandardCharsets.UTF_8);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
                return;
            }
            assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", name).exists();
            byte[] expected = Files.readAllBytes(file);
            assertThat(actual).as("golden file %s", name).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(bytes).as("golden file %s, byte for byte", name).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code body} with Germany's locale as the default for every category, and restores the defaults. */
    static <T> T underGermanLocale(Supplier<T> body) {
        Locale display = Locale.getDefault(Locale.Category.DISPLAY);
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        Locale plain = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(String.format("%.1f", 1.5)).as("the default locale writes a decimal comma").isEqualTo("1,5");
            return body.get();
        } finally {
            Locale.setDefault(plain);
            Locale.setDefault(Locale.Category.DISPLAY, display);
            Locale.setDefault(Locale.Category.FORMAT, format);
        }
    }
}
