package backprop.grader.check;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.bench.Catalogue;
import backprop.grader.bench.DiagnosisBench;
import backprop.grader.cli.Main;
import backprop.grader.files.FileTrees;
import backprop.grader.junit.PublicChecks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine, one text: the same buggy code gets the same "where" and the same likely cause in the four places
 * people read them — the student's own {@code mvn test} (the JUnit checks, run without the reference on the public
 * files with their hidden checkpoints removed), {@code grader check}, a batch {@code grade} into
 * {@code details.csv}, and Gradescope's {@code results.json}.
 */
class ChannelsTest {
    /** One of each kind of fault: an op's backward, the sum at a fan-out, the order, a step, a target, a shape, a kink. */
    private static final List<String> FIXTURES = List.of("sigmoid-derivative-as-sigmoid", "fan-out-overwrite",
            "reverse-pass-breadth-first", "sgd-momentum-ignored", "loss-target-gradient-missing",
            "affine-dx-times-w-transposed", "relu-derivative-two-at-zero");
    private static final List<String> ASSIGNMENTS = List.of("seed-000", "seed-001", "seed-002a", "seed-002e",
            "seed-003a", "net-gated-skip", "net-momentum", "net-softmax-cross-entropy");

    /** What one channel shows for one check. */
    private record Words(Optional<String> where, Optional<String> cause) {}

    @Test
    void everyChannelSaysTheSameForTheSameCode(@TempDir Path tmp) throws Exception {
        Path graded = Files.createDirectories(tmp.resolve("assignments"));
        Path student = Files.createDirectories(tmp.resolve("student-assignments"));
        for (String id : ASSIGNMENTS) {
            Path file = TestFiles.publicAssignments().resolve(id + ".yaml");
            Files.copy(file, graded.resolve(id + ".yaml"));
            Files.writeString(student.resolve(id + ".yaml"), withoutHiddenCheckpoints(Files.readString(file)));
        }
        // as an exported repository has them: the reference's values for the checks the files do not hold
        List<backprop.grader.spec.Assignment> shown = backprop.grader.spec.AssignmentSet.load(List.of(student))
                .assignments();
        backprop.grader.junit.ExpectedValues.compute(shown, TestFiles.reference())
                .write(student.resolve(backprop.grader.junit.ExpectedValues.FILE));
        Path work = tmp.resolve("work");
        Path klass = Files.createDirectories(tmp.resolve("class"));
        Map<String, Path> classes = new LinkedHashMap<>();
        for (Catalogue.Entry e : Catalogue.read(TestFiles.root().resolve(Catalogue.FILE))) {
            if (FIXTURES.contains(e.name())) {
                Catalogue.build(TestFiles.root(), e, work);
                classes.put(e.name(), work.resolve(e.name()).resolve("classes"));
                FileTrees.copy(work.resolve(e.name()).resolve("src"), klass.resolve(e.name()));
            }
        }
        assertThat(classes).hasSameSizeAs(FIXTURES);

        Map<String, Words> details = details(klass, graded, tmp.resolve("reports"));
        int compared = 0;
        for (String fixture : FIXTURES) {
            Map<String, Words> check = check(klass.resolve(fixture), graded);
            Map<String, Words> gradescope = gradescope(klass.resolve(fixture), graded, tmp.resolve(fixture + ".json"));
            Map<String, Words> junit = junit(classes.get(fixture), student, tmp.resolve(fixture + ".md"));
            assertThat(check).as(fixture + ": grader check shows no where or likely cause").isNotEmpty();
            assertThat(junit).as(fixture + ": the student's mvn test shows no where or likely cause").isNotEmpty();
            for (Map.Entry<String, Words> c : check.entrySet()) {
                String key = c.getKey();
                assertThat(details.get(fixture + " " + key)).as(fixture + " " + key + " in details.csv")
                        .isEqualTo(c.getValue());
                if (gradescope.containsKey(key)) {
                    assertThat(gradescope.get(key)).as(fixture + " " + key + " in results.json").isEqualTo(c.getValue());
                }
                if (junit.containsKey(key)) {
                    assertThat(junit.get(key)).as(fixture + " " + key + " in the student's mvn test")
                            .isEqualTo(c.getValue());
                    compared++;
                }
            }
            assertThat(junit.keySet()).as(fixture + ": every check the student sees explained is explained when "
                    + "graded").isSubsetOf(check.keySet());
        }
        assertThat(compared).as("checks compared across all four channels").isGreaterThan(3 * FIXTURES.size());
    }

