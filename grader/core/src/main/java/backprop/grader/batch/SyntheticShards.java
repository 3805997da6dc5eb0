package backprop.grader.batch;

import backprop.grader.report.StudentResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * For the benchmark: the outputs of N shards of a class of any size, made from the real results of a few graded
 * shards (each generated student gets a copy of one of them under its own id), with provenance.json written as a
 * shard writes it. Grading thousands of submissions takes hours here; merging them is what is measured.
 */
public final class SyntheticShards {
    private SyntheticShards() {}

    /**
     * Writes {@code students} generated students, shared among as many shards as {@code real} has, into
     * {@code into/shard-I}; returns those folders.
     *
     * @param real the outputs of every shard of a real (small) class, graded with {@code --shard I/N}
     */
    public static List<Path> write(List<Path> real, int students, Path into) throws IOException, Merge.Refused {
        List<StudentResult> templates = new ArrayList<>();
        ShardOutput first = null;
        for (Path dir : real) {
            ShardOutput s = ShardOutput.open(dir);
            first = first == null ? s : first;
            for (var it = s.classMembers(); it.hasNext(); ) {
                s.store().load(it.next().id()).ifPresent(templates::add);
            }
        }
        if (first == null || templates.isEmpty()) {
            throw new IOException("no graded result in " + real);
        }
        int n = first.shard().count();
        List<Found> cls = new ArrayList<>();
        List<Map<String, String>> keys = new ArrayList<>();
        List<ResultStore> stores = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dirs.add(into.resolve("shard-" + i));
            stores.add(new ResultStore(dirs.get(i).resolve(BatchGrader.RESULTS)));
            keys.add(new LinkedHashMap<>());
        }
        for (int k = 0; k < students; k++) {
            String id = String.format(Locale.ROOT, "student%06d", k);
            StudentResult t = templates.get(k % templates.size());
            String key = Sources.sha256("synthetic\n" + id);
            int i = Shard.indexOf(id, n);
            stores.get(i).save(new StudentResult(key, id, t.name(), id, t.status(), t.reason(), t.total(),
                    t.maximum(), t.assignments(), t.checks(), t.compilerErrors(), t.mechanism(), t.seconds(),
                    t.gradedAt()));
            keys.get(i).put(id, key);
            cls.add(new Found(id, t.name(), Path.of(id)));
        }
        for (int i = 0; i < n; i++) {
            ObjectNode p = first.header().deepCopy();
            p.putObject("submissions").put("found", keys.get(i).size()).put("graded_now", keys.get(i).size())
                    .put("reused", 0).put("grader_failures", 0);
            p.set(ShardRecord.SECTION, ResultStore.JSON.valueToTree(ShardRecord.of(new Shard(i, n), cls, keys.get(i),
                    stores.get(i))));
            Files.createDirectories(dirs.get(i));
            Files.write(dirs.get(i).resolve(Merge.PROVENANCE), ResultStore.JSON.writeValueAsBytes(p));
        }
        return dirs;
    }
}
