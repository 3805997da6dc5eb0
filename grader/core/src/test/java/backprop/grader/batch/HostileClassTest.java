package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile submission of test resources {@code hostile/} plus two correct ones, graded in one batch with
 * small limits (see {@link HostileBatch}) under the strongest mechanism here ({@code -Dgrader.test.sandbox} picks
 * another): every submission gets its status and the points it earns, the correct ones full marks, and the
 * sandbox keeps what it must out of reach.
 */
class HostileClassTest {
    @TempDir
    static Path tmp;
    static HostileBatch batch;

    /** The status each submission must get, whatever the mechanism. */
    static final Map<String, String> STATUS = new LinkedHashMap<>();

    static {
        STATUS.put("allocation", "memory");
        STATUS.put("big-stacks", "memory");
        STATUS.put("compile-error", "compile-error");
        STATUS.put("correct", "graded");
        STATUS.put("correct-zip", "graded");
        STATUS.put("deep-recursion", "graded");
        STATUS.put("direct-buffers", "memory");
        STATUS.put("exits", "exited");
        STATUS.put("forged-result", "graded");
        STATUS.put("forged-then-halt", "protocol-error");
        STATUS.put("fork-bomb", "memory");
        STATUS.put("grader-files", "graded");
        STATUS.put("harness-reflection", "protocol-error");
        STATUS.put("host-tmp", "graded");
        STATUS.put("infinite-loop", "graded");
        STATUS.put("jdk-internals", "graded");
        STATUS.put("jni-native", "memory");
        STATUS.put("metaspace", "memory");
        STATUS.put("missing-class", "missing-class");
        STATUS.put("nan-inf", "graded");
        STATUS.put("network", "graded");
        STATUS.put("null-returns", "graded");
        STATUS.put("orphan-process", "memory");
        STATUS.put("proc-snoop", "graded");
        STATUS.put("reads-outside", "graded");
        STATUS.put("runtime-exec", "memory");
        STATUS.put("security-manager", "graded");
        STATUS.put("slow-calls", "timeout");
        STATUS.put("spawns-process", "memory");
        STATUS.put("static-init-throws", "graded");
        STATUS.put("stdout-flood", "output-flood");
        STATUS.put("stops-threads", "graded");
        STATUS.put("stops-threads-then-bomb", "memory");
        STATUS.put("thread-bomb", "memory");
        STATUS.put("unsafe-by-name", "graded");
        STATUS.put("writes-outside", "graded");
        STATUS.put("wrong-shape", "graded");
    }

    /** The mechanism the batch tests use; see {@link HostileBatch#choice}. */
    static Sandbox.Choice choice() {
        return HostileBatch.choice();
    }

    /** Copies the reference's sources into {@code into}: a correct submission. */
    static void copyReference(Path into) throws IOException {
        HostileBatch.copyReference(into);
    }

    @BeforeAll
    static void gradeTheHostileClass() throws Exception {
        batch = HostileBatch.grade(tmp, HostileBatch.choice(), c -> true);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (batch != null) {
            batch.close();
        }
    }

    @Test
    void everySubmissionHasTheStatusItMustGet() {
        Map<String, String> expected = new LinkedHashMap<>(STATUS);
        batch.jniMissing.ifPresent(why -> expected.remove("jni-native"));
        Map<String, String> actual = new LinkedHashMap<>();
        batch.scores.forEach((k, v) -> actual.put(k, v.get("status")));
        assertThat(actual).as(batch.log).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(batch.summary.graderFailures()).isZero();
        batch.scores.values().forEach(r -> assertThat(r.get("reason")).as(r.get("student")).isNotBlank()
                .doesNotContain("\n"));
        // details.csv opens each student's rows with the same status and reason
        for (CSVRecord r : batch.scores.values()) {
            assertThat(batch.details).filteredOn(d -> d.get("student").equals(r.get("student"))
                    && d.get("kind").equals("submission")).singleElement().satisfies(d -> {
                        assertThat(d.get("status")).isEqualTo(r.get("status"));
                        assertThat(d.get("message")).isEqualTo(r.get("reason"));
                    });
        }
    }

    @Test
    void theCorrectSubmissionsGetFullMarksAsAFolderAndAsAZip() {
        for (String s : HostileBatch.CORRECT) {
            assertThat(batch.row(s).get("total")).isEqualTo(batch.possible.get("total"));
            assertThat(batch.row(s).get("percent")).isEqualTo("100.00");
            assertThat(batch.row(s).get("reason")).startsWith("all ").endsWith(" checks passed");
        }
    }