    /** A public file as a student's copy has it: every checkpoint marked hidden left out. */
    static String withoutHiddenCheckpoints(String yaml) {
        List<String> out = new ArrayList<>();
        List<String> block = new ArrayList<>();
        boolean inCheckpoints = false;
        for (String line : yaml.split("\n", -1)) {
            if (line.startsWith("checkpoints:")) {
                inCheckpoints = true;
                out.add(line);
                continue;
            }
            boolean starts = inCheckpoints && line.startsWith("  - ");
            boolean ends = inCheckpoints && !line.isEmpty() && !line.startsWith(" ");
            if (starts || ends) {
                flush(block, out);
                inCheckpoints = !ends;
            }
            (inCheckpoints ? block : out).add(line);
        }
        flush(block, out);
        return String.join("\n", out);
    }

    private static void flush(List<String> block, List<String> out) {
        if (block.stream().noneMatch(l -> l.trim().equals("visibility: hidden"))) {
            out.addAll(block);
        }
        block.clear();
    }

    /** {@code grader check}: the console table, where "where:" and "likely cause:" lines follow their check. */
    private static Map<String, Words> check(Path submission, Path assignments) {
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "check", "--submission",
                submission.toString(), "--assignments", assignments.toString());
        Pattern header = Pattern.compile("^(\\S+) — .* \\d+(?:\\.\\d+)? / \\d+(?:\\.\\d+)? points$");
        Pattern row = Pattern.compile("^  (\\S+)\\s+(.*?)\\s+\\d+(?:\\.\\d+)?/\\d+(?:\\.\\d+)?(?:\\s.*)?$");
        Map<String, Words> found = new LinkedHashMap<>();
        String assignment = "";
        String key = null;
        Optional<String> where = Optional.empty();
        Optional<String> cause = Optional.empty();
        for (String line : out.toString().split("\n")) {
            Matcher h = header.matcher(line);
            Matcher r = row.matcher(line);
            String text = line.strip();
            if (text.startsWith("where: ")) {
                where = Optional.of(text.substring("where: ".length()));
            } else if (text.startsWith("likely cause: ")) {
                cause = Optional.of(text.substring("likely cause: ".length()));
            } else if (h.matches() || r.matches() || text.startsWith("Total:")) {
                put(found, key, where, cause);
                where = Optional.empty();
                cause = Optional.empty();
                key = null;
                if (h.matches()) {
                    assignment = h.group(1);
                } else if (r.matches() && (r.group(1).equals("failed") || r.group(1).equals("error"))) {
                    key = assignment + " › " + r.group(2).replace("[hidden]", "").strip();
                }
            }
        }
        return found;
    }

    private static void put(Map<String, Words> found, String key, Optional<String> where, Optional<String> cause) {
        if (key != null && (where.isPresent() || cause.isPresent())) {
            found.put(key, new Words(where, cause));
        }
    }

    /** A batch {@code grade}: {@code details.csv}, whose message holds "; where: …; likely cause: …; hint: …". */
    private static Map<String, Words> details(Path klass, Path assignments, Path out) throws Exception {
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                "grade", "--submissions", klass.toString(), "--out", out.toString(), "--assignments",
                assignments.toString());
        assertThat(code).isZero();
        Map<String, Words> found = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(out.resolve("details.csv"), StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().get().parse(r)) {
                String status = rec.get("status");
                if (!status.equals("failed") && !status.equals("error")) {
                    continue;
                }
                String m = rec.get("message");
                Optional<String> where = between(m, "; where: ", "; likely cause: ", "; hint: ");
                Optional<String> cause = between(m, "; likely cause: ", "; hint: ");
                put(found, rec.get("student") + " " + rec.get("assignment") + " › " + rec.get("check"), where, cause);
            }
        }
        return found;
    }

    private static Optional<String> between(String text, String start, String... ends) {
        int at = text.indexOf(start);
        if (at < 0) {
            return Optional.empty();
        }
        int from = at + start.length();
        int to = text.length();
        for (String end : ends) {
            int e = text.indexOf(end, from);
            if (e >= 0) {
                to = Math.min(to, e);
            }
        }
        return Optional.of(text.substring(from, to));
    }

    /** {@code grader gradescope}: each test's output is the student's failure text. */
    private static Map<String, Words> gradescope(Path submission, Path assignments, Path results) throws Exception {
        Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true), "gradescope",
                "--submission", submission.toString(), "--results", results.toString(), "--assignments",
                assignments.toString());
        JsonNode root = new ObjectMapper().readTree(results.toFile());
        Map<String, Words> found = new LinkedHashMap<>();
        for (JsonNode t : root.get("tests")) {
            if (!t.get("status").asText().equals("passed")) {
                failureText(found, t.get("name").asText(), t.get("output").asText());
            }
        }
        return found;
    }

    private static void failureText(Map<String, Words> found, String key, String text) {
        Optional<String> where = Optional.empty();
        Optional<String> cause = Optional.empty();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.startsWith("where: ")) {
                where = Optional.of(s.substring("where: ".length()));
            } else if (s.startsWith("likely cause: ")) {
                cause = Optional.of(s.substring("likely cause: ".length()));
            }
        }
        put(found, key, where, cause);
    }

    /**
     * The student's {@code mvn test}: the public checks' dynamic tests, run as JUnit runs them, with the
     * submission's classes first on the class path (as a student's own classes are), and no reference.
     */
    private static Map<String, Words> junit(Path classes, Path assignments, Path summary) throws Exception {
        Map<String, Words> found = new LinkedHashMap<>();
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        Map<String, String> properties = Map.of(PublicChecks.ASSIGNMENTS, assignments.toString(),
                PublicChecks.SELFTEST, "", PublicChecks.SUMMARY, summary.toString());
        Map<String, String> saved = new LinkedHashMap<>();
        properties.forEach((k, v) -> saved.put(k, System.getProperty(k)));
        try (URLClassLoader yours = new StudentFirst(classes, ChannelsTest.class.getClassLoader())) {
            me.setContextClassLoader(yours);
            properties.forEach(System::setProperty);
            try (Stream<DynamicNode> nodes = PublicChecks.tests()) {
                nodes.forEach(n -> run(n, found));
            }
        } finally {
            me.setContextClassLoader(before);
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
        return found;
    }

    private static void run(DynamicNode node, Map<String, Words> found) {
        if (node instanceof DynamicContainer c) {
            c.getChildren().forEach(n -> run(n, found));
        } else if (node instanceof DynamicTest t) {
            try {
                t.getExecutable().execute();
            } catch (org.opentest4j.AssertionFailedError e) {
                failureText(found, t.getDisplayName(), e.getMessage());
            } catch (org.opentest4j.TestAbortedException e) {
                // skipped: its reason is all it says
            } catch (Throwable e) {
                throw new AssertionError(t.getDisplayName() + " threw " + e, e);
            }
        }
    }

    /** A class loader that finds the submission's {@code homework} classes before the test's own (the reference). */
    private static final class StudentFirst extends URLClassLoader {
        StudentFirst(Path classes, ClassLoader parent) throws java.net.MalformedURLException {
            super(new URL[] {classes.toUri().toURL()}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("homework.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }
}
