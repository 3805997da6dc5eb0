package backprop.grader.junit;

import backprop.grader.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the time of the public checks goes, part by part (reading the assignments, reading the expected values,
 * each assignment's grading, writing the summary), for {@code grader bench --only student}. Written only when
 * {@code -D}{@value #PROPERTY}{@code =FILE} asks for it: a student's run keeps its {@code target/} as it was.
 */
final class Timings {
    /** System property naming the file the parts' times go to, as {@code part<TAB>milliseconds} lines. */
    static final String PROPERTY = "backprop.timings";

    private final Map<String, Double> millis = new LinkedHashMap<>();

    /** Runs {@code part}, adding its wall time to {@code name}'s. */
    <T> T time(String name, Supplier<T> part) {
        long start = System.nanoTime();
        try {
            return part.get();
        } finally {
            millis.merge(name, (System.nanoTime() - start) / 1e6, Double::sum);
        }
    }

    /** Writes the parts' times to the file {@code -Dbackprop.timings} names, if it names one. */
    void writeIfAsked() {
        String file = System.getProperty(PROPERTY, "");
        if (file.isBlank()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        millis.forEach((k, v) -> text.append(k).append('\t').append(String.format(Locale.ROOT, "%.3f", v))
                .append('\n'));
        try {
            AtomicFiles.write(Path.of(file), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("could not write " + file + ": " + e.getMessage());
        }
    }
}
