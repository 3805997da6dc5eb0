package backprop.grader.bench;

import backprop.grader.export.TemplateExport;
import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A student's loop (issue 14): {@code ./mvnw -o -q test} after a one-line change, in a repository exported by
 * {@code grader export-template} with the reference solution dropped in, against the same command in the Maven
 * floor: the same export with the grader taken out of its pom (no engine dependency, no points step, no
 * properties for the checks) and one trivial JUnit test instead of the public checks. Both keep the same sources
 * under {@code src/main/java}, the same {@code .mvn/} and every other plugin setting, so the difference between
 * them is what the public checks cost. Runs alternate (floor, student; then student, floor) so that the machine's
 * load falls on both alike; each prints its wall time and the CPU time of its process tree.
 */
public final class StudentLoopBench {
    /** The edited file: a one-line change to it recompiles the student's classes, as a student's edit does. */
    private static final String EDITED = "src/main/java/homework/Relu.java";

    private StudentLoopBench() {}

    /** What one repository's runs measured, run by run. */
    private record Runs(List<Double> wall, List<Double> cpu) {
        Runs() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Prints the table: {@code rounds} runs in each repository, alternating. */
    public static void run(PrintWriter out, Path root, int rounds) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("grader-student-loop");
        try {
            table(out, root, work, rounds);
        } finally {
            FileTrees.delete(work);
        }
    }

