package backprop.grader.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code shard} section of a shard's {@code provenance.json}: which share it graded, the whole class it cut
 * (every student's id, name and submission, in the order one run reports them), the students it was given, and a
 * digest of the results it finished. A merge reads the class from it to know who is missing, and recomputes the
 * digests to know the shards cover the class exactly and that their saved results are the ones they reported.
 */
final class ShardRecord {
    static final String SECTION = "shard";
    static final String INDEX = "index";
    static final String COUNT = "count";
    static final String CLASS = "class";
    static final String STUDENTS = "students";
    static final String SHA256 = "sha256";
    static final String IDS = "ids";
    static final String GRADED = "graded";
    static final String NOT_GRADED = "not_graded";

    private ShardRecord() {}

    /**
     * One student of the class.
     *
     * @param id the student id
     * @param name the roster's name, or ""
     * @param source the submission's folder or zip name
     */
    record Member(String id, String name, String source) {}

    /**
     * The section for a run of {@code shard} over {@code classList}, whose share had the result keys {@code keys}
     * (in class order); a student of the share counts as graded when the store holds a result for its key.
     */
    static Map<String, Object> of(Shard shard, List<Found> classList, Map<String, String> keys, ResultStore store) {
        Digest cls = new Digest();
        List<Member> members = new ArrayList<>();
        for (Found f : classList) {
            Member m = new Member(f.id(), f.name(), f.source());
            members.add(m);
            cls.add(m);
        }
        Digest share = new Digest();
        Digest graded = new Digest();
        List<String> notGraded = new ArrayList<>();
        keys.forEach((id, key) -> {
            share.add(id);
            if (store.keyOf(id).filter(key::equals).isPresent()) {
                graded.add(id, key);
            } else {
                notGraded.add(id);
            }
        });
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(INDEX, shard.index());
        s.put(COUNT, shard.count());
        s.put("rule", Shard.RULE);
        Map<String, Object> c = section(cls);
        c.put(STUDENTS, members);
        s.put(CLASS, c);
        Map<String, Object> given = section(share);
        given.put(IDS, List.copyOf(keys.keySet()));
        s.put(STUDENTS, given);
        s.put(GRADED, section(graded));
        s.put(NOT_GRADED, notGraded);
        return s;
    }

    private static Map<String, Object> section(Digest d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(COUNT, d.count());
        m.put(SHA256, d.hex());
        return m;
    }

    /** A running SHA-256 over a list of records, each a few strings; the count of records beside it. */
    static final class Digest {
        private final MessageDigest md = Sources.sha256();
        private int count;

        /** Adds one record. */
        void add(String... fields) {
            for (String f : fields) {
                md.update(f.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update((byte) '\n');
            count++;
        }

        /** Adds one member of the class. */
        void add(Member m) {
            add(m.id(), m.name(), m.source());
        }

        int count() {
            return count;
        }

        /** The digest so far (this digest can take no more records). */
        String hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
