package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.report.ScoreCards;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A class of hostile submissions (test resources {@code hostile/}, each the reference with one class replaced)
 * plus correct ones, graded in one batch, and what came out: the rows of both CSVs, the log, and what the
 * submissions could reach outside (a server on the host, a folder outside, the host's temporary folders).
 */
final class HostileBatch implements AutoCloseable {
    /**
     * Small limits: a submission slow everywhere costs the suite 8 s, one that loops in a method 2 s (long enough
     * for the printing one to reach the output limit first, even on a busy machine).
     */
    static final Limits LIMITS = new Limits(Duration.ofSeconds(8), 64, 512, 32, 256, 1L << 20, 256L << 10,
            Duration.ofSeconds(2));
    /** The assignments, in grading order: the hostile ops are used by the last one only. */
    static final List<String> ORDER = List.of("seed-000", "seed-004", "ops");
    /** The submissions that are not hostile. */
    static final List<String> CORRECT = List.of("correct", "correct-zip");

    final Path outside;
    final String token = "backprop-hostile-" + Long.toHexString(System.nanoTime());
    final AtomicInteger connections = new AtomicInteger();
    /** Why the JNI submission was left out, if it was. */
    Optional<String> jniMissing = Optional.empty();
    BatchGrader.Summary summary;
    final Map<String, CSVRecord> scores = new LinkedHashMap<>();
    CSVRecord possible;
    final List<CSVRecord> details = new ArrayList<>();
    String log;
    private final ServerSocket server;

    private HostileBatch(Path tmp) throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Builds the hostile submissions {@code cases} accepts, and the correct ones, in {@code tmp}, and grades them
     * with two jobs under {@code choice}.
     */
    static HostileBatch grade(Path tmp, Sandbox.Choice choice, Predicate<String> cases) throws Exception {
        HostileBatch b = new HostileBatch(tmp);
        Path subs = Files.createDirectories(tmp.resolve("class"));
        Path out = tmp.resolve("reports");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("@@REFERENCE_FILE@@", TestFiles.referenceSources().resolve("homework/Relu.java").toString());
        tokens.put("@@ASSIGNMENT_FILE@@", TestFiles.publicAssignments().resolve("seed-000.yaml").toString());
        tokens.put("@@RESULTS_DIR@@", out.resolve(BatchGrader.RESULTS).toString());
        tokens.put("@@OUTSIDE_DIR@@", b.outside.toString());
        tokens.put("@@REPO_DIR@@", TestFiles.root().toString());
        tokens.put("@@PORT@@", Integer.toString(b.server.getLocalPort()));
        tokens.put("@@TOKEN@@", b.token);
        Path hostile = TestFiles.root().resolve("grader/core/src/test/resources/hostile");
        if (cases.test("jni-native")) {
            try {
                tokens.put("@@JNI_LIBRARY@@", jniLibrary(hostile.resolve("jni-native/hog.c"), tmp.resolve("jni")));
            } catch (IOException e) {
                b.jniMissing = Optional.of(e.getMessage());
            }
        }
        try (Stream<Path> s = Files.list(hostile)) {
            for (Path h : s.filter(Files::isDirectory).sorted().toList()) {
                String name = h.getFileName().toString();
                if (cases.test(name) && !(name.equals("jni-native") && b.jniMissing.isPresent())) {
                    overlay(h, subs.resolve(name).resolve("homework"), tokens);
                }
            }
        }
        copyReference(subs.resolve("correct/src/main/java/homework"));
        zipReference(subs.resolve("correct-zip.zip"));
        StringWriter err = new StringWriter();
        try {
            b.summary = BatchGrader.run(new BatchGrader.Options(subs, out,
                    ORDER.stream().map(id -> TestFiles.publicAssignments().resolve(id + ".yaml")).toList(),
                    Optional.empty(), 2, LIMITS, Duration.ofSeconds(60), false, choice),
                    TestFiles.reference(), TestFiles.referenceSources(), "test", new PrintWriter(err, true));
        } finally {
            b.log = err.toString();
            System.out.println(b.log); // the grader's own report, kept in the test's output
        }
        b.read(out);
        b.scores.forEach((id, r) -> System.out.println(id + ": " + r.get("status") + ": " + r.get("reason")));
        return b;
    }

    private void read(Path out) throws IOException {
        try (Reader r = Files.newBufferedReader(out.resolve("scores.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                if (rec.get("student").equals(ScoreCards.POINTS_POSSIBLE)) {
                    possible = rec;
                } else {
                    scores.put(rec.get("student"), rec);
                }
            }
        }
        try (Reader r = Files.newBufferedReader(out.resolve("details.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            p.forEach(details::add);
        }
    }

    /**
     * Builds the JNI library of the {@code jni-native} submission with gcc and returns its bytes in Base64.
     *
     * @throws IOException saying why it cannot be built here (no gcc, no JNI headers, a failed build)
     */
    static String jniLibrary(Path source, Path dir) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("java.home"));
        Path include = home.resolve("include");
        if (!Files.isRegularFile(include.resolve("jni.h"))) {
            throw new IOException("the JDK at " + home + " has no include/jni.h");
        }
        Optional<Path> gcc = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(d -> Path.of(d, "gcc")).filter(Files::isExecutable).findFirst();
        if (gcc.isEmpty()) {
            throw new IOException("gcc is not installed");
        }
        Files.createDirectories(dir);
        Path lib = dir.resolve("libhog.so");
        Process p = new ProcessBuilder(gcc.get().toString(), "-shared", "-fPIC", "-O1", "-s", "-I" + include,
                "-I" + include.resolve("linux"), "-o", lib.toString(), source.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gcc failed: " + out.strip());
        }
        return Base64.getEncoder().encodeToString(Files.readAllBytes(lib));
    }

    static void overlay(Path hostile, Path into, Map<String, String> tokens) throws IOException {
        copyReference(into);
        Path remove = hostile.resolve("remove.txt");
        if (Files.exists(remove)) {
            for (String f : Files.readAllLines(remove)) {
                Files.deleteIfExists(into.resolve(f.strip()));
            }
        }
        Path classes = hostile.resolve("homework");
        if (Files.isDirectory(classes)) {
            try (Stream<Path> s = Files.list(classes)) {
                for (Path f : s.toList()) {
                    String src = Files.readString(f);
                    for (Map.Entry<String, String> t : tokens.entrySet()) {
                        src = src.replace(t.getKey(), t.getValue());
                    }
                    Files.writeString(into.resolve(f.getFileName()), src);
                }
            }
        }
    }

    static void copyReference(Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.toList()) {
                Files.copy(f, into.resolve(f.getFileName()));
            }
        }
    }

    static void zipReference(Path zip) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.sorted().toList()) {
                z.putNextEntry(new ZipEntry("correct-zip/src/main/java/homework/" + f.getFileName()));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
    }

    /** The mechanism to test: any, unless {@code -Dgrader.test.sandbox=auto|bwrap|uid|none} says otherwise. */
    static Sandbox.Choice choice() {
        return Sandbox.Choice.valueOf(System.getProperty("grader.test.sandbox", "any").toUpperCase(Locale.ROOT));
    }

    Sandbox.Mechanism mechanism() {
        return summary.mechanism();
    }

    /** True under a mechanism that hides the host's files (bubblewrap, uid). */
    boolean isolated() {
        return mechanism() != Sandbox.Mechanism.PLAIN;
    }

    CSVRecord row(String student) {
        assertThat(scores).as(log).containsKey(student);
        return scores.get(student);
    }

    double points(String student, String column) {
        return Double.parseDouble(row(student).get(column));
    }

    boolean full(String student, String column) {
        return points(student, column) == Double.parseDouble(possible.get(column));
    }

    List<CSVRecord> details(String student, String assignment, String checkPrefix) {
        return details.stream().filter(d -> d.get("student").equals(student) && d.get("assignment").equals(assignment)
                && d.get("check").startsWith(checkPrefix)).toList();
    }

    /** Files a submission wrote into the host's temporary folders. */
    List<Path> hostTemporaryFiles() {
        return Stream.of("/tmp", "/var/tmp", "/dev/shm").map(d -> Path.of(d, token)).filter(Files::exists).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Path p : hostTemporaryFiles()) {
            Files.deleteIfExists(p);
        }
    }
}
