package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grade run stopped by SIGTERM or SIGINT while children run: the submissions in flight are abandoned, not saved
 * as crashed; the reports are left as they were; no child outlives the grader; and the next run grades the
 * abandoned ones, with the status they deserve.
 */
class StoppedRunTest {
    static final long SLOW_MS = 6000;

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aStoppedRunSavesNothingInFlightAndTheNextRunGradesIt(String signal, @TempDir Path tmp) throws Exception {
        Path subs = tmp.resolve("class");
        GraderProcess.correct(subs, "a-fast", 1);
        GraderProcess.slow(subs.resolve("b-slow"), SLOW_MS);
        GraderProcess.slow(subs.resolve("c-slow"), SLOW_MS);
        Path out = Files.createDirectories(tmp.resolve("reports"));
        for (String r : List.of(Reports.SCORES, Reports.DETAILS, Reports.PROVENANCE)) {
            Files.writeString(out.resolve(r), "from an earlier run");
        }
        Path results = out.resolve(BatchGrader.RESULTS);
        ResultStore store = new ResultStore(results);
        List<String> args = GraderProcess.gradeArgs(subs, out, 3);

        // a shell may start a background job with SIGINT ignored, and a JVM keeps it so: give it the default back
        GraderProcess g = GraderProcess.start(List.of("env", "--default-signal=INT,TERM"), args,
                tmp.resolve("stopped.log"));
        g.await("the fast submission's result", () -> Files.exists(store.file("a-fast0")), 90);
        g.await("the slow submissions' children", () -> g.process.descendants().count() >= 2, 30);
        Thread.sleep(1000); // well inside their sleep
        List<ProcessHandle> children = g.process.descendants().toList();
        new ProcessBuilder("kill", "-" + signal, Long.toString(g.process.pid())).inheritIO().start().waitFor();
        int code = g.waitFor(30);
        String log = g.log();

        assertThat(code).as(log).isEqualTo(128 + (signal.equals("TERM") ? 15 : 2));
        String saved = String.join("\n", List.of("a-fast0", "b-slow", "c-slow").stream()
                .map(id -> id + ": " + store.load(id).map(r -> r.status() + ": " + r.reason()).orElse("none")).toList());
        assertThat(GraderProcess.names(results)).as(log + "\nsaved:\n" + saved)
                .containsExactly(store.file("a-fast0").getFileName().toString());
        assertThat(store.load("a-fast0")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo("graded");
            assertThat(r.total()).isEqualTo(r.maximum());
        });
        assertThat(log).doesNotContain("crashed").contains("grader: stopping. Abandoned, with nothing saved: ");
        String stopping = log.lines().filter(l -> l.startsWith("grader: stopping.")).findFirst().orElseThrow();
        assertThat(stopping).contains("b-slow").contains("c-slow").doesNotContain("a-fast0")
                .contains("run the same command again");
        for (String r : List.of(Reports.SCORES, Reports.DETAILS, Reports.PROVENANCE)) {
            assertThat(out.resolve(r)).as(r + " is left as it was").hasContent("from an earlier run");
        }
        assertThat(GraderProcess.names(out)).containsExactlyInAnyOrder(".grader.lock", BatchGrader.RESULTS,
                Reports.SCORES, Reports.DETAILS, Reports.PROVENANCE);
        for (ProcessHandle c : children) {
            c.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.isAlive()).as("child %s outlives the grader", c.pid()).isFalse();
        }

        GraderProcess.Run again = GraderProcess.inProcess(args);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("grading 2 submission(s)").contains("1 already graded by an earlier run");
        Map<String, String> status = new TreeMap<>();
        List<CSVRecord> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(out.resolve(Reports.SCORES));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            p.forEach(rows::add);
        }
        rows.stream().skip(1).forEach(r -> status.put(r.get("student"), r.get("status") + " " + r.get("percent")));
        assertThat(status).containsExactly(Map.entry("a-fast0", "graded 100.00"), Map.entry("b-slow", "graded 100.00"),
                Map.entry("c-slow", "graded 100.00"));
    }
}
