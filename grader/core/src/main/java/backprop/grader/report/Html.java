package backprop.grader.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Writes HTML in which nothing read from a submission can become markup. Text and attribute values always go
 * through {@link #escape}; ids, and the fragments that link to them, through {@link #anchor}; tag and attribute
 * names, and the writer's own markup, are constants of the code that calls it. No value is ever written into a
 * script, a style, an event handler or a URL other than a {@code #fragment}.
 */
final class Html {
    private final Writer w;

    Html(Writer w) {
        this.w = w;
    }

    /**
     * Escapes {@code s} for HTML text and for a double- or single-quoted attribute value: the five characters
     * that can end a text or a value ({@code & < > " '}) become references, and every character that would be
     * invisible or move other text about (controls, bidirectional overrides and isolates, zero-width characters,
     * line and paragraph separators, a lone surrogate) is shown as its code point, {@code [U+202E]}, so what
     * shows on screen is all there is. Line breaks and tabs become spaces.
     */
    static String escape(String s) {
        String v = visible(s);
        StringBuilder out = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code s} with every character that would not show as itself written as its code point ({@code [U+202E]})
     * and line breaks and tabs as spaces; the first step of every escaping, for HTML and for Markdown alike.
     */
    static String visible(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                out.append(' ');
            } else if (invisible(cp)) {
                out.append(String.format(Locale.ROOT, "[U+%04X]", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** True for a code point that would not show as itself: controls, format characters, separators, surrogates. */
    static boolean invisible(int cp) {
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
                || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * An id made from {@code s}, safe as an {@code id} attribute and as a URL fragment as it is: letters, digits
     * and {@code -} stay, every other code point becomes {@code _hex_}. Different values give different ids (no
     * {@code _} is ever kept, so the encoding reads back one way only), and a fragment that starts with {@code #}
     * can never be a {@code javascript:} or any other URL.
     *
     * @param prefix a constant that keeps these ids apart from the page's own
     */
    static String anchor(String prefix, String s) {
        StringBuilder out = new StringBuilder(prefix);
        s.codePoints().forEach(cp -> {
            if (cp < 128 && (Character.isLetterOrDigit(cp) || cp == '-')) {
                out.append((char) cp);
            } else {
                out.append('_').append(Integer.toHexString(cp)).append('_');
            }
        });
        return out.toString();
    }

    /** Writes markup of the caller's own (a constant); never a value. */
    Html raw(String markup) throws IOException {
        w.write(markup);
        return this;
    }

    /** Writes a value as text. */
    Html text(String value) throws IOException {
        w.write(escape(value));
        return this;
    }

    /**
     * Opens a tag: {@code attributes} are name, value pairs; names are the caller's constants, values are
     * escaped and double-quoted.
     */
    Html open(String tag, String... attributes) throws IOException {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs: " + tag);
        }
        w.write('<');
        w.write(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            w.write(' ');
            w.write(attributes[i]);
            w.write("=\"");
            w.write(escape(attributes[i + 1]));
            w.write('"');
        }
        w.write('>');
        return this;
    }

    /** Closes a tag. */
    Html close(String tag) throws IOException {
        w.write("</");
        w.write(tag);
        w.write('>');
        return this;
    }

    /** An element holding one text: {@code <tag attributes>value</tag>}. */
    Html element(String tag, String value, String... attributes) throws IOException {
        return open(tag, attributes).text(value).close(tag);
    }

    /** Ends a line of the page's source, to keep it readable. */
    Html nl() throws IOException {
        w.write('\n');
        return this;
    }
}
