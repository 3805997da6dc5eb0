package backprop.grader.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The per-call time limit on its own, with stand-ins for a submission's methods. */
class CallGuardTest {
    private static final Duration LIMIT = Duration.ofMillis(200);

    private static Components submission() {
        return new Components("test", CallGuardTest.class.getClassLoader()).withCallLimit(LIMIT);
    }

    /** A body that never returns unless interrupted. */
    private static <T> T forever() {
        while (!Thread.currentThread().isInterrupted()) {
            Thread.onSpinWait();
        }
        throw new IllegalStateException("interrupted");
    }

    private static String text(CallGuard.Done<?> d) {
        return d.thrown() == null ? "returned " + d.value() : d.thrown().getMessage();
    }

    @Test
    void aCallPastItsLimitIsReportedAndNeverMadeAgain() {
        Components c = submission();
        CallGuard.Done<Object> d = CallGuard.run(c, "Relu.forward", CallGuardTest::forever);
        assertThat(d.thrown()).isInstanceOf(StudentFault.class);
        assertThat(text(d)).startsWith("Relu.forward did not return within 0.2 s; it was ");
        AtomicInteger calls = new AtomicInteger();
        CallGuard.Done<Integer> again = CallGuard.run(c, "Relu.forward", calls::incrementAndGet);
        assertThat(text(again)).startsWith("skipped: Relu.forward hung earlier (it was ");
        assertThat(calls).hasValue(0);
        // another method of the same submission, and the same method of another, are called as usual
        assertThat(text(CallGuard.run(c, "Relu.backward", () -> 1))).isEqualTo("returned 1");
        assertThat(text(CallGuard.run(submission(), "Relu.forward", () -> 2))).isEqualTo("returned 2");
    }