    @Test
    void aSubmissionStoppedInTheLastAssignmentKeepsThePointsOfTheOthers() {
        for (String s : List.of("exits", "slow-calls", "thread-bomb", "allocation", "spawns-process",
                "stdout-flood", "stops-threads-then-bomb", "direct-buffers", "big-stacks", "metaspace", "runtime-exec",
                "orphan-process", "fork-bomb")) {
            assertThat(batch.full(s, "seed-000")).as(s + " " + batch.row(s)).isTrue();
            assertThat(batch.full(s, "seed-004")).as(s).isTrue();
            assertThat(batch.points(s, "ops")).as(s).isLessThan(Double.parseDouble(batch.possible.get("ops")));
            assertThat(batch.row(s).get("reason")).as(s).endsWith("during ops");
            assertThat(batch.details(s, "ops", "")).as(s).isNotEmpty().allSatisfy(d -> assertThat(d.get("message"))
                    .startsWith("not finished: " + batch.row(s).get("status")));
        }
        assertThat(batch.row("exits").get("reason")).contains("System.exit(3)");
        assertThat(batch.row("slow-calls").get("reason")).startsWith("stopped at the 8 s time limit");
        assertThat(batch.row("thread-bomb").get("reason")).contains("threads");
        assertThat(batch.row("allocation").get("reason")).startsWith("ran out of memory (heap limit 64 MiB");
        assertThat(batch.row("spawns-process").get("reason")).startsWith("started a process");
        assertThat(batch.row("stdout-flood").get("reason")).startsWith("printed more than 256 KiB");
    }

    @Test
    void theGraderWatchesThreadsProcessesAndMemoryFromOutsideTheChild() {
        // no watchdog inside the child is left to stop it: the count comes from /proc, read by the grader
        assertThat(batch.row("stops-threads-then-bomb").get("reason")).as(batch.log)
                .matches("ran \\d+ threads, more than the 32 allowed beyond the JVM's own 24 during ops");
        for (String s : List.of("runtime-exec", "orphan-process", "fork-bomb", "spawns-process")) {
            assertThat(batch.row(s).get("reason")).as(s).startsWith("started a process");
        }
        assertThat(batch.row("direct-buffers").get("reason")).containsIgnoringCase("direct buffer memory");
        assertThat(batch.row("metaspace").get("reason")).contains("Metaspace");
        // 128 MiB stacks: refused by the address-space limit, or seen past the resident limit
        assertThat(batch.row("big-stacks").get("reason")).containsAnyOf("native thread", "MiB of memory");
    }

    @Test
    void nativeMemoryTakenThroughJniIsBoundedAndEndsAsMemory() {
        assumeTrue(batch.jniMissing.isEmpty(), () -> "the JNI case was not run: " + batch.jniMissing.orElseThrow());
        assertThat(batch.row("jni-native").get("reason")).as(batch.log)
                .matches("used \\d+ MiB of memory, more than the 268 MiB allowed \\(the 64 MiB heap and the JVM's "
                        + "other memory\\) during ops");
        assertThat(batch.full("jni-native", "seed-000")).isTrue();
    }

