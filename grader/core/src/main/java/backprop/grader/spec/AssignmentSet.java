package backprop.grader.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The assignment files under some paths, read and checked one by one: a bad file is reported and skipped, and
 * the others are still loaded.
 *
 * @param assignments the files that were read without problems, in path order
 * @param problems every problem found, file by file
 */
public record AssignmentSet(List<Assignment> assignments, List<Problem> problems) {

    /** Reads every {@code .yaml} or {@code .yml} file under the given files or folders. */
    public static AssignmentSet load(List<Path> paths) throws IOException {
        List<Assignment> ok = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Assignment> byId = new HashMap<>();
        List<Path> files = files(paths);
        // The reader keeps no state between files, so they are read on every core: a student's mvn test reads all
        // of them in a JVM that has not warmed up, where reading costs more than grading most of them.
        List<Read> read = files.parallelStream().map(AssignmentSet::readOrProblems).toList();
        for (int i = 0; i < files.size(); i++) {
            if (read.get(i).problems() != null) {
                problems.addAll(read.get(i).problems().problems());
                continue;
            }
            Assignment a = read.get(i).assignment();
            Assignment other = byId.putIfAbsent(a.id(), a);
            if (other != null) {
                problems.add(new Problem(new Location(files.get(i), 1, 1, "id"), "the id '" + a.id()
                        + "' is already used by " + other.file()));
                continue;
            }
            ok.add(a);
        }
        return new AssignmentSet(List.copyOf(ok), List.copyOf(problems));
    }

    /** One file read: its assignment, or else what is wrong with it. */
    private record Read(Assignment assignment, SpecException problems) {}

    private static Read readOrProblems(Path file) {
        try {
            return new Read(read(file), null);
        } catch (SpecException e) {
            return new Read(null, e);
        }
    }

    /**
     * Reads one file and never throws anything but a {@link SpecException}: a file that cannot be read, or that
     * makes the reader fail or run out of memory, is a problem of that file, so the files after it are still read.
     */
    public static Assignment read(Path file) throws SpecException {
        try {
            return AssignmentReader.read(file);
        } catch (IOException e) {
            throw failed(file, "cannot read this file: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw failed(file, "could not be read: the grader ran out of memory on it");
        } catch (StackOverflowError e) {
            throw failed(file, "could not be read: the grader ran out of stack on it");
        } catch (RuntimeException e) {
            throw failed(file, "could not be read: the grader failed on it (" + e + "); please report this");
        }
    }

    /** A problem for a whole file. */
    public static SpecException failed(Path file, String why) {
        return new SpecException(List.of(new Problem(new Location(file, 1, 1, ""), why)));
    }

    /** Lists the assignment files under the given paths, sorted. */
    public static List<Path> files(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(AssignmentSet::isAssignmentFile).sorted().forEach(out::add);
                }
            } else if (Files.exists(p)) {
                out.add(p);
            } else {
                throw new IOException("no such file or folder: " + p);
            }
        }
        return out;
    }

    private static boolean isAssignmentFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
    }
}
