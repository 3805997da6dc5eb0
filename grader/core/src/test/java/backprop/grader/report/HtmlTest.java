package backprop.grader.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Escaping for the class page: text, attribute values and anchors, for any string at all. */
class HtmlTest {
    /** Strings that have broken pages: markup, attribute breakouts, entities, URLs, invisible characters. */
    static final List<String> HOSTILE = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "' onmouseover='alert(1)", "</script><script>alert(1)</script>", "javascript:alert(1)", "&amp;lt;",
            "&#x3C;script&#x3E;", "abc\u202Egpj.exe", "zero\u200Bwidth\u200C\u200D\u2060\uFEFF",
            "\u2066isolate\u2069\u200E\u200F", "line\nbreak\rand\ttab", "nul\u0000bell\u0007del\u007F",
            "lone \uD800 surrogate", "\u2028\u2029", "]]><!--", "{{7*7}}${7*7}", "x".repeat(10_000), "");

    /** Undoes the five references {@link Html#escape} writes. */
    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    @Test
    void theFiveCharactersThatEndATextOrAValueBecomeReferences() {
        assertThat(Html.escape("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
        assertThat(Html.escape("&amp;")).isEqualTo("&amp;amp;");
        assertThat(Html.escape(null)).isEmpty();
        assertThat(Html.escape("σ'(z) = σ(z)(1 − σ(z)), Ünïcödé, 日本, 👩‍👩‍👧"))
                .isEqualTo("σ&#39;(z) = σ(z)(1 − σ(z)), Ünïcödé, 日本, 👩[U+200D]👩[U+200D]👧");
    }

    @Test
    void whatWouldNotShowAsItselfIsWrittenAsItsCodePoint() {
        assertThat(Html.escape("abc\u202Egpj.exe")).isEqualTo("abc[U+202E]gpj.exe");
        assertThat(Html.escape("a\u200Bb\uFEFFc\u0000d\u0085e")).isEqualTo("a[U+200B]b[U+FEFF]c[U+0000]d[U+0085]e");
        assertThat(Html.escape("a\uD800b")).isEqualTo("a[U+D800]b");
        assertThat(Html.escape("one\ntwo\r\nthree\tfour")).isEqualTo("one two  three four");
    }

    @Test
    void noStringCanEndATextOrAValueOrHideCharacters() {
        Random random = new Random(12);
        Pattern reference = Pattern.compile("&(amp|lt|gt|quot|#39);");
        int[] alphabet = {'<', '>', '"', '\'', '&', '/', '=', ';', '#', 'a', ' ', '\n', 0, 0x7F, 0x202E, 0x200B,
            0x2066, 0xFEFF, 0xD800, 0xDC00, 0x1F600, 'é'};
        for (int n = 0; n < 5_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                b.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = b.toString();
            String e = Html.escape(s);
            assertThat(e).as(s).doesNotContain("<", ">", "\"", "'", "\n", "\r");
            assertThat(reference.matcher(e).replaceAll("")).as(s).doesNotContain("&");
            assertThat(e.codePoints()).as(s).noneMatch(Html::invisible);
            assertThat(unescape(e)).as("nothing is lost but the invisible").isEqualTo(Html.visible(s));
        }
        HOSTILE.forEach(s -> assertThat(Html.escape(s)).doesNotContain("<", ">", "\"", "'"));
    }

    @Test
    void anAnchorIsSafeAsAnIdAndAFragmentAndTellsEveryValueApart() {
        Map<String, String> seen = new HashMap<>();
        Random random = new Random(7);
        List<String> values = new java.util.ArrayList<>(HOSTILE);
        values.addAll(List.of("a", "A", "a_", "a_61_", "_", "-", "s-x", "students", "a b", "a%20b", "a#b", "ä",
                "a\u0308"));
        for (int n = 0; n < 5_000; n++) {
            values.add(random.ints(random.nextInt(6), 0, 0x250).collect(StringBuilder::new,
                    StringBuilder::appendCodePoint, StringBuilder::append).toString());
        }
        for (String v : values) {
            String a = Html.anchor("s-", v);
            assertThat(a).as(v).matches("s-[A-Za-z0-9_-]*").startsWith("s-");
            String before = seen.put(a, v);
            assertThat(before == null || before.equals(v)).as("%s and %s share the anchor %s", before, v, a).isTrue();
        }
        assertThat(Html.anchor("s-", "bob")).isEqualTo("s-bob");
        assertThat(Html.anchor("s-", "javascript:alert(1)")).isEqualTo("s-javascript_3a_alert_28_1_29_");
    }

    @Test
    void theWriterEscapesEveryValueAndOnlyTakesNamesFromItsCaller() throws Exception {
        StringWriter w = new StringWriter();
        new Html(w).open("td", "title", "\"><script>x</script>").text("<b>&</b>").close("td")
                .element("a", "a'b", "href", "#" + Html.anchor("s-", "\" onclick=\"x"));
        assertThat(w.toString()).isEqualTo("<td title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&lt;b&gt;&amp;"
                + "&lt;/b&gt;</td><a href=\"#s-_22__20_onclick_3d__22_x\">a&#39;b</a>");
        assertThatThrownBy(() -> new Html(new StringWriter()).open("td", "title"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
