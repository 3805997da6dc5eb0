package backprop.grader.batch;

import backprop.grader.TestFiles;
import backprop.grader.report.ScoreCards;
import backprop.grader.sandbox.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A class graded in one batch on seed-000 with small limits, and what the grader reported: the rows of both CSVs,
 * its log, and the peak of its own heap while it graded.
 */
final class ClassRun {
    /** Small limits for the child: these classes are about compiling. */
    static final Limits LIMITS = new Limits(Duration.ofSeconds(20), 64, 512, 32, 256, 1L << 20, 256L << 10,
            Duration.ofSeconds(10));
    final BatchGrader.Summary summary;
    final Map<String, CSVRecord> scores = new LinkedHashMap<>();
    final List<CSVRecord> details = new ArrayList<>();
    final String log;
    /** The most the grader's heap held after a collection during the run, MiB. */
    final double peakHeapMb;
    CSVRecord possible;

    /** The heap in use after the last collection of each heap pool, in bytes. */
    private static long liveHeap() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                bytes += pool.getCollectionUsage().getUsed();
            }
        }
        return bytes;
    }

    private ClassRun(BatchGrader.Summary summary, String log, double peakHeapMb) {
        this.summary = summary;
        this.log = log;
        this.peakHeapMb = peakHeapMb;
    }

    /** Grades {@code subs} into {@code out}, compiling each submission with {@code compileLimit}. */
    static ClassRun grade(Path subs, Path out, Duration compileLimit) throws IOException {
        System.gc();
        // the live heap: what each collection leaves, sampled through the run. The sum of the pools' peaks would
        // measure how large the young generation had grown in earlier tests, not what this run keeps.
        long[] live = {liveHeap()};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                live[0] = Math.max(live[0], liveHeap());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "live-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        StringWriter err = new StringWriter();
        BatchGrader.Summary s;
        try {
            s = BatchGrader.run(new BatchGrader.Options(subs, out,
                    List.of(TestFiles.publicAssignments().resolve("seed-000.yaml")), Optional.empty(), 2,
                    LIMITS, compileLimit, false,
                    HostileClassTest.choice()), TestFiles.reference(), TestFiles.referenceSources(), "test",
                    new PrintWriter(err, true));
        } finally {
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.gc();
        long bytes = Math.max(live[0], liveHeap());
        ClassRun r = new ClassRun(s, err.toString(), bytes / (1024.0 * 1024.0));
        try (Reader in = Files.newBufferedReader(out.resolve("scores.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            for (CSVRecord rec : p) {
                if (rec.get("student").equals(ScoreCards.POINTS_POSSIBLE)) {
                    r.possible = rec;
                } else {
                    r.scores.put(rec.get("student"), rec);
                }
            }
        }
        try (Reader in = Files.newBufferedReader(out.resolve("details.csv"));
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            p.forEach(r.details::add);
        }
        return r;
    }

    /** A student's scores row. */
    CSVRecord row(String student) {
        if (!scores.containsKey(student)) {
            throw new AssertionError("no row for " + student + " in " + scores.keySet() + "\n" + log);
        }
        return scores.get(student);
    }

    /** A student's {@code compiler} rows in details.csv. */
    List<String> compilerRows(String student) {
        return details.stream().filter(d -> d.get("student").equals(student) && d.get("kind").equals("compiler"))
                .map(d -> d.get("message")).toList();
    }

    /** Copies the reference's sources into {@code homework}. */
    static void copyReference(Path homework) throws IOException {
        Files.createDirectories(homework);
        try (Stream<Path> s = Files.list(TestFiles.referenceSources().resolve("homework"))) {
            for (Path f : s.toList()) {
                Files.copy(f, homework.resolve(f.getFileName()));
            }
        }
    }
}
