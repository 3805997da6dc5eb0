package backprop.grader.batch;

import backprop.grader.roster.Roster;
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
     *
     * @throws IOException when {@code dir} is not a folder, or holds no submission (a class of none is a wrong
     *     path far more often than a class, so it stops the run rather than write empty scorecards)
     */
    public static List<Found> in(Path dir, Optional<Roster> roster, Consumer<String> note) throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new IOException(dir + " is a file, not a folder of submissions (a folder holding one sub-folder "
                    + "or .zip per student" + (dir.toString().toLowerCase(Locale.ROOT).endsWith(".zip")
                            ? "; to grade the class in this zip, unpack it first)" : ")"));
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such submissions folder: " + dir);
        }
        List<Path> listed;
        try (Stream<Path> s = Files.list(dir)) {
            listed = s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().equals("__MACOSX")).sorted().toList();
        }
        List<Path> entries = listed.stream().filter(Found::looksLikeSubmission).toList();
        if (entries.isEmpty()) {
            throw new IOException(empty(dir, listed.stream().map(p -> p.getFileName().toString()).toList()));
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

    /** Why a folder holds no submission, from the files it does hold. */
    private static String empty(Path dir, List<String> others) {
        String why = "no submissions in " + dir + ": a class folder holds one sub-folder or .zip per student";
        if (others.isEmpty()) {
            return why + ", and it is empty";
        }
        String listed = String.join(", ", others.subList(0, Math.min(5, others.size())))
                + (others.size() > 5 ? ", …" : "");
        boolean sources = others.stream().anyMatch(n -> n.endsWith(".java"));
        return why + ", and it holds only " + others.size() + " other file(s): " + listed
                + (sources ? " (one submission's sources? grade it with: grader check --submission " + dir + ")" : "");
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