    @Test
    void theChildCannotSwitchOffItsDefencesNorReachTheJdksInternals() {
        for (String s : List.of("security-manager", "stops-threads", "jdk-internals")) {
            assertThat(batch.row(s).get("total")).as(s + ": " + batch.details.stream()
                    .filter(d -> d.get("student").equals(s) && !d.get("status").equals("passed"))
                    .map(d -> d.get("message")).toList()).isEqualTo(batch.possible.get("total"));
        }
        // code that names sun.misc.Unsafe loses that method's checks, and nothing else
        assertThat(batch.details("unsafe-by-name", "ops", "tanh › forward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("NoClassDefFoundError").contains("Unsafe"));
        assertThat(batch.full("unsafe-by-name", "seed-000")).isTrue();
        assertThat(batch.full("unsafe-by-name", "seed-004")).isTrue();
        assertThat(batch.full("unsafe-by-name", "ops")).isFalse();
    }

    @Test
    void wreckingTheHarnessByReflectionLosesWhatWasNotSentAndGainsNothing() {
        assertThat(batch.full("harness-reflection", "seed-000")).isTrue();
        assertThat(batch.full("harness-reflection", "seed-004")).isTrue();
        assertThat(batch.points("harness-reflection", "ops")).isZero();
    }

    @Test
    void faultsInsideOneMethodAreCheckResultsAndTheRestScores() {
        assertThat(batch.details("deep-recursion", "ops", "tanh › backward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("overflowed the stack"));
        assertThat(batch.details("static-init-throws", "ops", "softmax › forward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("static initialiser of Softmax"));
        assertThat(batch.details("nan-inf", "ops", "sigmoid › forward")).singleElement()
                .satisfies(d -> assertThat(d.get("status")).isEqualTo("failed"));
        assertThat(batch.details("nan-inf", "ops", "sigmoid › forward").get(0).get("actual")).isEqualTo("NaN");
        assertThat(batch.details("wrong-shape", "seed-000", "a1")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).contains("transposed?"));
        assertThat(batch.details("null-returns", "ops", "tanh › backward")).singleElement()
                .satisfies(d -> assertThat(d.get("message")).isEqualTo("Tanh.backward returned null"));
        for (String s : List.of("deep-recursion", "static-init-throws", "nan-inf", "null-returns")) {
            assertThat(batch.full(s, "seed-000")).as(s).isTrue();
            assertThat(batch.full(s, "ops")).as(s).isFalse();
        }
    }

    @Test
    void aMethodThatNeverReturnsCostsOnlyItsOwnChecksAndIsNamedWithItsLine() {
        List<CSVRecord> sigmoid = batch.details("infinite-loop", "ops", "sigmoid › ");
        assertThat(sigmoid).isNotEmpty().allSatisfy(d -> assertThat(d.get("points")).isEqualTo("0"));
        assertThat(sigmoid.get(0).get("message"))
                .matches("Sigmoid.forward did not return within 2 s; it was at Sigmoid.java:1[34] \\(Sigmoid.forward\\).*");
        assertThat(batch.details("infinite-loop", "ops", "")).filteredOn(d -> !d.get("check").startsWith("sigmoid › "))
                .allSatisfy(d -> assertThat(d.get("status")).as(d.get("check")).isEqualTo("passed"));
        assertThat(batch.full("infinite-loop", "seed-000")).isTrue();
        assertThat(batch.full("infinite-loop", "seed-004")).isTrue();
    }

    @Test
    void forgedResultsChangeNothing() {
        assertThat(batch.full("forged-result", "seed-000")).isFalse();
        assertThat(batch.details("forged-result", "seed-000", "h")).singleElement()
                .satisfies(d -> assertThat(d.get("status")).isEqualTo("failed"));
        assertThat(batch.row("forged-then-halt").get("total")).isEqualTo("0");
        assertThat(batch.row("forged-then-halt").get("reason")).contains("without a valid result").contains("seed-000");
    }

    @Test
    void aMissingClassAndACompileErrorAreNamed() {
        assertThat(batch.row("missing-class").get("reason")).contains("homework.Softmax");
        assertThat(batch.full("missing-class", "seed-000")).isTrue();
        assertThat(batch.row("compile-error").get("reason")).startsWith("does not compile: Relu.java:");
        assertThat(batch.details).filteredOn(d -> d.get("student").equals("compile-error")
                && d.get("kind").equals("compiler")).isNotEmpty()
                .allSatisfy(d -> assertThat(d.get("message")).startsWith("Relu.java:"));
        assertThat(batch.row("compile-error").get("total")).isEqualTo("0");
        // a submission that never ran has its submission row and its compiler rows, and no row per check
        assertThat(batch.details).filteredOn(d -> d.get("student").equals("compile-error"))
                .extracting(d -> d.get("kind")).first().isEqualTo("submission");
        assertThat(batch.details).filteredOn(d -> d.get("student").equals("compile-error"))
                .extracting(d -> d.get("kind")).containsOnly("submission", "compiler");
    }

    @Test
    void theSandboxKeepsTheGradersFilesTheHostsTemporaryFoldersAndTheNetworkOutOfReach() {
        assertIsolation(batch);
    }

    /** What a mechanism that isolates must hide, and what a plain child must at least say. */
    static void assertIsolation(HostileBatch b) {
        if (!b.isolated()) {
            assertThat(b.log).contains("NO SANDBOX");
            return;
        }
        for (String s : List.of("writes-outside", "network", "reads-outside", "grader-files", "proc-snoop",
                "host-tmp")) {
            if (b.scores.containsKey(s)) {
                assertThat(b.row(s).get("total")).as(s + ": " + b.details.stream()
                        .filter(d -> d.get("student").equals(s) && !d.get("status").equals("passed"))
                        .map(d -> d.get("message")).toList()).isEqualTo(b.possible.get("total"));
            }
        }
        assertThat(b.outside.resolve("pwned.txt")).doesNotExist();
        assertThat(b.connections.get()).isZero();
        assertThat(b.hostTemporaryFiles()).isEmpty();
    }

    @Test
    void theProvenanceRecordsTheRun() throws IOException {
        String p = Files.readString(batch.summary.provenance(), StandardCharsets.UTF_8);
        assertThat(p).contains("\"mechanism\" : \"" + batch.mechanism().word() + "\"").contains("\"sha256\"")
                .contains(System.getProperty("java.runtime.version")).contains("\"seed-004\"")
                .contains("memory 268 MiB resident");
        if (batch.mechanism() != Sandbox.Mechanism.PLAIN) {
            assertThat(p).contains("java.base alone");
        }
    }
}
