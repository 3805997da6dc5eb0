package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line reads as what it is: work left while running, and a plain "done" with the statuses at the end. */
class ProgressTest {
    @Test
    void theLastLineSaysDoneAndHowEverySubmissionEnded() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), 5, 1);
        p.finished("alice", "graded", 272, 272, 1.0);
        p.finished("dave", "compile-error", 0, 272, 0.2);
        p.failed("frank", "java.io.IOException: disk full");
        p.finished("erin", "timeout", 49, 272, 10.0);
        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("[2/5] alice").contains("272/272").endsWith(" left")
                .doesNotContain("so far");
        assertThat(lines.get(1)).startsWith("[3/5] dave").contains("so far 1 compile-error · about ");
        assertThat(lines.get(2)).startsWith("[4/5] frank: the GRADER failed on it");
        assertThat(lines.get(3)).startsWith("[5/5] erin")
                .endsWith("done: 1 graded, 1 compile-error, 1 timeout; the grader failed on 1")
                .doesNotContain("not graded").doesNotContain("left");
    }

    @Test
    void aRunWhoseLastSubmissionTheGraderFailedOnStillSaysDone() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), 2, 0);
        p.finished("alice", "graded", 272, 272, 1.0);
        p.failed("bob", "boom");
        assertThat(text.toString().lines().toList().get(1)).endsWith("done: 1 graded; the grader failed on 1");
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(Progress.duration(42.4)).isEqualTo("42 s");
        assertThat(Progress.duration(125)).isEqualTo("2 min 5 s");
        assertThat(Progress.duration(7260)).isEqualTo("2 h 1 min");
    }
}
