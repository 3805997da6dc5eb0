package backprop.grader.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Copying and deleting folders. */
public final class FileTrees {
    private FileTrees() {}

    /**
     * Copies the folders and regular files under {@code from} to the same relative paths under {@code to}. A
     * symbolic link (even {@code from} itself) is copied as a link, never followed, so whoever reads the copy
     * meets it as the original would have.
     */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                    Files.createDirectories(t.toAbsolutePath().getParent());
                    Files.copy(p, t, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /** Deletes a folder and everything in it, as far as it can; a missing folder is fine. */
    public static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the system's temporary-file cleanup
                }
            });
        } catch (IOException e) {
            // left for the system's temporary-file cleanup
        }
    }
}
