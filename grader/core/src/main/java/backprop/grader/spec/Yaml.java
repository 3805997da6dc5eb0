package backprop.grader.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML document read with Jackson's streaming parser into a small tree that remembers where every value
 * was written, so that each error and each expected value can be reported by file, line and column, and a value
 * can be replaced in the text without touching anything around it.
 *
 * <p>What an assignment file may not use is refused here, each with one problem at its place: a second document,
 * aliases ({@code *name}), nesting deeper than {@link #MAX_DEPTH}. Scalars are classified so that a field that
 * wants a number can say precisely why a value is not one ({@link Scalar}).
 */
public final class Yaml {
    /** Nothing in an assignment nests deeper than 6 (a number in a row of a checkpoint's matrix); this leaves room. */
    static final int MAX_DEPTH = 10;

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)?(\\.[0-9]*)?([eE][-+]?[0-9]+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("[-+]?\\.(inf|Inf|INF|nan|NaN|NAN)");
    private static final Pattern PROBLEM_MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private Yaml() {}

    /** Where a value's text starts and ends in the file, as character offsets into {@link Source#text()}. */
    public record Span(int start, int end) {}

    /** A value in the tree with its location. */
    public sealed interface Node permits MapNode, ListNode, ScalarNode {
        /** Where the value starts. */
        Location location();

        /** The value's text in the file (for a block collection: from its first entry to the end of its last). */
        Span span();
    }

    /**
     * A mapping; keys keep their order and their own locations.
     *
     * @param flow true when written in braces, {@code {a: 1}}
     */
    public record MapNode(Location location, Span span, boolean flow, Map<String, Node> fields,
            Map<String, Location> keyLocations, Map<String, Span> keySpans) implements Node {}

    /**
     * A sequence.
     *
     * @param flow true when written in brackets, {@code [1, 2]}
     */
    public record ListNode(Location location, Span span, boolean flow, List<Node> items) implements Node {}

    /**
     * A scalar with its text as written (unquoted), what kind of value it is, and its value when it is a number.
     */
    public record ScalarNode(Location location, Span span, String text, Scalar kind, Double number) implements Node {
        /** Returns true for an explicit null ({@code ~}, {@code null} or an empty value). */
        public boolean isNull() {
            return kind == Scalar.NULL;
        }
    }

    /** What a scalar is, as far as a field that wants a number cares. */
    public enum Scalar {
        /** {@code ~}, {@code null} or nothing. */
        NULL,
        /** Plain text (booleans included). */
        TEXT,
        /** Quoted or block text: text even when it looks like a number. */
        QUOTED,
        /** A finite decimal number. */
        NUMBER,
        /** A YAML number that is not plain decimal: hexadecimal, octal, a leading zero, {@code _} separators. */
        NOT_DECIMAL,
        /** {@code .nan}, {@code .inf} or {@code -.inf}: valid YAML, but no value an assignment can use. */
        NOT_FINITE,
        /** A decimal number beyond the range of a double, or one so small that it rounds to 0. */
        OUT_OF_RANGE
    }

    /**
     * Parses the one YAML document of a file.
     *
     * @throws SpecException when the text is not well-formed YAML, repeats a key, holds a second document or an
     *     alias, or nests too deep: one problem, at its place
     */
    public static Node parse(Source src) throws SpecException {
        if (src.text().length() > Source.MAX_BYTES) {
            throw one(new Location(src.file(), 1, 1, ""), "the text is " + src.text().length() + " characters long; "
                    + "an assignment file may be at most " + Source.MAX_BYTES + " bytes");
        }
        try (JsonParser p = FACTORY.createParser(src.text())) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw one(new Location(src.file(), 1, 1, ""), "the file is empty");
            }
            Reading r = new Reading(src, (YAMLParser) p);
            Node root = r.read("", 1);
            if (p.nextToken() != null) {
                int line = r.documentStart(Math.max(1, p.currentTokenLocation().getLineNr()));
                throw one(new Location(src.file(), line, 1, ""), "a second YAML document starts here ('---'): an "
                        + "assignment file holds exactly one; put each assignment in a file of its own");
            }
            return root;
        } catch (JsonProcessingException e) {
            Optional<Location> control = control(src);
            if (control.isPresent() && e.getOriginalMessage() != null
                    && e.getOriginalMessage().contains("special characters are not allowed")) {
                throw one(control.get(), inWords(e));
            }
            throw one(errorLocation(src.file(), e), inWords(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /** Parses YAML text that is already in memory. */
    public static Node parse(Path file, String text) throws SpecException {
        return parse(Source.of(file, text));
    }

    /** Where the first character YAML does not allow is: a control character other than tab and line ends. */
    private static Optional<Location> control(Source src) {
        String t = src.text();
        int line = 1;
        int column = 1;
        for (int i = 0; i < t.length(); i += Character.charCount(t.codePointAt(i))) {
            int c = t.codePointAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == t.length() || t.charAt(i + 1) != '\n')) {
                line++;
                column = 1;
                continue;
            }
            if (c < 0x20 && c != '\t' && c != '\r' || c >= 0x7F && c <= 0x9F && c != 0x85 || c == 0xFFFE
                    || c == 0xFFFF) {
                return Optional.of(new Location(src.file(), line, column, ""));
            }
            column++;
        }
        return Optional.empty();
    }

    private static SpecException one(Location at, String message) {
        return new SpecException(List.of(new Problem(at, message)));
    }

    private static Location errorLocation(Path file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
        int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
        if (isTab(e)) {
            Matcher m = PROBLEM_MARK.matcher(e.getOriginalMessage());
            while (m.find()) { // the last mark is where the tab is
                line = Integer.parseInt(m.group(1));
                col = Integer.parseInt(m.group(2));
            }
        }
        return new Location(file, line, col, "");
    }

    private static boolean isTab(JsonProcessingException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().contains("'\\t(TAB)'");
    }

    /** Says what a parser's complaint means in an author's words, where its own words would puzzle one. */
    private static String inWords(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (isTab(e)) {
            return "a tab character: YAML indents with spaces only, and this reader accepts no tab between values "
                    + "either; replace it with spaces";
        }
        if (m.contains("special characters are not allowed")) {
            return "a control character (such as NUL, BEL or ESC) that YAML does not allow; is this a text file?";
        }
        if (e instanceof StreamConstraintsException) {
            return "a value is larger than the YAML reader accepts (" + m.replaceAll(" \\(from `.*", "") + ")";
        }
        if (m.startsWith("Expected a field name")) {
            return "not valid YAML here: a key must be a single name (a list or a mapping cannot be a key)";
        }
        return "not valid YAML: " + oneLine(m);
    }

    /** Joins a parser's message into one line, dropping the quoted source lines and their ^ markers. */
    static String oneLine(String message) {
        return message.lines().filter(l -> !l.startsWith("    ") && !l.isBlank() && !l.startsWith(" at [Source"))
                .map(l -> l.strip().replace("in 'reader', ", "").replaceAll(":$", ""))
                .reduce((a, b) -> a + (b.startsWith("line ") ? " (" + b + ")" : "; " + b)).orElse("");
    }

    /** Classifies a number the YAML parser recognised. */
    static Scalar classify(String text) {
        String t = text.strip();
        if (NOT_FINITE.matcher(t).matches()) {
            return Scalar.NOT_FINITE;
        }
        if (!DECIMAL.matcher(t).matches() || t.chars().noneMatch(Character::isDigit)) {
            return Scalar.NOT_DECIMAL;
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            return Scalar.OUT_OF_RANGE;
        }
        String mantissa = t.split("[eE]")[0];
        if (v == 0 && mantissa.chars().anyMatch(c -> c >= '1' && c <= '9')) {
            return Scalar.OUT_OF_RANGE; // underflow: the file says something, the double says 0
        }
        return Scalar.NUMBER;
    }

    /** The state of reading one document: the parser, and a cursor turning its code-point offsets into chars. */
    private static final class Reading {
        private final Source src;
        private final YAMLParser p;
        private int codePoints;
        private int chars;

        Reading(Source src, YAMLParser p) {
            this.src = src;
            this.p = p;
        }

        Node read(String path, int depth) throws IOException, SpecException {
            Location here = locate(p.currentTokenLocation(), path);
            if (depth > MAX_DEPTH) {
                throw one(here, "the values here are nested more than " + MAX_DEPTH + " levels deep; nothing in an "
                        + "assignment goes deeper than 6 (a number in a row of a checkpoint's expected matrix)");
            }
            int start = offset(p.currentTokenLocation());
            int end = offset(p.currentLocation());
            boolean flow = end > start && "[{".indexOf(src.text().charAt(end - 1)) >= 0;
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    return mapping(here, path, depth, start, flow);
                }
                case START_ARRAY -> {
                    List<Node> items = new ArrayList<>();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(read(path + "[" + i++ + "]", depth + 1));
                    }
                    int close = flow ? offset(p.currentLocation()) : items.isEmpty() ? start
                            : items.get(items.size() - 1).span().end();
                    return new ListNode(here, new Span(start, close), flow, items);
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    Scalar kind = classify(p.getText());
                    Double v = kind == Scalar.NUMBER ? Double.parseDouble(p.getText().strip()) : null;
                    return new ScalarNode(here, new Span(start, end), p.getText(), kind, v);
                }
                case VALUE_NULL -> {
                    return new ScalarNode(here, new Span(start, end), null, Scalar.NULL, null);
                }
                default -> {
                    if (p.isCurrentAlias()) {
                        throw one(here, "'*" + p.getText() + "' is a YAML alias: anchors and aliases (&name, *name) "
                                + "are not supported in assignment files; write the value out where it is used");
                    }
                    char c = src.text().charAt(start);
                    Scalar kind = c == '"' || c == '\'' || c == '|' || c == '>' ? Scalar.QUOTED : Scalar.TEXT;
                    return new ScalarNode(here, new Span(start, end), p.getText(), kind, null);
                }
            }
        }

        private MapNode mapping(Location here, String path, int depth, int start, boolean flow)
                throws IOException, SpecException {
            Map<String, Node> fields = new LinkedHashMap<>();
            Map<String, Location> keys = new LinkedHashMap<>();
            Map<String, Span> keySpans = new LinkedHashMap<>();
            Node last = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String childPath = path.isEmpty() ? name : path + "." + name;
                Location keyLoc = locate(p.currentTokenLocation(), childPath);
                Span keySpan = new Span(offset(p.currentTokenLocation()), offset(p.currentLocation()));
                if (fields.containsKey(name)) {
                    throw one(keyLoc, "the key '" + name + "' appears twice (first at line "
                            + keys.get(name).line() + ")");
                }
                p.nextToken();
                keys.put(name, keyLoc);
                keySpans.put(name, keySpan);
                last = read(childPath, depth + 1);
                fields.put(name, last);
            }
            int close = flow ? offset(p.currentLocation()) : last == null ? start : last.span().end();
            return new MapNode(here, new Span(start, close), flow, fields, keys, keySpans);
        }

        private Location locate(JsonLocation loc, String path) {
            return new Location(src.file(), Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()), path);
        }

        /** Turns the parser's offset, counted in code points, into one counted in Java chars. */
        private int offset(JsonLocation loc) {
            int target = (int) Math.max(0, loc.getCharOffset());
            if (target < codePoints) {
                codePoints = 0;
                chars = 0;
            }
            String text = src.text();
            while (codePoints < target && chars < text.length()) {
                chars += Character.charCount(text.codePointAt(chars));
                codePoints++;
            }
            return chars;
        }

        /** The line of the {@code ---} that opens the document whose first value is on {@code line}. */
        int documentStart(int line) {
            List<String> lines = src.text().lines().toList();
            for (int l = Math.min(line, lines.size()); l >= 1; l--) {
                if (lines.get(l - 1).startsWith("---")) {
                    return l;
                }
            }
            return line;
        }
    }
}
