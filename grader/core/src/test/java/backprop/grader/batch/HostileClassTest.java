package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.report.ScoreCards;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class of hostile submissions (test resources {@code hostile/}, each the reference with one class replaced)
 * plus two correct ones, graded in one batch with small limits: every submission gets its status, the
 * correct ones full marks, and the sandbox keeps what it must out of reach.
 */
class HostileClassTest {
    /**
     * Small limits: a submission slow everywhere costs the suite 8 s, one that loops in a method 2 s (long enough
     * for the printing one to reach the output limit first, even on a busy machine).
     */
    static final Limits LIMITS = new Limits(Duration.ofSeconds(8), 64, 512, 32, 256, 1L << 20, 256L << 10,
            Duration.ofSeconds(2));
    static final List<String> ORDER = List.of("seed-000", "seed-004", "ops");

    @TempDir
    static Path tmp;
    static ServerSocket server;
    static final AtomicInteger CONNECTIONS = new AtomicInteger();
    static Path outside;
    static BatchGrader.Summary summary;
    static final Map<String, CSVRecord> SCORES = new LinkedHashMap<>();
    static CSVRecord possible;
    static final List<CSVRecord> DETAILS = new ArrayList<>();
    static String log;

    @BeforeAll
    static void gradeTheHostileClass() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    CONNECTIONS.incrementAndGet();
                    s.close();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        outside = Files.createDirectories(tmp.resolve("outside"));
        Path subs = Files.createDirectories(tmp.resolve("class"));
        Path out = tmp.resolve("reports");
        Map<String, String> tokens = Map.of(
                "@@REFERENCE_FILE@@", TestFiles.referenceSources().resolve("homework/Relu.java").toString(),
                "@@ASSIGNMENT_FILE@@", TestFiles.publicAssignments().resolve("seed-000.yaml").toString(),
                "@@RESULTS_DIR@@", out.resolve(BatchGrader.RESULTS).toString(),
                "@@OUTSIDE_DIR@@", outside.toString(),
                "@@PORT@@", Integer.toString(server.getLocalPort()));
        Path hostile = TestFiles.root().resolve("grader/core/src/test/resources/hostile");
        try (Stream<Path> s = Files.list(hostile)) {
            for (Path h : s.filter(Files::isDirectory).sorted().toList()) {
                overlay(h, subs.resolve(h.getFileName().toString()).resolve("homework"), tokens);
            }
        }
        copyReference(subs.resolve("correct/src/main/java/homework"));
        zipReference(subs.resolve("correct-zip.zip"));
        StringWriter err = new StringWriter();
        summary = BatchGrader.run(new BatchGrader.Options(subs, out,
                ORDER.stream().map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList(),
                Optional.empty(), 2, LIMITS, Duration.ofSeconds(60), false, choice()),
                TestFiles.reference(), TestFiles.referenceSources(), "test", new PrintWriter(err, true));
        log = err.toString();
        try (Reader r = Files.newBufferedReader(out.resolve("scores.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                if (rec.get("student").equals(ScoreCards.POINTS_POSSIBLE)) {
                    possible = rec;
                } else {
                    SCORES.put(rec.get("student"), rec);
                }
            }
        }
        try (Reader r = Files.newBufferedReader(out.resolve("details.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            p.forEach(DETAILS::add);
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    static void overlay(Path hostile, Path into, Map<String, String> tokens) throws IOException {
        copyReference(into);
        Path remove = hostile.resolve("remove.txt");
        if (Files.exists(remove)) {
            for (String f : Files.readAllLines(remove)) {
                Files.deleteIfExists(into.resolve(f.strip()));
            }
        }
        Path classes = hostile.resolve("homework");
        if (Files.isDirectory(classes)) {
            try (Stream<Path> s = Files.list(classes)) {
                for (Path f : s.toList()) {
                    String src = Files.readString(f);
                    for (Map.Entry<String, String> t : tokens.entrySet()) {
                        src = src.replace(t.getKey(), t.getValue());
                    }
                    Files.writeString(into.resolve(f.getFileName()), src);
                }
            }
        }
    }

    static void copyReference(Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.toList()) {
                Files.copy(f, into.resolve(f.getFileName()));
            }
        }
    }

    static void zipReference(Path zip) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.sorted().toList()) {
                z.putNextEntry(new ZipEntry("correct-zip/src/main/java/homework/" + f.getFileName()));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
    }

