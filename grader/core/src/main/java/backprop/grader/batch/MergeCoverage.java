package backprop.grader.batch;

import backprop.grader.batch.ShardRecord.Digest;
import backprop.grader.batch.ShardRecord.Member;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who of the class has a result in the shards, found in one pass over the class that reads only the head of each
 * saved result: every student must be in the share of exactly one shard given, the shares must be what each shard
 * says it was given, and the saved results must be the ones it reported. What is missing is listed by cause.
 */
final class MergeCoverage {
    /** How many names a message lists for one cause before it only counts. */
    static final int NAMES = 100;

    private final ShardOutput[] byIndex;
    private final Map<String, List<String>> missingNames = new LinkedHashMap<>();
    private final Map<String, Integer> missingCounts = new LinkedHashMap<>();
    private int students;
    private int missing;

    private MergeCoverage(ShardOutput[] byIndex) {
        this.byIndex = byIndex;
    }

    /**
     * Checks the shards against the class they cut.
     *
     * @throws Merge.Refused when two shards hold the same share, or a shard's share or results are not what it
     *     reported
     */
    static MergeCoverage of(List<ShardOutput> shards) throws Merge.Refused {
        ShardOutput first = shards.get(0);
        int n = first.shard().count();
        ShardOutput[] byIndex = new ShardOutput[n];
        for (ShardOutput s : shards) {
            ShardOutput other = byIndex[s.shard().index()];
            if (other != null) {
                throw overlap(first, other, s);
            }
            byIndex[s.shard().index()] = s;
        }
        MergeCoverage c = new MergeCoverage(byIndex);
        Map<Integer, Digest> shares = new LinkedHashMap<>();
        Map<Integer, Digest> graded = new LinkedHashMap<>();
        List<String> damaged = new ArrayList<>();
        for (Iterator<Member> it = first.classMembers(); it.hasNext(); ) {
            Member m = it.next();
            c.students++;
            int i = Shard.indexOf(m.id(), n);
            Optional<String> why = c.missing(m.id());
            if (byIndex[i] != null) {
                shares.computeIfAbsent(i, k -> new Digest()).add(m.id());
            }
            if (why.isPresent()) {
                c.note(why.get(), m.id());
                continue;
            }
            Optional<String> key = byIndex[i].store().keyOf(m.id());
            if (key.isEmpty()) {
                if (damaged.size() < NAMES) {
                    damaged.add(m.id() + " in " + byIndex[i].label());
                }
                continue;
            }
            graded.computeIfAbsent(i, k -> new Digest()).add(m.id(), key.get());
        }
        if (!damaged.isEmpty()) {
            throw new Merge.Refused("saved results are missing or unreadable although their shard reported them "
                    + "graded: " + String.join(", ", damaged) + ". Run those shards' grade command again: it grades "
                    + "what has no result.");
        }
        for (ShardOutput s : shards) {
            c.compare(s, shares.getOrDefault(s.shard().index(), new Digest()),
                    graded.getOrDefault(s.shard().index(), new Digest()));
        }
        return c;
    }

    private void compare(ShardOutput s, Digest share, Digest graded) throws Merge.Refused {
        if (share.count() != s.shareCount() || !share.hex().equals(s.shareSha())) {
            throw new Merge.Refused(s.label() + " says it was given " + s.shareCount() + " students, but the class it "
                    + "cut has " + share.count() + " in shard " + s.shard() + " (or other ones): its "
                    + Merge.PROVENANCE + " was not written by this grader's --shard, or was edited");
        }
        if (graded.count() != s.gradedCount() || !graded.hex().equals(s.gradedSha())) {
            throw new Merge.Refused(s.label() + ": its saved results are not the ones it reported when it finished "
                    + "(another run into that folder since, stopped before the end?). Run its grade command again.");
        }
    }

    /** Why a student has no result to merge, if it has none. */
    Optional<String> missing(String id) {
        int n = byIndex.length;
        int i = Shard.indexOf(id, n);
        ShardOutput s = byIndex[i];
        if (s == null) {
            return Optional.of("shard " + i + "/" + n + " was not given");
        }
        if (s.notGraded().contains(id)) {
            return Optional.of("the grader failed on them in " + s.label() + " (run its grade command again)");
        }
        return Optional.empty();
    }

    /** The shard that holds a student's result. */
    ShardOutput holder(String id) {
        return byIndex[Shard.indexOf(id, byIndex.length)];
    }

    private void note(String why, String id) {
        missing++;
        missingCounts.merge(why, 1, Integer::sum);
        List<String> names = missingNames.computeIfAbsent(why, k -> new ArrayList<>());
        if (names.size() < NAMES) {
            names.add(id);
        }
    }

    int students() {
        return students;
    }

    int missingCount() {
        return missing;
    }

    /** Who is missing, by cause: a line a cause, its count and its first names. */
    String describeMissing() {
        List<String> lines = new ArrayList<>();
        missingNames.forEach((why, names) -> {
            int count = missingCounts.get(why);
            lines.add(why + ": " + count + (count == 1 ? " student: " : " students: ") + String.join(", ", names)
                    + (count > names.size() ? ", … (" + (count - names.size()) + " more)" : ""));
        });
        return missing + " of the class's " + students + " students have no result:\n  " + String.join("\n  ", lines);
    }

    private static Merge.Refused overlap(ShardOutput first, ShardOutput a, ShardOutput b) {
        List<String> both = new ArrayList<>();
        int count = 0;
        for (Iterator<Member> it = first.classMembers(); it.hasNext(); ) {
            String id = it.next().id();
            if (a.shard().holds(id)) {
                count++;
                if (both.size() < NAMES) {
                    both.add(id);
                }
            }
        }
        return new Merge.Refused(a.label() + " and " + b.label() + " are the same shard" + (a.dir().equals(b.dir())
                ? " (the same folder, given twice)" : "") + ": their " + count + " students overlap: "
                + String.join(", ", both) + (count > both.size() ? ", … (" + (count - both.size()) + " more)" : "")
                + ". Give each shard once.");
    }
}