    @Test
    void aUnitRunsAgainAfterAHangAndKeepsWhatCameBeforeIt() {
        Components c = submission();
        AtomicInteger runs = new AtomicInteger();
        List<String> seen = CallGuard.supervise(() -> {
            runs.incrementAndGet();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int k = i;
                Supplier<String> body = k == 2 ? CallGuardTest::forever : () -> "ok " + k;
                out.add(text(CallGuard.run(c, "Tanh.forward", body)));
            }
            out.add(text(CallGuard.run(c, "Tanh.backward", () -> "ok")));
            return out;
        });
        assertThat(runs).hasValue(2);
        assertThat(seen.subList(0, 2)).containsExactly("returned ok 0", "returned ok 1");
        assertThat(seen.get(2)).startsWith("Tanh.forward did not return within 0.2 s");
        assertThat(seen.subList(3, 5)).allSatisfy(s -> assertThat(s).startsWith("skipped: Tanh.forward hung earlier"));
        assertThat(seen.get(5)).isEqualTo("returned ok");
        // a later unit never calls it again
        assertThat(CallGuard.supervise(() -> text(CallGuard.run(c, "Tanh.forward", () -> "ok"))))
                .startsWith("skipped: Tanh.forward hung earlier");
    }

    @Test
    void aHangInsideACallNamesTheInnerMethod() {
        Components c = submission();
        CallGuard.Done<String> d = CallGuard.run(c, "Backprop.backward", () -> {
            CallGuard.run(c, "Relu.backward", () -> "fine");
            return String.valueOf(CallGuard.run(c, "Sum.backward", CallGuardTest::forever).value());
        });
        assertThat(text(d)).startsWith("Sum.backward did not return within 0.2 s");
        assertThat(text(CallGuard.run(c, "Backprop.backward", () -> "called"))).isEqualTo("returned called");
        assertThat(text(CallGuard.run(c, "Sum.backward", () -> "called"))).startsWith("skipped: Sum.backward hung");
    }

    @Test
    void aSlowCallIsWokenAndItsRunIsAbandonedWithoutATrace() throws InterruptedException {
        Components c = submission();
        AtomicInteger afterwards = new AtomicInteger();
        String first = CallGuard.supervise(() -> {
            String s = text(CallGuard.run(c, "Tanh.forward", () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "woke";
            }));
            // the abandoned run carries on once woken; its calls must not reach the submission
            CallGuard.run(c, "Tanh.backward", afterwards::incrementAndGet);
            return s;
        });
        assertThat(first).startsWith("Tanh.forward did not return within 0.2 s; it was outside the submission's classes, in "
                + "java.lang.Thread.sleep");
        Thread.sleep(100);
        assertThat(afterwards).as("calls of the rerun only").hasValue(1);
    }

    @Test
    @SuppressWarnings("removal")
    void stoppingTheWatcherAndTheIdleWorkersFromTheSubmissionsCodeWinsNothing() {
        Components c = submission().withCallLimit(Duration.ofSeconds(10));
        CallWorker.Worker one = CallWorker.acquire();
        CallWorker.Worker two = CallWorker.acquire();
        one.release();
        two.release(); // two idle workers: the call takes one, the other waits in the pool
        Thread watcher = Thread.currentThread();
        AtomicInteger stopped = new AtomicInteger();
        CallGuard.Done<String> d = CallGuard.run(c, "Softmax.forward", () -> {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t != Thread.currentThread() && (t == watcher || t instanceof CallWorker.Worker)) {
                    try {
                        t.stop();
                        stopped.incrementAndGet();
                    } catch (UnsupportedOperationException e) {
                        // Java 20 and later: no thread can be stopped, which is the defence itself
                    }
                }
            }
            try {
                Thread.sleep(200); // the watcher takes its ThreadDeath while it waits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        });
        assertThat(text(d)).isEqualTo("returned done");
        assertThat(Thread.interrupted()).isFalse();
        if (Runtime.version().feature() < 20) {
            assertThat(stopped.get()).as("the watcher and at least one idle worker were stopped").isGreaterThan(1);
        }
        // the pool hands out live workers only, so the next calls are answered, not reported as hung
        for (int i = 0; i < 3; i++) {
            assertThat(text(CallGuard.run(c, "Relu.forward", () -> "again"))).isEqualTo("returned again");
        }
    }

    @Test
    void noLimitRunsOnTheCallersThread() {
        Components c = submission().withCallLimit(Duration.ZERO);
        Thread me = Thread.currentThread();
        assertThat(text(CallGuard.run(c, "Relu.forward", () -> Thread.currentThread() == me))).isEqualTo("returned true");
        assertThat(text(CallGuard.run(submission(), "Relu.forward", () -> Thread.currentThread() == me)))
                .isEqualTo("returned false");
    }

    @Test
    void whatAUnitThrowsReachesItsCallerAndTheCallersInterruptIsKept() {
        assertThatThrownBy(() -> CallGuard.supervise(() -> {
            throw new IllegalArgumentException("a bug in the grader");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("a bug in the grader");
        Thread.currentThread().interrupt();
        try {
            assertThat(CallGuard.supervise(() -> "done")).isEqualTo("done");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theLimitReadsAsSecondsAndABadOneSaysWhatIsExpected() {
        assertThat(CallGuard.parse(null)).isEqualTo(CallGuard.DEFAULT);
        assertThat(CallGuard.parse(" 2.5 ")).isEqualTo(Duration.ofMillis(2500));
        assertThat(CallGuard.parse("0")).isEqualTo(Duration.ZERO);
        for (String bad : List.of("five", "-1", "NaN", "1e9")) {
            assertThatThrownBy(() -> CallGuard.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dbackprop.callTimeout=" + bad).hasMessageContaining("seconds");
        }
        assertThat(CallGuard.describe(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(CallGuard.describe(Duration.ofMillis(250))).isEqualTo("0.25 s");
    }

    @Test
    void whereNamesTheSubmissionsFramesTopFirst() {
        StackTraceElement[] stack = {
            new StackTraceElement("java.lang.Thread", "sleep", null, -2),
            new StackTraceElement("homework.Tanh$$Lambda$12/0x1", "apply", null, -1),
            new StackTraceElement("homework.Tanh", "crawl", "Tanh.java", 30),
            new StackTraceElement("homework.Tanh", "<init>", "Tanh.java", 9),
            new StackTraceElement("homework.Tanh", "<clinit>", "Tanh.java", 5),
            new StackTraceElement("homework.Tanh", "forward", "Tanh.java", 13),
            new StackTraceElement("backprop.grader.submission.OpCall", "forward", "OpCall.java", 30),
        };
        Stuck w = Stuck.at(stack);
        assertThat(w.text()).isEqualTo("in java.lang.Thread.sleep, called from Tanh.java:30 (Tanh.crawl), called "
                + "from Tanh.java:9 (new Tanh()), called from Tanh.java:5 (static initialiser of Tanh)");
        assertThat(w.first()).isEqualTo("at Tanh.java:30 (Tanh.crawl)");
        Stuck none = Stuck.at(new StackTraceElement[] {stack[0], stack[6]});
        assertThat(none.text()).isEqualTo("outside the submission's classes, in java.lang.Thread.sleep");
    }
}