    /** The mechanism to test: auto, unless {@code -Dgrader.test.sandbox=bwrap|uid|none} says otherwise. */
    static Sandbox.Choice choice() {
        return Sandbox.Choice.valueOf(System.getProperty("grader.test.sandbox", "auto").toUpperCase(
                java.util.Locale.ROOT));
    }

    static CSVRecord row(String student) {
        assertThat(SCORES).as(log).containsKey(student);
        return SCORES.get(student);
    }

    static double points(String student, String column) {
        return Double.parseDouble(row(student).get(column));
    }

    static boolean full(String student, String column) {
        return points(student, column) == Double.parseDouble(possible.get(column));
    }

    static List<CSVRecord> details(String student, String assignment, String checkPrefix) {
        return DETAILS.stream().filter(d -> d.get("student").equals(student) && d.get("assignment").equals(assignment)
                && d.get("check").startsWith(checkPrefix)).toList();
    }

    static Sandbox.Mechanism mechanism() {
        return summary.mechanism();
    }

    @Test
    void everySubmissionHasTheStatusItMustGet() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("allocation", "memory");
        expected.put("compile-error", "compile-error");
        expected.put("correct", "graded");
        expected.put("correct-zip", "graded");
        expected.put("deep-recursion", "graded");
        expected.put("exits", "exited");
        expected.put("forged-result", "graded");
        expected.put("forged-then-halt", "protocol-error");
        expected.put("infinite-loop", "graded");
        expected.put("missing-class", "missing-class");
        expected.put("nan-inf", "graded");
        expected.put("network", "graded");
        expected.put("null-returns", "graded");
        expected.put("reads-outside", "graded");
        expected.put("slow-calls", "timeout");
        expected.put("spawns-process", "memory");
        expected.put("static-init-throws", "graded");
        expected.put("stdout-flood", "output-flood");
        expected.put("thread-bomb", "memory");
        expected.put("writes-outside", "graded");
        expected.put("wrong-shape", "graded");
        Map<String, String> actual = new LinkedHashMap<>();
        SCORES.forEach((k, v) -> actual.put(k, v.get("status")));
        assertThat(actual).as(log).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(summary.graderFailures()).isZero();
        SCORES.values().forEach(r -> assertThat(r.get("reason")).as(r.get("student")).isNotBlank()
                .doesNotContain("\n"));
        // details.csv opens each student's rows with the same status and reason
        for (CSVRecord r : SCORES.values()) {
            assertThat(DETAILS).filteredOn(d -> d.get("student").equals(r.get("student"))
                    && d.get("kind").equals("submission")).singleElement().satisfies(d -> {
                        assertThat(d.get("status")).isEqualTo(r.get("status"));
                        assertThat(d.get("message")).isEqualTo(r.get("reason"));
                    });
        }
    }

    @Test
    void theCorrectSubmissionsGetFullMarksAsAFolderAndAsAZip() {
        for (String s : List.of("correct", "correct-zip")) {
            assertThat(row(s).get("total")).isEqualTo(possible.get("total"));
            assertThat(row(s).get("percent")).isEqualTo("100.00");
            assertThat(row(s).get("reason")).startsWith("all ").endsWith(" checks passed");
        }
    }

    @Test
    void aSubmissionStoppedInTheLastAssignmentKeepsThePointsOfTheOthers() {
        for (String s : List.of("exits", "slow-calls", "thread-bomb", "allocation", "spawns-process",
                "stdout-flood")) {
            assertThat(full(s, "seed-000")).as(s + " " + row(s)).isTrue();
            assertThat(full(s, "seed-004")).as(s).isTrue();
            assertThat(points(s, "ops")).as(s).isLessThan(Double.parseDouble(possible.get("ops")));
            assertThat(row(s).get("reason")).as(s).endsWith("during ops");
            assertThat(details(s, "ops", "")).as(s).isNotEmpty().allSatisfy(d -> assertThat(d.get("message"))
                    .startsWith("not finished: " + row(s).get("status")));
        }
        assertThat(row("exits").get("reason")).contains("System.exit(3)");
        assertThat(row("slow-calls").get("reason")).startsWith("stopped at the 8 s time limit");
        assertThat(row("thread-bomb").get("reason")).contains("thread");
        assertThat(row("allocation").get("reason")).startsWith("ran out of memory (heap limit 64 MiB");
        assertThat(row("spawns-process").get("reason")).contains("process");
        assertThat(row("stdout-flood").get("reason")).startsWith("printed more than 256 KiB");
    }

    @Test
    void faultsInsideOneMethodAreCheckResultsAndTheRestScores() {
        assertThat(details("deep-recursion", "ops", "tanh › backward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("overflowed the stack"));
        assertThat(details("static-init-throws", "ops", "softmax › forward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("static initialiser of Softmax"));
        assertThat(details("nan-inf", "ops", "sigmoid › forward")).singleElement()
                .satisfies(d -> assertThat(d.get("status")).isEqualTo("failed"));
        assertThat(details("nan-inf", "ops", "sigmoid › forward").get(0).get("actual")).isEqualTo("NaN");
        assertThat(details("wrong-shape", "seed-000", "a1")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("transposed?"));
        assertThat(details("null-returns", "ops", "tanh › backward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).isEqualTo("Tanh.backward returned null"));
        for (String s : List.of("deep-recursion", "static-init-throws", "nan-inf", "null-returns")) {
            assertThat(full(s, "seed-000")).as(s).isTrue();
            assertThat(full(s, "ops")).as(s).isFalse();
        }
    }

    @Test
    void aMethodThatNeverReturnsCostsOnlyItsOwnChecksAndIsNamedWithItsLine() {
        List<CSVRecord> sigmoid = details("infinite-loop", "ops", "sigmoid › ");
        assertThat(sigmoid).isNotEmpty().allSatisfy(d -> assertThat(d.get("points")).isEqualTo("0"));
        assertThat(sigmoid.get(0).get("message"))
                .matches("Sigmoid.forward did not return within 2 s; it was at Sigmoid.java:1[34] \\(Sigmoid.forward\\).*");
        assertThat(details("infinite-loop", "ops", "")).filteredOn(d -> !d.get("check").startsWith("sigmoid › "))
                .allSatisfy(d -> assertThat(d.get("status")).as(d.get("check")).isEqualTo("passed"));
        assertThat(full("infinite-loop", "seed-000")).isTrue();
        assertThat(full("infinite-loop", "seed-004")).isTrue();
    }

    @Test
    void forgedResultsChangeNothing() {
        assertThat(full("forged-result", "seed-000")).isFalse();
        assertThat(details("forged-result", "seed-000", "h")).singleElement()
                .satisfies(d -> assertThat(d.get("status")).isEqualTo("failed"));
        assertThat(row("forged-then-halt").get("total")).isEqualTo("0");
        assertThat(row("forged-then-halt").get("reason")).contains("without a valid result").contains("seed-000");
    }

    @Test
    void aMissingClassAndACompileErrorAreNamed() {
        assertThat(row("missing-class").get("reason")).contains("homework.Softmax");
        assertThat(full("missing-class", "seed-000")).isTrue();
        assertThat(row("compile-error").get("reason")).startsWith("does not compile: Relu.java:");
        assertThat(DETAILS).filteredOn(d -> d.get("student").equals("compile-error") && d.get("kind").equals("compiler"))
                .isNotEmpty().allSatisfy(d -> assertThat(d.get("message")).startsWith("Relu.java:"));
        assertThat(row("compile-error").get("total")).isEqualTo("0");
    }

    @Test
    void theSandboxKeepsFilesAndNetworkOutOfReach() {
        if (mechanism() == Sandbox.Mechanism.PLAIN) {
            assertThat(log).contains("NO SANDBOX");
            return;
        }
        assertThat(outside.resolve("pwned.txt")).doesNotExist();
        assertThat(row("writes-outside").get("total")).isEqualTo(possible.get("total"));
        assertThat(CONNECTIONS.get()).isZero();
        assertThat(row("network").get("total")).isEqualTo(possible.get("total"));
        if (mechanism() == Sandbox.Mechanism.BWRAP) {
            assertThat(row("reads-outside").get("total")).as(row("reads-outside").toString())
                    .isEqualTo(possible.get("total"));
        }
    }

    @Test
    void theProvenanceRecordsTheRun() throws IOException {
        String p = Files.readString(summary.provenance(), StandardCharsets.UTF_8);
        assertThat(p).contains("\"mechanism\" : \"" + mechanism().word() + "\"").contains("\"sha256\"")
                .contains(System.getProperty("java.runtime.version")).contains("\"seed-004\"");
    }
}
