package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.check.Authority;
import backprop.grader.check.CheckResult;
import backprop.grader.check.Checker;
import backprop.grader.check.Grader;
import backprop.grader.check.Status;
import backprop.grader.graph.Network;
import backprop.grader.run.FiniteDifferences;
import backprop.grader.run.Outcome;
import backprop.grader.run.Probes;
import backprop.grader.run.Trace;
import backprop.grader.run.Tracer;
import backprop.grader.sandbox.Limits;
import backprop.grader.spec.Assignment;
import backprop.grader.submission.Components;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Student code owns everything inside its JVM, so it can make its forward pass lie to finite differences and
 * can write any result frame it likes. Neither may earn a point: a trace holds only values, the grader judges
 * them from its own evaluation, and finite differences can take points away but never give them.
 *
 * <p>The baseline is {@code loss-half-missing}, whose every network gradient is twice the right one. The forger
 * ({@code forged-kinks}) has the same wrong gradients, and a forward pass that, under finite differences, doubles
 * the loss (so the differences "confirm" the doubled gradients) and flips every ReLU input's sign between calls
 * (so that every entry looks like it sits on a kink).
 */
class ForgeryTest {
    private static final List<String> NETWORKS = List.of("seed-000", "seed-001", "seed-002a", "seed-003a",
            "seed-004");

    private static List<Assignment> assignments() {
        return NETWORKS.stream().map(TestFiles::assignment).toList();
    }

    private static double total(List<CheckResult> rs) {
        return rs.stream().mapToDouble(CheckResult::earned).sum();
    }

    private static List<CheckResult> gradients(List<CheckResult> rs) {
        return rs.stream().filter(r -> r.kind().equals("gradient")).toList();
    }

