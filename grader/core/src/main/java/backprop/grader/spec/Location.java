package backprop.grader.spec;

import java.nio.file.Path;

/**
 * Where something sits in an assignment file: file, line and column (both from 1), and the field path
 * such as {@code checkpoints[3].expected}.
 */
public record Location(Path file, int line, int column, String path) {

    /** Returns the same place with a different field path. */
    public Location at(String fieldPath) {
        return new Location(file, line, column, fieldPath);
    }

    /** Formats as {@code file:line:column} followed by the field path when there is one. */
    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column;
        return path == null || path.isEmpty() ? where : where + " (" + path + ")";
    }
}
