package backprop.grader.junit;

import backprop.grader.spec.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which public checks a student asked for with {@code -Dcheck=…}: comma-separated patterns matched against the
 * test names ({@code seed-003a › dL/dW2}) and the assignment ids ({@code seed-001} selects all of its checks),
 * with {@code *} for any text and {@code ?} for one character, {@code >} for {@code ›}, ignoring case and spaces.
 * A pattern that starts with {@code !} leaves out what it matches. No pattern selects every check.
 */
final class Selection {
    /** The property a student sets: {@code ./mvnw test -Dcheck='seed-001*'}. */
    static final String PROPERTY = "check";

    private final String text;
    private final List<Glob> include = new ArrayList<>();
    private final List<Glob> exclude = new ArrayList<>();

    private Selection(String text) {
        this.text = text == null ? "" : text.trim();
        for (String part : this.text.split(",")) {
            String p = part.trim();
            if (p.startsWith("!")) {
                exclude.add(new Glob(p.substring(1).trim()));
            } else if (!p.isEmpty()) {
                include.add(new Glob(p));
            }
        }
    }

    /** The selection {@code text} describes; blank selects everything. */
    static Selection of(String text) {
        return new Selection(text);
    }

    /** Everything: no pattern was given. */
    static Selection all() {
        return new Selection("");
    }

    /** Returns true when every check is selected. */
    boolean isAll() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /** The patterns as the student wrote them. */
    String text() {
        return text;
    }

    /** Returns true when check {@code check} of assignment {@code assignment} is selected. */
    boolean selects(String assignment, String check) {
        String name = normal(assignment + "›" + check);
        String id = normal(assignment);
        boolean in = include.isEmpty() || include.stream().anyMatch(g -> g.matches(name) || g.matches(id));
        return in && exclude.stream().noneMatch(g -> g.matches(name) || g.matches(id));
    }

    /**
     * Returns false only when no check of {@code a} can be selected, judged from the assignment id alone, so that
     * an assignment nobody asked for is not graded at all.
     */
    boolean mayGrade(Assignment a) {
        String id = normal(a.id());
        if (exclude.stream().anyMatch(g -> g.matches(id) || g.coversAllOf(id + "›"))) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(g -> g.matches(id) || g.mayMatchStartingWith(id + "›"));
    }

    /** The include patterns that matched none of {@code names} (each {@code assignment › check}). */
    List<String> unmatched(List<String[]> names) {
        List<String> out = new ArrayList<>();
        for (Glob g : include) {
            boolean hit = names.stream().anyMatch(n -> g.matches(normal(n[0] + "›" + n[1])) || g.matches(normal(n[0])));
            if (!hit) {
                out.add(g.source);
            }
        }
        return out;
    }

    /** How a name is compared: lower case, {@code >} read as {@code ›}, without spaces. */
    static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace('>', '›').replaceAll("\\s+", "");
    }

    /** One pattern. */
    private static final class Glob {
        final String source;
        final String normal;
        final Pattern regex;

        Glob(String source) {
            this.source = source;
            this.normal = normal(source);
            StringBuilder r = new StringBuilder();
            for (char c : normal.toCharArray()) {
                r.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            this.regex = Pattern.compile(r.toString(), Pattern.DOTALL);
        }

        boolean matches(String name) {
            return regex.matcher(name).matches();
        }

        /** The literal text before the first wildcard: every name it matches starts with it. */
        private String prefix() {
            int w = 0;
            while (w < normal.length() && normal.charAt(w) != '*' && normal.charAt(w) != '?') {
                w++;
            }
            return normal.substring(0, w);
        }

        /** Returns true when some name starting with {@code start} could match. */
        boolean mayMatchStartingWith(String start) {
            String p = prefix();
            return p.startsWith(start) || start.startsWith(p);
        }

        /** Returns true when every name starting with {@code start} matches ({@code seed-00*}). */
        boolean coversAllOf(String start) {
            String p = prefix();
            return normal.equals(p + "*") && start.startsWith(p);
        }
    }
}
