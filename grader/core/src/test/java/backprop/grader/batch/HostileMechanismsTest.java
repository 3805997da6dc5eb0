package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import backprop.grader.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile submissions that test the sandbox itself, graded under each weaker mechanism, named as a user
 * names it: under {@code uid} the same isolation as bubblewrap; under every mechanism, {@code none} included,
 * the limits on threads, processes and memory that the grader watches from outside. (The whole hostile class
 * runs under the strongest mechanism in {@link HostileClassTest}.)
 */
class HostileMechanismsTest {
    /** The isolation cases and the limits, for the uid mechanism. */
    static final List<String> UID_CASES = List.of("stops-threads-then-bomb", "runtime-exec", "orphan-process",
            "fork-bomb", "big-stacks", "jni-native", "reads-outside", "grader-files", "writes-outside", "host-tmp",
            "proc-snoop", "network");
    /** The limits alone, for a plain child. */
    static final List<String> PLAIN_CASES = List.of("stops-threads-then-bomb", "runtime-exec", "orphan-process",
            "jni-native", "host-tmp");

    @ParameterizedTest
    @EnumSource(value = Sandbox.Choice.class, names = {"UID", "NONE"})
    void theLimitsHoldAndTheIsolationAsPromised(Sandbox.Choice choice, @TempDir Path tmp) throws Exception {
        if (choice == Sandbox.Choice.UID) {
            Optional<String> missing = uidMissing();
            assumeTrue(missing.isEmpty(), () -> "uid not tested: " + missing.orElseThrow());
        }
        List<String> cases = choice == Sandbox.Choice.UID ? UID_CASES : PLAIN_CASES;
        try (HostileBatch b = HostileBatch.grade(tmp, choice, cases::contains)) {
            assertThat(b.mechanism()).isEqualTo(choice == Sandbox.Choice.UID ? Sandbox.Mechanism.UID
                    : Sandbox.Mechanism.PLAIN);
            for (String s : HostileBatch.CORRECT) {
                assertThat(b.row(s).get("total")).as(s).isEqualTo(b.possible.get("total"));
            }
            for (String c : cases) {
                if (c.equals("jni-native") && b.jniMissing.isPresent()) {
                    continue;
                }
                assertThat(b.row(c).get("status")).as(c + ": " + b.row(c).get("reason"))
                        .isEqualTo(HostileClassTest.STATUS.get(c));
            }
            assertThat(b.row("stops-threads-then-bomb").get("reason")).startsWith("ran ");
            assertThat(b.row("orphan-process").get("reason")).startsWith("started a process");
            b.jniMissing.ifPresentOrElse(why -> System.out.println("the JNI case was not run: " + why),
                    () -> assertThat(b.row("jni-native").get("reason")).startsWith("used "));
            HostileClassTest.assertIsolation(b);
            if (choice == Sandbox.Choice.NONE) {
                // a plain child is not isolated, and the files it writes land on the host: said loudly
                assertThat(b.log).contains("WARNING: NO SANDBOX");
            }
        }
    }

    static Optional<String> uidMissing() {
        if (!Files.isExecutable(Path.of("/usr/bin/unshare")) || !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            return Optional.of("unshare or setpriv is not installed");
        }
        return "root".equals(System.getProperty("user.name")) ? Optional.empty()
                : Optional.of("the uid mechanism needs root");
    }
}
