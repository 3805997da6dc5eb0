package backprop.grader.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Near matches for a misspelt name: an assignment field, a roster column, a student id. */
public final class Spelling {
    private Spelling() {}

    /**
     * The candidates close to {@code word}, closest first (ties in the candidates' order), at most {@code limit}:
     * those within two edits (one for a two-letter word), ignoring case, and those of three or more characters
     * that contain {@code word} or are contained in it (a shortened or lengthened name).
     */
    public static List<String> near(String word, Collection<String> candidates, int limit) {
        String w = word.toLowerCase(Locale.ROOT);
        record Scored(String candidate, int distance, int order) {}
        List<Scored> close = new ArrayList<>();
        int order = 0;
        for (String c : candidates) {
            String l = c.toLowerCase(Locale.ROOT);
            int d = distance(w, l);
            boolean part = Math.min(w.length(), l.length()) >= 3 && (l.contains(w) || w.contains(l));
            if (d <= Math.min(2, w.length() - 1) || part) {
                close.add(new Scored(c, d, order));
            }
            order++;
        }
        return close.stream().sorted(Comparator.comparingInt(Scored::distance).thenComparingInt(Scored::order))
                .limit(limit).map(Scored::candidate).distinct().toList();
    }

    /** {@code " (did you mean 'x'?)"} for the closest candidate within two edits, else "". */
    public static String suggest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** The Levenshtein distance: insertions, deletions and substitutions of one character each. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
