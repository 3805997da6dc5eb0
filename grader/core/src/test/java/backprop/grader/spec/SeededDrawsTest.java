package backprop.grader.spec;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.api.Matrix;
import backprop.grader.TestFiles;
import backprop.grader.check.Variants;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The seeded draws are reproducible outside the grader: {@code assignments/provenance/java_random_golden.json}
 * holds draws as the grader makes them (this test keeps it true; {@code -Dgolden.write=true} rewrites it), and
 * {@code java_random.py --selftest} makes the same numbers in Python, bit for bit.
 */
class SeededDrawsTest {
    private static final Path PROVENANCE = TestFiles.root().resolve("assignments/provenance");
    private static final Path GOLDEN = PROVENANCE.resolve("java_random_golden.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each case as an assignment file writes it: normal and uniform draws, one-hot rows (a power of two too). */
    private static final List<String> SPECS = List.of(
            "{random: normal, seed: 7, mean: 1.0, std: 0.5, shape: [3, 2]}",
            "{random: normal, seed: 1, shape: [50, 40]}",
            "{random: normal, seed: 128, std: 0.05, shape: [4, 6]}",
            "{random: normal, seed: 0, shape: [1, 5]}",
            "{random: normal, seed: 281474976710655, shape: [2, 3]}",
            "{random: uniform, seed: 784, low: 0, high: 1, shape: [2, 5]}",
            "{random: uniform, seed: 3, low: -0.25, high: 0.25, shape: [3, 2]}",
            "{random: uniform, seed: 12, shape: [2, 2]}",
            "{one_hot: 10, shape: [16, 10]}",
            "{one_hot: 5, shape: [6, 7]}",
            "{one_hot: 9, shape: [5, 8]}");

    /** The draws through the reader, as a file gets them. */
    private static ObjectNode javaDraws() throws Exception {
        StringBuilder yaml = new StringBuilder("id: draws\ntitle: draws\ninputs:\n");
        for (int i = 0; i < SPECS.size(); i++) {
            yaml.append("  v").append(i).append(": ").append(SPECS.get(i)).append('\n');
        }
        yaml.append("graph:\n  - {node: y, op: identity, inputs: [v0]}\nupstream:\n  y: [[1, 1], [1, 1], [1, 1]]\n");
        Assignment a = AssignmentReader.read(Path.of("draws.yaml"), yaml.toString());
        ObjectNode root = JSON.createObjectNode();
        ArrayNode draws = root.putArray("draws");
        Yaml.MapNode inputs = (Yaml.MapNode) ((Yaml.MapNode) Yaml.parse(Path.of("d.yaml"), yaml.toString()))
                .fields().get("inputs");
        for (int i = 0; i < SPECS.size(); i++) {
            ObjectNode c = draws.addObject();
            c.set("spec", spec((Yaml.MapNode) inputs.fields().get("v" + i)));
            c.set("values", values(a.inputs().get("v" + i)));
        }
        ArrayNode variants = root.putArray("variants");
        for (String student : List.of("alice", "s0042")) {
            variants.add(variant(student));
        }
        return root;
    }

    /** A student's variant through {@link Variants}, on a graph without ReLU so that the first draw is kept. */
    private static ObjectNode variant(String student) throws Exception {
        Assignment a = AssignmentReader.read(Path.of("variant-demo.yaml"), String.join("\n", "id: variant-demo",
                "title: variants", "inputs:", "  x: [1, 2, 3]", "parameters:", "  W: [[1, 0, 0], [0, 1, 0]]",
                "graph:", "  - {node: y, op: linear, inputs: [x, W]}", "  - {node: h, op: tanh, inputs: [y]}",
                "upstream:", "  h: [1, 1]", "checkpoints:", "  - {forward: h, expected: reference}",
                "variants: {draw: [W, x], std: 0.5}", ""));
        Variants.Variant v = Variants.of(a, student, TestFiles.reference());
        ObjectNode c = JSON.createObjectNode();
        c.put("student", student).put("assignment", a.id()).put("seed", v.seed()).put("std", 0.5).put("attempt", 0);
        ArrayNode shapes = c.putArray("shapes");
        shapes.addArray().add("W").addArray().add(2).add(3);
        shapes.addArray().add("x").addArray().add(1).add(3);
        ObjectNode values = c.putObject("values");
        values.set("W", values(v.assignment().parameters().get("W")));
        values.set("x", values(v.assignment().inputs().get("x")));
        return c;
    }

    private static ObjectNode spec(Yaml.MapNode m) {
        ObjectNode s = JSON.createObjectNode();
        m.fields().forEach((k, n) -> {
            if (n instanceof Yaml.ListNode l) {
                ArrayNode a = s.putArray(k);
                l.items().forEach(i -> a.add(Long.parseLong(((Yaml.ScalarNode) i).text())));
            } else {
                Yaml.ScalarNode sc = (Yaml.ScalarNode) n;
                if (sc.kind() == Yaml.Scalar.NUMBER && sc.text().matches("-?[0-9]+")) {
                    s.put(k, Long.parseLong(sc.text()));
                } else if (sc.kind() == Yaml.Scalar.NUMBER) {
                    s.put(k, sc.number());
                } else {
                    s.put(k, sc.text());
                }
            }
        });
        return s;
    }

    private static ArrayNode values(Matrix m) {
        ArrayNode rows = JSON.createArrayNode();
        for (double[] r : m.toArray()) {
            ArrayNode row = rows.addArray();
            for (double v : r) {
                row.add(v);
            }
        }
        return rows;
    }

    @Test
    void theGoldenDrawsAreTheGradersOwn() throws Exception {
        ObjectNode java = javaDraws();
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(GOLDEN, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(java) + "\n",
                    StandardCharsets.UTF_8);
        }
        JsonNode golden = JSON.readTree(GOLDEN.toFile());
        assertThat(JSON.writeValueAsString(golden)).isEqualTo(JSON.writeValueAsString(java));
    }

    @Test
    void thePythonScriptMakesTheSameNumbers() throws Exception {
        List<String> python = new ArrayList<>(List.of("python3", "java_random.py", "--selftest"));
        Process p;
        try {
            p = new ProcessBuilder(python).directory(PROVENANCE.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("python3 is not on the PATH, so java_random.py is not checked here: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("13 cases, 0 differ from Java");
    }
}
