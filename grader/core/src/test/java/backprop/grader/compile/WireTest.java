package backprop.grader.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What travels between grader and compile process survives the trip, and nonsense is refused, never trusted. */
class WireTest {
    private static final Javac.Result RESULT = new Javac.Result(Javac.Status.ERRORS, "",
            List.of(new Javac.Error("Relu.java", 13, "';' expected")), 3, Map.of("homework.Relu", new byte[] {1, 2}));

    @Test
    void requestsAndAnswersMakeTheRoundTrip() throws IOException {
        SourceFiles s = SourceFiles.of(List.of(new SourceFiles.Source("homework/Relu.java",
                "class Relu {}".getBytes(StandardCharsets.UTF_8))));
        Wire.Request q = Wire.readRequest(Wire.request(7, s));
        assertThat(q.id()).isEqualTo(7);
        assertThat(q.sources().files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("homework/Relu.java");
            assertThat(f.bytes()).isEqualTo(s.files().get(0).bytes());
        });
        Javac.Result r = Wire.readAnswer(Wire.answer(7, RESULT), 7);
        assertThat(r.status()).isEqualTo(Javac.Status.ERRORS);
        assertThat(r.errors()).containsExactly(RESULT.errors().get(0));
        assertThat(r.errorCount()).isEqualTo(3);
        assertThat(r.classes().get("homework.Relu")).containsExactly(1, 2);
    }

    @Test
    void anAnswerToAnotherRequestATruncatedOneAndAnAbsurdCountAreRefused() {
        byte[] answer = Wire.answer(7, RESULT);
        assertThatThrownBy(() -> Wire.readAnswer(answer, 8)).isInstanceOf(IOException.class)
                .hasMessageContaining("request 7 where 8");
        assertThatThrownBy(() -> Wire.readAnswer(Arrays.copyOf(answer, answer.length - 1), 7))
                .isInstanceOf(IOException.class);
        byte[] absurd = answer.clone();
        // the number of errors listed: after the type, the id, the status, the (empty) detail and the total
        ByteBuffer.wrap(absurd).putInt(1 + 4 + 1 + 4 + 4, Integer.MAX_VALUE);
        assertThatThrownBy(() -> Wire.readAnswer(absurd, 7)).isInstanceOf(IOException.class)
                .hasMessageContaining("a count of");
        assertThatThrownBy(() -> Wire.readAnswer(Wire.hello(), 7)).isInstanceOf(IOException.class)
                .hasMessageContaining("type 1");
    }
}