    @Test
    void aForwardPassThatLiesToFiniteDifferencesEarnsNoMoreThanItsHonestValues() {
        Grader grader = new Grader(assignments(), Optional.of(TestFiles.reference()));
        List<CheckResult> honest = grader.grade(TestFiles.fixture("loss-half-missing"));
        List<CheckResult> forged = grader.grade(TestFiles.fixture("forged-kinks"));
        assertThat(total(forged)).isLessThanOrEqualTo(total(honest));
        assertThat(gradients(forged)).isNotEmpty().hasSameSizeAs(gradients(honest));
        for (CheckResult h : gradients(honest)) {
            CheckResult f = forged.stream().filter(r -> r.assignment().equals(h.assignment())
                    && r.check().equals(h.check())).findFirst().orElseThrow();
            assertThat(f.status().earnsPoints()).as(f.assignment() + " › " + f.check() + ": " + f.message())
                    .isEqualTo(h.status().earnsPoints());
        }
        // the wrong gradients in the ReLU network are failed as wrong, not excused as "another subgradient"
        assertThat(forged).filteredOn(r -> r.assignment().equals("seed-000") && r.kind().equals("gradient")
                && r.check().contains("W1")).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(Status.FAILED);
                    assertThat(r.message()).doesNotContain("valid subgradient");
                });
    }

    @Test
    void theSameHoldsWhenTheForgerRunsInItsOwnSandboxedJvm(@TempDir Path tmp) throws Exception {
        Path subs = Files.createDirectories(tmp.resolve("class"));
        for (String s : List.of("loss-half-missing", "forged-kinks")) {
            HostileBatch.copyReference(subs.resolve(s));
            Path bug = TestFiles.root().resolve("grader/core/src/test/resources/submissions").resolve(s)
                    .resolve("homework");
            try (var files = Files.list(bug)) {
                for (Path f : files.toList()) {
                    Files.copy(f, subs.resolve(s).resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path out = tmp.resolve("reports");
        StringWriter err = new StringWriter();
        BatchGrader.Summary s = BatchGrader.run(new BatchGrader.Options(subs, out,
                NETWORKS.stream().map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList(),
                Optional.empty(), 2, Limits.DEFAULT.withWall(Duration.ofSeconds(60)), Duration.ofSeconds(60), false,
                HostileBatch.choice()), TestFiles.reference(), TestFiles.referenceSources(), "test",
                new PrintWriter(err, true));
        assertThat(s.graderFailures()).as(err.toString()).isZero();
        Map<String, CSVRecord> rows = new LinkedHashMap<>();
        try (var r = Files.newBufferedReader(out.resolve("scores.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            p.forEach(rec -> rows.put(rec.get("student"), rec));
        }
        assertThat(rows.get("forged-kinks").get("status")).isEqualTo("graded");
        double honest = Double.parseDouble(rows.get("loss-half-missing").get("total"));
        double forged = Double.parseDouble(rows.get("forged-kinks").get("total"));
        assertThat(forged).as(err.toString()).isLessThanOrEqualTo(honest);
        assertThat(forged).isLessThan(Double.parseDouble(rows.get("loss-half-missing").get("maximum")));
    }

    /**
     * A result frame can be forged (the nonce read from the harness's memory): whatever it holds is judged as the
     * values it carries. Here the frames say what an honest run of the doubled gradients says, with the
     * finite-difference probes rewritten in every way a forger might want; the points never rise.
     */
    @Test
    void aForgedTraceIsJudgedAsTheValuesItCarries() {
        Components wrong = TestFiles.fixture("loss-half-missing");
        for (Assignment a : assignments()) {
            Authority auth = Authority.of(a, TestFiles.reference());
            Trace honest = Tracer.trace(a, wrong);
            double base = total(Checker.check(a, honest, auth));
            Network net = new Network(a, wrong);
            Network.Forward fw = net.forward(a.parameters());
            Map<String, Matrix> grads = honest.gradients().value();
            List<UnaryOperator<Probes>> forgeries = List.of(
                    p -> p, // honest
                    p -> new Probes(p.center(), List.of()), // no lines at all
                    p -> new Probes(Double.NaN, p.lines()), // an objective that decides nothing
                    p -> new Probes(p.center(), p.lines().stream().map(l -> new Probes.Line(l.row(), l.col(),
                            l.seed(), l.steps(), new double[] {Double.NaN}, new double[] {Double.NaN})).toList()),
                    p -> new Probes(p.center(), java.util.stream.Stream.of(p.lines(), p.lines(), p.lines())
                            .flatMap(List::stream).toList()), // every line three times
                    ForgeryTest::withLinesOfItsOwn);
            for (UnaryOperator<Probes> forge : forgeries) {
                Map<String, Outcome<Probes>> probes = new LinkedHashMap<>();
                honest.probes().forEach((k, v) -> probes.put(k, v.ok() ? Outcome.of(forge.apply(v.value())) : v));
                double points = total(Checker.check(a, with(honest, probes), auth));
                assertThat(points).as(a.id()).isLessThanOrEqualTo(base);
            }
            // probes made up to agree with the doubled gradients: the comparison with the reference still decides
            Map<String, Outcome<Probes>> agreeing = new LinkedHashMap<>();
            for (String target : honest.probes().keySet()) {
                Matrix theta = fw.values().get(target);
                Matrix g = grads.get(target);
                agreeing.put(target, Outcome.of(FiniteDifferences.probe(theta, m -> m.minus(theta).hadamard(g).sum(),
                        0, FiniteDifferences.plan(theta.rows(), theta.cols(), Tracer.probeSeed(a, target)),
                        Optional.of(g))));
            }
            assertThat(total(Checker.check(a, with(honest, agreeing), auth))).as(a.id()).isEqualTo(base);
        }
    }

    /**
     * The honest lines, then a thousand directions of seeds no plan has and a thousand entries no plan samples, each
     * claiming the slope the doubled gradient would have there: the grader drops them unread (judging them would
     * mean drawing a thousand directions of the tensor's size), so they can neither take nor give points.
     */
    private static Probes withLinesOfItsOwn(Probes p) {
        List<Probes.Line> lines = new java.util.ArrayList<>(p.lines());
        double[] steps = {1e-5};
        for (int k = 1; k <= 1000; k++) {
            lines.add(new Probes.Line(-1, -1, 7_000_000L + k, steps, new double[] {p.center() + 1}, new double[] {
                p.center() - 1}));
            lines.add(new Probes.Line(k % 3, k, 0, steps, new double[] {p.center()}, new double[] {p.center()}));
        }
        return new Probes(p.center(), lines);
    }

    private static Trace with(Trace t, Map<String, Outcome<Probes>> probes) {
        return new Trace(t.forward(), t.failedNode(), t.forwardFault(), t.gradients(), probes, t.parametersAfter(),
                t.units());
    }
}
