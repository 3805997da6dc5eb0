package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.report.ScoreCards;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real children that end their result channel badly (test resources {@code channel/}): each gets the status the
 * README gives it, and the correct submission beside them full marks.
 */
class ResultChannelTest {
    @TempDir
    static Path tmp;
    static final Map<String, CSVRecord> ROWS = new LinkedHashMap<>();
    static String log;

    @BeforeAll
    static void gradeTheClass() throws Exception {
        Path subs = Files.createDirectories(tmp.resolve("class"));
        Path channel = TestFiles.root().resolve("grader/core/src/test/resources/channel");
        try (Stream<Path> s = Files.list(channel)) {
            for (Path h : s.filter(Files::isDirectory).sorted().toList()) {
                HostileBatch.overlay(h, subs.resolve(h.getFileName().toString()).resolve("homework"), Map.of());
            }
        }
        HostileBatch.copyReference(subs.resolve("correct/homework"));
        Path out = tmp.resolve("reports");
        StringWriter err = new StringWriter();
        BatchGrader.run(new BatchGrader.Options(subs, out, Stream.of("seed-000", "ops")
                .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList(), Optional.empty(), 2,
                HostileBatch.LIMITS.withWall(Duration.ofSeconds(20)), Duration.ofSeconds(60), false,
                HostileBatch.choice()), TestFiles.reference(), TestFiles.referenceSources(), "test",
                new PrintWriter(err, true));
        log = err.toString();
        try (Reader r = Files.newBufferedReader(out.resolve("scores.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            p.stream().filter(rec -> !rec.get("student").equals(ScoreCards.POINTS_POSSIBLE))
                    .forEach(rec -> ROWS.put(rec.get("student"), rec));
        }
    }

    static String statusAndReason(String student) {
        assertThat(ROWS).as(log).containsKey(student);
        return ROWS.get(student).get("status") + ": " + ROWS.get(student).get("reason");
    }

    @Test
    void aClosedChannelIsAProtocolError() {
        assertThat(statusAndReason("closes-channel")).isEqualTo("protocol-error: the result channel was closed during "
                + "seed-000 (did the submission close the raw standard output?)");
    }

    @Test
    void exitingWithZeroWithoutAResultIsAProtocolErrorWithGarbageOrWithout() {
        for (String s : List.of("halts-zero", "garbage-then-halt")) {
            assertThat(statusAndReason(s)).as(s).startsWith("protocol-error: the child ended without a valid result "
                    + "during seed-000");
        }
    }

    @Test
    void exitingWithAnotherCodeWithoutAResultIsStudentCodeEndingTheJvm() {
        assertThat(statusAndReason("halts-nonzero")).isEqualTo("exited: the JVM ended with exit code 7 during "
                + "seed-000 (System.exit or Runtime.halt)");
    }

    @Test
    void garbageOutsideFramesIsOnlyOutputAndTheValuesAreGraded() {
        for (String s : List.of("garbage-and-carries-on", "correct")) {
            assertThat(statusAndReason(s)).as(s).startsWith("graded: all ");
            assertThat(ROWS.get(s).get("percent")).isEqualTo("100.00");
        }
        for (String s : List.of("closes-channel", "halts-zero", "garbage-then-halt", "halts-nonzero")) {
            assertThat(ROWS.get(s).get("total")).as(s).isEqualTo("0");
        }
    }
}
