package backprop.grader.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether shards were graded alike, so that their rows are rows of one run: the same grader (version and code),
 * reference, assignment files, limits that change grades (wall and CPU time, heap, stack, threads, output, file
 * size, compile time), count of shards and class. Every difference is named with the shards on each side.
 */
final class MergeAgreement {
    private MergeAgreement() {}

    /** One thing every shard must agree on: its name, and how to read it off a shard. */
    private record Field(String name, Function<ShardOutput, String> value) {}

    private static final List<Field> FIELDS = List.of(
            new Field("grader version", s -> s.header().path(Provenance.GRADER).asText("")),
            new Field("grader code (SHA-256)", s -> s.header().path(Provenance.GRADER_CODE).asText("")),
            new Field("reference solution (SHA-256)", s -> s.header().path("reference_sha256").asText("")),
            new Field("assignment files", s -> String.join(", ", assignmentIds(s))),
            new Field("limits", s -> s.header().path("sandbox").path("limits").asText("")),
            new Field("compile time limit (s)", s -> s.header().path("options").path("compile_timeout_s").asText("")),
            new Field("count of shards", s -> Integer.toString(s.shard().count())),
            new Field("class (students, SHA-256 of ids, names and submissions)",
                    s -> s.classCount() + " students, " + s.classSha()));

    /**
     * Refuses shards that disagree on anything that changes a grade or the class.
     *
     * @throws Merge.Refused naming each difference and the shards on each side
     */
    static void check(List<ShardOutput> shards) throws Merge.Refused {
        List<String> differences = new ArrayList<>();
        for (Field f : FIELDS) {
            differ(f.name(), shards, f.value()).ifPresent(differences::add);
        }
        Set<String> ids = new LinkedHashSet<>();
        shards.forEach(s -> ids.addAll(assignmentIds(s)));
        for (String id : ids) {
            differ("assignment " + id + " (SHA-256 of its file)", shards, s -> assignment(s, id)
                    .map(a -> a.path("sha256").asText("")).orElse("(none)")).ifPresent(differences::add);
        }
        if (!differences.isEmpty()) {
            throw new Merge.Refused("the shards were not graded alike, so their rows are not those of one run:\n  "
                    + String.join("\n  ", differences) + "\nGrade every shard of a class with the same grader, "
                    + "reference, assignment files, limits and --shard count, over the same class folder and roster.");
        }
    }

    /** A line naming each value and the shards that have it, when not all have the same. */
    private static Optional<String> differ(String what, List<ShardOutput> shards,
            Function<ShardOutput, String> value) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (ShardOutput s : shards) {
            byValue.computeIfAbsent(value.apply(s), v -> new ArrayList<>()).add(s.label());
        }
        if (byValue.size() < 2) {
            return Optional.empty();
        }
        List<String> sides = new ArrayList<>();
        byValue.forEach((v, who) -> sides.add("'" + v + "' in " + String.join(", ", who)));
        return Optional.of(what + " differ: " + String.join("; ", sides));
    }

    static List<String> assignmentIds(ShardOutput s) {
        List<String> ids = new ArrayList<>();
        s.header().path("assignments").forEach(a -> ids.add(a.path("id").asText("")));
        return ids;
    }

    private static Optional<JsonNode> assignment(ShardOutput s, String id) {
        for (JsonNode a : s.header().path("assignments")) {
            if (a.path("id").asText("").equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
