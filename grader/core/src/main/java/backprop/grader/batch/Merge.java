package backprop.grader.batch;

import backprop.grader.batch.ShardRecord.Member;
import backprop.grader.files.AtomicFiles;
import backprop.grader.files.FolderLock;
import backprop.grader.report.ClassReport;
import backprop.grader.report.ScoreCards;
import backprop.grader.report.StudentResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code grader merge}: the outputs of the shards of one class combined into the reports one run over the whole
 * class writes — the same rows of {@code scores.csv} and {@code details.csv}, the same class report, and a
 * {@code provenance.json} that differs only where a merge must (when, where and on which JVMs the shards ran, and a
 * {@code merged} section naming them). It streams: it walks the class in the order one run reports it (the order
 * of the submission folder's names, which each shard records), reads each student's saved result from the shard
 * that holds it, writes it and lets it go, so its time and memory per student stay flat whatever the class size.
 * Shards graded differently, overlapping shards, or missing students are refused before anything is written.
 */
public final class Merge {
    /** The provenance file of an output folder. */
    static final String PROVENANCE = "provenance.json";

    private Merge() {}

    /** Shards that cannot be merged, with the reason and what to do. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        /** A refusal saying why. */
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * What to merge.
     *
     * @param shards the shards' output folders, in any order
     * @param out where the merged reports go (not one of the shards)
     * @param allowMissing write what there is when students have no result, each marked {@code missing}
     */
    public record Options(List<Path> shards, Path out, boolean allowMissing) {}

    /**
     * What was written.
     *
     * @param students the class size
     * @param missing students without a result (written as {@code missing} under {@code --allow-missing})
     * @param byStatus students per status
     * @param missingReport who is missing and why, or "" when no one is
     * @param scores the scores file
     */
    public record Summary(int students, int missing, Map<String, Integer> byStatus, String missingReport,
            Path scores) {}

    /**
     * Merges the shards of {@code o} into {@code o.out()}.
     *
     * @throws Refused when they cannot be merged; nothing is written then
     * @throws IOException when a file cannot be read or written
     */
    public static Summary run(Options o, PrintWriter err) throws Refused, IOException {
        if (o.shards().isEmpty()) {
            throw new Refused("name the shards' output folders to merge");
        }
        List<ShardOutput> shards = new ArrayList<>();
        Path out = o.out().toAbsolutePath().normalize();
        Set<Path> seen = new HashSet<>();
        for (Path dir : o.shards()) {
            ShardOutput s = ShardOutput.open(dir);
            Path real = dir.toRealPath();
            if (Files.exists(out) && real.equals(out.toRealPath())) {
                throw new Refused("--out " + o.out() + " is one of the shards: the merge would overwrite what it "
                        + "reads; give another folder");
            }
            if (!seen.add(real)) {
                throw new Refused(dir + " is given twice");
            }
            shards.add(s);
        }
        MergeAgreement.check(shards);
        MergeCoverage coverage = MergeCoverage.of(shards);
        if (coverage.missingCount() > 0 && !o.allowMissing()) {
            throw new Refused(coverage.describeMissing() + "\nGive the folders of the shards not given, rerun those "
                    + "the grader failed in, or add --allow-missing to write what there is with these students marked "
                    + "'" + SubmissionStatus.MISSING.word() + "'.");
        }
        String missingReport = coverage.missingCount() == 0 ? "" : coverage.describeMissing();
        if (!missingReport.isEmpty()) {
            err.println("warning: " + missingReport);
        }
        Map<String, Integer> byStatus = write(out, shards, coverage, o.allowMissing());
        return new Summary(coverage.students(), coverage.missingCount(), byStatus, missingReport,
                out.resolve("scores.csv"));
    }

    /**
     * Writes the reports, each replaced atomically, reading the results again for each (one student at a time).
     * This is the one place a merge writes: the step a lock on the output folder wraps.
     */
    private static Map<String, Integer> write(Path out, List<ShardOutput> shards, MergeCoverage coverage,
            boolean allowMissing) throws IOException {
        ShardOutput first = shards.get(0);
        List<ScoreCards.Column> columns = new ArrayList<>();
        first.header().path("assignments").forEach(a -> columns.add(new ScoreCards.Column(a.path("id").asText(),
                a.path("points").asDouble())));
        double maximum = columns.stream().mapToDouble(ScoreCards.Column::max).sum();
        Iterable<StudentResult> results = () -> new Iterator<>() {
            private final Iterator<Member> members = first.classMembers();

            @Override
            public boolean hasNext() {
                return members.hasNext();
            }

            @Override
            public StudentResult next() {
                Member m = members.next();
                return coverage.missing(m.id()).map(why -> missing(m, why, columns, maximum))
                        .orElseGet(() -> coverage.holder(m.id()).store().load(m.id()).orElseThrow(
                                () -> new UncheckedIOException(new IOException("the saved result of " + m.id() + " in "
                                        + coverage.holder(m.id()).label() + " vanished during the merge"))));
            }
        };
        Files.createDirectories(out);
        Map<String, Integer> byStatus = new TreeMap<>();
        try (FolderLock lock = FolderLock.acquire(out, "grader merge"); AtomicFiles.Group g = new AtomicFiles.Group()) {
            // the scores pass also counts the statuses, as it reads every result once anyway
            AtomicFiles.Staged scores = g.stage(out.resolve(Reports.SCORES), ScoreCards.scores(columns,
                    () -> counting(results.iterator(), byStatus)));
            AtomicFiles.Staged details = g.stage(out.resolve(Reports.DETAILS), ScoreCards.details(results));
            ClassReport.stage(g, out, columns, results);
            ObjectNode p = provenance(shards, coverage, byStatus, allowMissing);
            ObjectNode hashes = p.putObject("reports_sha256");
            hashes.put(Reports.SCORES, scores.sha256());
            hashes.put(Reports.DETAILS, details.sha256());
            g.stage(out.resolve(PROVENANCE), ResultStore.JSON.writeValueAsBytes(p));
            g.commit();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return byStatus;
    }

    private static Iterator<StudentResult> counting(Iterator<StudentResult> it, Map<String, Integer> byStatus) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public StudentResult next() {
                StudentResult r = it.next();
                byStatus.merge(r.status(), 1, Integer::sum);
                return r;
            }
        };
    }

    /** The row of a student no shard has a result for: no points, the status {@code missing} and why. */
    private static StudentResult missing(Member m, String why, List<ScoreCards.Column> columns, double maximum) {
        return new StudentResult("", m.id(), m.name(), m.source(), SubmissionStatus.MISSING.word(),
                "not graded: " + why, 0, maximum, columns.stream()
                        .map(c -> new StudentResult.AssignmentPoints(c.id(), 0, c.max())).toList(),
                List.of(), List.of(), "", 0, "");
    }

    /**
     * One run's provenance, from the first shard's: the counts of the whole class, the earliest start and the
     * latest end, and a {@code merged} section naming every shard, where and how it ran.
     */
    private static ObjectNode provenance(List<ShardOutput> shards, MergeCoverage coverage,
            Map<String, Integer> byStatus, boolean allowMissing) {
        ObjectNode p = shards.get(0).header().deepCopy();
        p.put("started", shards.stream().map(s -> s.header().path("started").asText()).min(String::compareTo)
                .orElse(""));
        p.put("finished", shards.stream().map(s -> s.header().path("finished").asText()).max(String::compareTo)
                .orElse(""));
        // the compiler a shard used (none when it had nothing left to compile): the first shard that compiled
        shards.stream().map(s -> s.header().path("options").path("compiler").asText(""))
                .filter(c -> !c.isEmpty()).findFirst().ifPresent(c -> {
                    if (p.path("options") instanceof ObjectNode options) {
                        options.put("compiler", c);
                    }
                });
        ObjectNode counts = p.putObject("submissions");
        counts.put("found", coverage.students());
        for (String sum : List.of("graded_now", "reused", "grader_failures")) {
            counts.put(sum, shards.stream().mapToInt(s -> s.header().path("submissions").path(sum).asInt()).sum());
        }
        byStatus.forEach(counts::put);
        ObjectNode merged = p.putObject("merged");
        merged.put("allow_missing", allowMissing);
        merged.put("missing", coverage.missingCount());
        ArrayNode list = merged.putArray("shards");
        for (ShardOutput s : shards) {
            ObjectNode e = list.addObject();
            e.put("shard", s.shard().toString());
            e.put("folder", s.dir().toAbsolutePath().normalize().toString());
            for (String f : List.of("started", "finished", "jvm", "sandbox", "submissions")) {
                JsonNode v = s.header().path(f);
                if (!v.isMissingNode()) {
                    e.set(f, v.deepCopy());
                }
            }
        }
        return p;
    }
}