    private static void table(PrintWriter out, Path root, Path work, int rounds)
            throws IOException, InterruptedException {
        Path student = work.resolve("student");
        Path floor = work.resolve("floor");
        TemplateExport.export(root, student);
        replaceHomework(root.resolve("grader/reference/src/main/java/homework"), student);
        floor(student, floor);
        out.printf(Locale.ROOT, "%nA student's loop: ./mvnw -o -q test after a one-line change to %s, %d rounds, "
                + "alternating%n", EDITED, rounds);
        out.println("  student: grader export-template with the reference dropped in; floor: the same repository "
                + "without the grader (one trivial test)");
        out.flush();
        for (Path repo : List.of(floor, student)) { // the first run resolves the local repository in lib/
            warmUp(repo);
        }
        Path timings = work.resolve("timings.tsv");
        Runs f = new Runs();
        Runs s = new Runs();
        List<Map<String, Double>> parts = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean floorFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean isFloor = (k == 0) == floorFirst;
                Path repo = isFloor ? floor : student;
                Files.writeString(repo.resolve(EDITED), "// round " + r + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
                List<String> command = new ArrayList<>(List.of("./mvnw", "-o", "-q", "test"));
                if (!isFloor) {
                    command.add("-Dbackprop.timings=" + timings);
                }
                double[] m = measure(repo, command);
                (isFloor ? f : s).wall().add(m[0]);
                (isFloor ? f : s).cpu().add(m[1]);
                if (!isFloor) {
                    parts.add(readTimings(timings));
                }
            }
        }
        print(out, f, s, parts, rounds);
    }

    private static void print(PrintWriter out, Runs f, Runs s, List<Map<String, Double>> parts, int rounds) {
        double fw = median(f.wall());
        double sw = median(s.wall());
        double fc = median(f.cpu());
        double sc = median(s.cpu());
        out.printf(Locale.ROOT, "  %-34s %9s %9s   %s%n", "", "wall", "CPU", "(medians of " + rounds + "; every run's "
                + "wall time below)");
        out.printf(Locale.ROOT, "  %-34s %7.2f s %7.2f s   %s%n", "floor (one trivial test)", fw, fc, list(f.wall()));
        out.printf(Locale.ROOT, "  %-34s %7.2f s %7.2f s   %s%n", "student (the public checks)", sw, sc,
                list(s.wall()));
        out.printf(Locale.ROOT, "  %-34s %7.2f×  %7s%n", "student / floor", sw / fw, cpuRatio(sc, fc));
        out.printf(Locale.ROOT, "  %-34s %7.2f s %7.2f s%n", "difference: what the checks cost", sw - fw, sc - fc);
        out.println("  inside the test JVM, by part (median ms over the rounds, from -Dbackprop.timings):");
        Map<String, List<Double>> byPart = new LinkedHashMap<>();
        for (Map<String, Double> p : parts) {
            p.forEach((k, v) -> byPart.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        double total = 0;
        for (Map.Entry<String, List<Double>> e : byPart.entrySet()) {
            double ms = median(e.getValue());
            total += ms;
            out.printf(Locale.ROOT, "    %-32s %8.1f ms%n", e.getKey(), ms);
        }
        out.printf(Locale.ROOT, "    %-32s %8.1f ms%n", "all parts", total);
        out.flush();
    }

    private static String cpuRatio(double student, double floor) {
        return Double.isNaN(student) || Double.isNaN(floor) ? "n/a" : String.format(Locale.ROOT, "%.2f×", student
                / floor);
    }

    /** The student's classes become the reference's: a submission that passes every check. */
    private static void replaceHomework(Path from, Path repo) throws IOException {
        Path to = repo.resolve("src/main/java/homework");
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, to.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * The floor: the student's repository without the grader. Its pom loses the engine dependency, the points step
     * and the checks' properties, nothing else; its tests are one trivial JUnit test.
     */
    static void floor(Path student, Path floor) throws IOException {
        for (String part : List.of(".mvn", "lib", "src/main", "mvnw")) {
            FileTrees.copy(student.resolve(part), floor.resolve(part));
        }
        floor.resolve("mvnw").toFile().setExecutable(true);
        Files.writeString(floor.resolve("pom.xml"), floorPom(Files.readString(student.resolve("pom.xml"))));
        Path test = floor.resolve("src/test/java/floor/TrivialTest.java");
        Files.createDirectories(test.getParent());
        Files.writeString(test, """
                package floor;

                import static org.junit.jupiter.api.Assertions.assertEquals;

                import org.junit.jupiter.api.Test;

                class TrivialTest {
                    @Test
                    void addsUp() {
                        assertEquals(2, 1 + 1);
                    }
                }
                """);
    }

    /** The student's pom without what belongs to the grader. */
    static String floorPom(String pom) throws IOException {
        try {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = dbf.newDocumentBuilder().parse(new InputSource(new StringReader(pom)));
            remove(doc, "dependency", "grader-core");
            remove(doc, "plugin", "exec-maven-plugin");
            NodeList props = doc.getElementsByTagName("systemPropertyVariables");
            while (props.getLength() > 0) {
                props.item(0).getParentNode().removeChild(props.item(0));
            }
            StringWriter w = new StringWriter();
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.transform(new DOMSource(doc), new StreamResult(w));
            String out = w.toString();
            if (out.contains("backprop.grader")) {
                throw new IOException("the floor's pom still names the grader: " + out);
            }
            return out;
        } catch (ParserConfigurationException | SAXException | TransformerException e) {
            throw new IOException("cannot make the floor's pom: " + e.getMessage(), e);
        }
    }

    /** Removes every {@code tag} element whose {@code artifactId} child is {@code artifactId}. */
    private static void remove(Document doc, String tag, String artifactId) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Node> doomed = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            NodeList ids = e.getElementsByTagName("artifactId");
            if (ids.getLength() > 0 && ids.item(0).getTextContent().trim().equals(artifactId)) {
                doomed.add(e);
            }
        }
        doomed.forEach(n -> n.getParentNode().removeChild(n));
    }

    /** A first run, online, so that the timed ones can be offline; it must pass. */
    private static void warmUp(Path repo) throws IOException, InterruptedException {
        Path log = repo.resolve("warm-up.log");
        Process p = new ProcessBuilder("./mvnw", "-q", "test").directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            List<String> lines = Files.readAllLines(log);
            throw new IOException("./mvnw -q test failed in " + repo + ":\n" + String.join("\n",
                    lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    /**
     * Runs a command in {@code dir}; returns its wall time and the CPU time of its process tree in seconds (NaN
     * where the system does not say). A run that fails is an error: its figures would mean nothing.
     */
    private static double[] measure(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = dir.resolve("run.log");
        double cpu0 = childrenCpu();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 15 minutes in " + dir);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed in " + dir + ":\n" + Files.readString(log));
        }
        return new double[] {wall, childrenCpu() - cpu0};
    }

    /**
     * The CPU time, in seconds, of this process's finished children and their descendants ({@code cutime} plus
     * {@code cstime} of {@code /proc/self/stat}, in clock ticks of 1/100 s), or NaN off Linux.
     */
    static double childrenCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Map<String, Double> readTimings(Path file) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            String[] kv = line.split("\t");
            if (kv.length == 2) {
                out.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        Files.delete(file);
        return out;
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String list(List<Double> xs) {
        return String.join(" ", xs.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList());
    }
}
