package backprop.grader.batch;

import backprop.grader.roster.Roster;
import java.io.IOException;
import java.nio.file.Files;
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

    /** True for a zip file. */
    public boolean isZip() {
        return Files.isRegularFile(path);
    }

    /** The folder or file name. */
    public String source() {
        return path.getFileName().toString();
    }

    /**
     * Lists the submissions in {@code dir}, sorted by name: its non-hidden sub-folders and {@code .zip} files.
     * Other files are ignored; a name the roster does not know is graded under its own name, with a note.
     */
    public static List<Found> in(Path dir, Optional<Roster> roster, Consumer<String> note) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such submissions folder: " + dir);
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().equals("__MACOSX"))
                    .filter(p -> Files.isDirectory(p) || (Files.isRegularFile(p)
                            && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")))
                    .sorted().toList();
        }
        List<Found> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> matched = new HashSet<>();
        for (Path p : entries) {
            String file = p.getFileName().toString();
            String base = Files.isDirectory(p) ? file : file.substring(0, file.length() - 4);
            String id = base;
            String name = "";
            if (roster.isPresent()) {
                Optional<Roster.Entry> e = roster.get().byFolder(file);
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
        roster.ifPresent(r -> r.students().stream().filter(e -> !matched.contains(e.id()))
                .forEach(e -> note.accept("note: no submission from " + e.id()
                        + (e.name().isEmpty() ? "" : " (" + e.name() + ")"))));
        return out;
    }
}
