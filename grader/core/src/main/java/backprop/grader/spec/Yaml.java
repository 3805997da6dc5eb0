package backprop.grader.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's streaming parser into a small tree that remembers where every value
 * was written, so that each error and each expected value can be reported by file, line and column.
 */
public final class Yaml {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private Yaml() {}

    /** A value in the tree with its location. */
    public sealed interface Node permits MapNode, ListNode, ScalarNode {
        /** Where the value starts. */
        Location location();
    }

    /** A mapping; keys keep their order and their own locations. */
    public record MapNode(Location location, Map<String, Node> fields, Map<String, Location> keyLocations)
            implements Node {}

    /** A sequence. */
    public record ListNode(Location location, List<Node> items) implements Node {}

    /** A scalar: {@code number} is set for a YAML number, {@code text} for everything else (null for ~). */
    public record ScalarNode(Location location, String text, Double number) implements Node {
        /** Returns true for an explicit null ({@code ~}, {@code null} or an empty value). */
        public boolean isNull() {
            return text == null && number == null;
        }
    }

    /**
     * Parses one YAML document.
     *
     * @throws SpecException when the text is not well-formed YAML or repeats a key
     */
    public static Node parse(Path file, Reader reader) throws SpecException, IOException {
        try (JsonParser p = FACTORY.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SpecException(List.of(new Problem(new Location(file, 1, 1, ""), "the file is empty")));
            }
            return read(p, file, "");
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            throw new SpecException(List.of(new Problem(new Location(file, line, col, ""),
                    "not valid YAML: " + oneLine(e.getOriginalMessage()))));
        }
    }

    /** Joins a parser's message into one line, dropping the quoted source lines and their ^ markers. */
    static String oneLine(String message) {
        return message.lines().filter(l -> !l.startsWith("    ") && !l.isBlank() && !l.startsWith(" at [Source"))
                .map(l -> l.strip().replace("in 'reader', ", "").replaceAll(":$", ""))
                .reduce((a, b) -> a + (b.startsWith("line ") ? " (" + b + ")" : "; " + b)).orElse("");
    }

    private static Node read(JsonParser p, Path file, String path) throws IOException, SpecException {
        Location here = locate(p, file, path);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                Map<String, Location> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    Location keyLoc = locate(p, file, childPath);
                    if (fields.containsKey(name)) {
                        throw new SpecException(List.of(new Problem(keyLoc,
                                "the key '" + name + "' appears twice (first at line "
                                        + keys.get(name).line() + ")")));
                    }
                    p.nextToken();
                    keys.put(name, keyLoc);
                    fields.put(name, read(p, file, childPath));
                }
                return new MapNode(here, fields, keys);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, file, path + "[" + i++ + "]"));
                }
                return new ListNode(here, items);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new ScalarNode(here, p.getText(), p.getDoubleValue());
            }
            case VALUE_NULL -> {
                return new ScalarNode(here, null, null);
            }
            default -> {
                return new ScalarNode(here, p.getText(), null);
            }
        }
    }

    private static Location locate(JsonParser p, Path file, String path) {
        JsonLocation loc = p.currentTokenLocation();
        return new Location(file, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()), path);
    }
}
