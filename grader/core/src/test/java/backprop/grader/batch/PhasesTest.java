package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that times its phases names each where it happened, as often as it happened: once per run, once per
 * submission, once per assignment a child finished and the grader judged. Times are only printed by the bench.
 */
class PhasesTest {
    @TempDir
    Path tmp;

    @Test
    void everyPhaseIsCountedWhereItHappens() throws Exception {
        Path subs = Files.createDirectories(tmp.resolve("class"));
        HostileBatch.copyReference(subs.resolve("alice/homework"));
        HostileBatch.copyReference(subs.resolve("bob/homework"));
        Files.writeString(Files.createDirectories(subs.resolve("carol/homework")).resolve("Broken.java"),
                "class Broken {");
        Phases phases = Phases.recording();
        List<Path> assignments = Stream.of("seed-000", "ops")
                .map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList();
        BatchGrader.Summary s = BatchGrader.run(new BatchGrader.Options(subs, tmp.resolve("out"), assignments,
                Optional.empty(), 2, HostileBatch.LIMITS.withWall(Duration.ofSeconds(20)), Duration.ofSeconds(60),
                false, HostileBatch.choice()), TestFiles.reference(), TestFiles.referenceSources(), "test",
                new PrintWriter(new StringWriter()), phases);
        assertThat(s.gradedNow()).isEqualTo(3);
        Map<String, Phases.Total> t = phases.totals();
        assertThat(t.get("sources read and compiled").count()).isEqualTo(3);
        assertThat(t.get("result saved").count()).isEqualTo(3);
        assertThat(t.get("work folder deleted").count()).isEqualTo(3);
        // carol does not compile: no child, no judging
        assertThat(t.get("waiting for a sandbox slot").count()).isEqualTo(2);
        assertThat(t.get(Phases.CHILD + "start to hello (JVM, harness, job read)").count()).isEqualTo(2);
        assertThat(t.get(Phases.CHILD + "seed-000").count()).isEqualTo(2);
        assertThat(t.get(Phases.CHILD + "ops").count()).isEqualTo(2);
        assertThat(t.get(Phases.CHILD + "last frame to exit").count()).isEqualTo(2);
        assertThat(t.get("judged: seed-000").count()).isEqualTo(2);
        assertThat(t.get("judged: ops").count()).isEqualTo(2);
        assertThat(t.keySet().stream().filter(k -> k.startsWith(Phases.RUN))).containsExactlyInAnyOrder(
                Phases.RUN + "assignments read, the reference's own evaluation",
                Phases.RUN + "harness jar written, sandbox probed", Phases.RUN + "sources hashed (every submission)",
                Phases.RUN + "compile processes started (waited for)", Phases.RUN + "reports written");
        t.forEach((k, v) -> assertThat(v.nanos()).as(k).isNotNegative());
    }

    @Test
    void offRecordsNothing() {
        assertThat(Phases.OFF.start()).isZero();
        Phases.OFF.end("anything", 0);
        assertThat(Phases.OFF.totals()).isEmpty();
    }
}
