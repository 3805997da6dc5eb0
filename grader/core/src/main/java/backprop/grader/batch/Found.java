package backprop.grader.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A submission found in the submissions folder: a folder (a copy of the template, its {@code src/main/java},
 * or a folder holding {@code homework/*.java}) or a {@code .zip} of one.
 *
 * @param id the student id: the roster's, else the folder or file name (without {@code .zip})
 * @param name the student's name from the roster, or ""
 * @param path the folder or zip
 */
public record Found(String id, String name, Path path) {

    /** True for a zip file (a real one, not a link to one). */
    public boolean isZip() {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** The folder or file name. */
    public String source() {
        return path.getFileName().toString();
    }

    /**
     * Lists the submissions in {@code dir}, sorted by name: its non-hidden sub-folders and {@code .zip} files.
     * Other files are ignored; a name the roster does not know is graded under its own name, with a note. A
     * symbolic link that would pass for a submission (to a folder or named {@code .zip}, or dangling) is listed
     * too, so that grading refuses it by name instead of following it or leaving it out unsaid.
     */
    public static List<Found> in(Path dir, Optional<Roster> roster, Consumer<String> note) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such submissions folder: " + dir);
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().equals("__MACOSX"))
                    .filter(Found::looksLikeSubmission).sorted().toList();
        }
        List<Found> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> matched = new HashSet<>();
        for (Path p : entries) {
            String file = p.getFileName().toString();
            String base = zipName(file) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    ? file.substring(0, file.length() - 4) : file;
            String id = base;
            String name = "";
            if (roster.isPresent()) {
                Optional<Roster.Entry> e = roster.get().lookup(file);
                if (e.isPresent()) {
                    id = e.get().id();
                    name = e.get().name();
                    matched.add(e.get().id());
                } else {
                    note.accept("note: " + file + " is not in the roster; graded as '" + base + "'");
                }
            }
            String unique = id;
            for (int k = 2; !ids.add(unique); k++) {
                unique = id + "-" + k;
            }
            if (!unique.equals(id)) {
                note.accept("note: two submissions belong to '" + id + "'; " + file + " is graded as '" + unique + "'");
            }
            out.add(new Found(unique, name, p));
        }
        roster.ifPresent(r -> r.byFolder().values().stream().filter(e -> !matched.contains(e.id()))
                .forEach(e -> note.accept("note: no submission from " + e.id()
                        + (e.name().isEmpty() ? "" : " (" + e.name() + ")"))));
        return out;
    }

    private static boolean zipName(String file) {
        return file.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** A folder, a zip, or a link that points to one, or nowhere (dangling, a loop): looked at, never followed. */
    private static boolean looksLikeSubmission(Path p) {
        String file = p.getFileName().toString();
        if (Files.isSymbolicLink(p)) {
            return zipName(file) || Files.isDirectory(p) || !Files.exists(p);
        }
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                || (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && zipName(file));
    }
}
