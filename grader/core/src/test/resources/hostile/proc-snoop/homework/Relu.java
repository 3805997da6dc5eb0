package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Hostile: reads {@code /proc/1/environ} and the environment and command line of every process it can see,
 * looking for the grader's: a variable the child was not given, or a command line of the build that runs the
 * grader. When it finds one, forward throws and names it. A correct ReLU otherwise.
 */
public final class Relu implements Activation {
    static final Set<String> MINE = Set.of("PATH", "HOME", "LANG", "TMPDIR", "MALLOC_ARENA_MAX", "PWD");

    public Relu() {}

    static List<String> found() {
        List<String> got = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    for (String v : read(p.resolve("environ")).split("\0")) {
                        int eq = v.indexOf('=');
                        if (eq > 0 && !MINE.contains(v.substring(0, eq))) {
                            got.add(p + "/environ: " + v.substring(0, eq));
                        }
                    }
                } catch (IOException e) {
                    // not readable: good
                }
                try {
                    String cmd = read(p.resolve("cmdline"));
                    if (cmd.contains("surefire") || cmd.contains("maven") || cmd.contains("HostileClassTest")
                            || cmd.contains("junit")) {
                        got.add(p + "/cmdline");
                    }
                } catch (IOException e) {
                    // not readable: good
                }
            }
        } catch (IOException e) {
            // no /proc at all: good
        }
        return got;
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    @Override
    public Matrix forward(Matrix z) {
        List<String> got = found();
        if (!got.isEmpty()) {
            throw new IllegalStateException("found " + got);
        }
        return z.map(v -> Math.max(0.0, v));
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh.zip(z, (g, v) -> v > 0 ? g : 0.0);
    }
}
