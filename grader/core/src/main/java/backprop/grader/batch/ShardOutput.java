package backprop.grader.batch;

import backprop.grader.batch.ShardRecord.Member;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A shard's output folder as a merge reads it: its {@code provenance.json} (everything but the shard's lists, which
 * are streamed, never held) and its saved results. Opening it checks that it is a finished shard's output.
 */
final class ShardOutput {
    private final Path dir;
    private final ObjectNode header;
    private final Shard shard;
    private final int classCount;
    private final String classSha;
    private final int shareCount;
    private final String shareSha;
    private final int gradedCount;
    private final String gradedSha;
    private final Set<String> notGraded;
    private final ResultStore store;

    private ShardOutput(Path dir, ObjectNode header, Shard shard, JsonNode summary, Set<String> notGraded) {
        this.dir = dir;
        this.header = header;
        this.shard = shard;
        this.classCount = summary.path(ShardRecord.CLASS).path(ShardRecord.COUNT).asInt(-1);
        this.classSha = summary.path(ShardRecord.CLASS).path(ShardRecord.SHA256).asText("");
        this.shareCount = summary.path(ShardRecord.STUDENTS).path(ShardRecord.COUNT).asInt(-1);
        this.shareSha = summary.path(ShardRecord.STUDENTS).path(ShardRecord.SHA256).asText("");
        this.gradedCount = summary.path(ShardRecord.GRADED).path(ShardRecord.COUNT).asInt(-1);
        this.gradedSha = summary.path(ShardRecord.GRADED).path(ShardRecord.SHA256).asText("");
        this.notGraded = notGraded;
        this.store = new ResultStore(dir.resolve(BatchGrader.RESULTS));
    }

    /**
     * Reads the output of a shard in {@code dir}.
     *
     * @throws Merge.Refused when it is not a finished shard's output, saying why and what to do
     */
    static ShardOutput open(Path dir) throws Merge.Refused, IOException {
        Path file = dir.resolve(Merge.PROVENANCE);
        if (!Files.isDirectory(dir)) {
            throw new Merge.Refused(dir + " is not a folder (each argument is a shard's --out folder)");
        }
        if (!Files.isRegularFile(file)) {
            throw new Merge.Refused(dir + " has no " + Merge.PROVENANCE + (Files.isDirectory(dir.resolve(
                    BatchGrader.RESULTS)) ? ": its shard has not finished (stopped or killed?); run its grade command "
                    + "again, which keeps what it finished and grades the rest" : ": it is not a shard's output"));
        }
        ObjectNode header = ResultStore.JSON.createObjectNode();
        JsonNode summary = null;
        Set<String> notGraded = new LinkedHashSet<>();
        Shard shard = null;
        try (JsonParser p = ResultStore.JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Merge.Refused(file + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals(ShardRecord.SECTION)) {
                    header.set(name, ResultStore.JSON.readTree(p));
                    continue;
                }
                ObjectNode s = ResultStore.JSON.createObjectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals(ShardRecord.NOT_GRADED)) {
                        for (JsonNode id : ResultStore.JSON.<JsonNode>readTree(p)) {
                            notGraded.add(id.asText());
                        }
                    } else if (field.equals(ShardRecord.CLASS) || field.equals(ShardRecord.STUDENTS)) {
                        s.set(field, withoutLists(p));
                    } else {
                        s.set(field, ResultStore.JSON.readTree(p));
                    }
                }
                summary = s;
                try {
                    shard = new Shard(s.path(ShardRecord.INDEX).asInt(-1), s.path(ShardRecord.COUNT).asInt(-1));
                } catch (IllegalArgumentException e) {
                    throw new Merge.Refused(file + ": the shard section is damaged: " + e.getMessage());
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new Merge.Refused(file + " is not readable JSON: " + e.getOriginalMessage());
        }
        if (summary == null) {
            throw new Merge.Refused(dir + " is the output of a whole-class run, not of a shard (its " + Merge.PROVENANCE
                    + " names no shard): there is nothing to merge it with; grade with --shard I/N to merge");
        }
        return new ShardOutput(dir, header, shard, summary, notGraded);
    }

    /** Reads an object, keeping its scalar fields and skipping its arrays (the long lists of students). */
    private static ObjectNode withoutLists(JsonParser p) throws IOException {
        ObjectNode o = ResultStore.JSON.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken().isStructStart()) {
                p.skipChildren();
            } else {
                o.set(field, ResultStore.JSON.readTree(p));
            }
        }
        return o;
    }

    /** The class this shard cut, in the order one run reports it, read from the file one student at a time. */
    Iterator<Member> classMembers() {
        try {
            JsonParser p = ResultStore.JSON.createParser(dir.resolve(Merge.PROVENANCE).toFile());
            if (!descend(p, ShardRecord.SECTION, ShardRecord.CLASS, ShardRecord.STUDENTS)
                    || p.currentToken() != JsonToken.START_ARRAY) {
                p.close();
                throw new UncheckedIOException(new IOException(dir.resolve(Merge.PROVENANCE) + " lists no class"));
            }
            return new Iterator<>() {
                private JsonToken next = p.nextToken();

                @Override
                public boolean hasNext() {
                    if (next != JsonToken.START_OBJECT) {
                        close();
                    }
                    return next == JsonToken.START_OBJECT;
                }

                @Override
                public Member next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    try {
                        Member m = p.readValueAs(Member.class);
                        next = p.nextToken();
                        return m;
                    } catch (IOException e) {
                        close();
                        throw new UncheckedIOException(e);
                    }
                }

                private void close() {
                    try {
                        p.close();
                    } catch (IOException e) {
                        // nothing was written
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves {@code p} to the value at {@code path}, field by field from the top; false when it is not there. */
    private static boolean descend(JsonParser p, String... path) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        for (int i = 0; i < path.length; i++) {
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(path[i])) {
                    found = true;
                    break;
                }
                if (t.isStructStart()) {
                    p.skipChildren();
                }
            }
            if (!found) {
                return false;
            }
            if (i < path.length - 1 && p.currentToken() != JsonToken.START_OBJECT) {
                return false;
            }
        }
        return true;
    }

    Path dir() {
        return dir;
    }

    /** Every field of the provenance but the shard section. */
    ObjectNode header() {
        return header;
    }

    Shard shard() {
        return shard;
    }

    int classCount() {
        return classCount;
    }

    String classSha() {
        return classSha;
    }

    int shareCount() {
        return shareCount;
    }

    String shareSha() {
        return shareSha;
    }

    int gradedCount() {
        return gradedCount;
    }

    String gradedSha() {
        return gradedSha;
    }

    /** The students of its share it has no result for (the grader failed on them). */
    Set<String> notGraded() {
        return notGraded;
    }

    ResultStore store() {
        return store;
    }

    /** {@code shard 1/4 (path)}, how messages name it. */
    String label() {
        return "shard " + shard + " (" + dir + ")";
    }
}
