package backprop.grader.batch;

import backprop.grader.spec.Spelling;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which submissions of a class one run grades: all of them, or the students named on the command line
 * ({@code grade --only}). The scorecards are rebuilt from every saved result either way, so a run that grades a
 * few students still writes the whole class.
 */
public interface Selection {
    /** The submissions this run grades, in the order they were found. */
    List<Found> pick(List<Found> found);

    /** True when the picked submissions are graded again even where a saved result is still good. */
    boolean regrades();

    /** Every submission; a saved result that is still good is kept. */
    static Selection all() {
        return new Selection() {
            @Override
            public List<Found> pick(List<Found> found) {
                return found;
            }

            @Override
            public boolean regrades() {
                return false;
            }
        };
    }

    /**
     * The named students, graded again: each name is a student id (the roster's) or a submission's folder or zip
     * name.
     *
     * @throws IllegalArgumentException from {@link #pick} for a name that matches no submission, listing the
     *     nearest ones
     */
    static Selection only(Collection<String> names) {
        Set<String> wanted = new LinkedHashSet<>(names);
        return new Selection() {
            @Override
            public List<Found> pick(List<Found> found) {
                List<Found> picked = new ArrayList<>();
                Set<String> unknown = new LinkedHashSet<>(wanted);
                for (Found f : found) {
                    List<String> names = List.of(f.id(), f.source(), folder(f.source()));
                    if (names.stream().anyMatch(wanted::contains)) {
                        picked.add(f);
                        unknown.removeAll(names);
                    }
                }
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException(unknown(unknown, found));
                }
                return picked;
            }

            @Override
            public boolean regrades() {
                return true;
            }
        };
    }

    private static String folder(String source) {
        return source.toLowerCase(Locale.ROOT).endsWith(".zip") ? source.substring(0, source.length() - 4) : source;
    }

    private static String unknown(Set<String> unknown, List<Found> found) {
        Set<String> known = new LinkedHashSet<>();
        found.forEach(f -> {
            known.add(f.id());
            known.add(folder(f.source()));
        });
        List<String> lines = new ArrayList<>();
        for (String name : unknown) {
            List<String> near = Spelling.near(name, known, 3);
            lines.add("no submission of '" + name + "' in the class" + (near.isEmpty() ? ""
                    : " (did you mean " + String.join(" or ", near.stream().map(n -> "'" + n + "'").toList()) + "?)"));
        }
        return String.join("; ", lines);
    }
}
