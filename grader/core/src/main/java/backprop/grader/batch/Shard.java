package backprop.grader.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One share of a class, {@code I/N}: the students whose id hashes to {@code I} modulo {@code N}. The hash is the
 * SHA-256 of the id's UTF-8 bytes, its first eight bytes read as an unsigned number: it depends on the id alone,
 * never on the order of the class folder or on the JVM ({@code String.hashCode} is neither spread well nor
 * promised), so every student is in exactly one shard and stays there when others join or leave the class.
 *
 * @param index which share, from 0
 * @param count how many shares the class is cut into
 */
public record Shard(int index, int count) {
    /** How a student's shard is chosen, in words, for provenance.json. */
    public static final String RULE = "the first 8 bytes of the SHA-256 of the student id (UTF-8), as an unsigned "
            + "number, modulo the count";

    /** Checks the bounds. */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard is I/N with 0 ≤ I < N, not " + index + "/" + count);
        }
    }

    /** The shard a student belongs to when the class is cut into {@code count} shares. */
    public static int indexOf(String student, int count) {
        byte[] h = Sources.sha256().digest(student.getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(h, 0, Long.BYTES).getLong(), count);
    }

    /** True when {@code student} is in this share. */
    public boolean holds(String student) {
        return indexOf(student, count) == index;
    }

    /** The submissions of {@code found} in this share, in their order. */
    public List<Found> select(List<Found> found) {
        return found.stream().filter(f -> holds(f.id())).toList();
    }

    /** {@code I/N}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d/%d", index, count);
    }

    /**
     * Reads {@code I/N}, with {@code 0 ≤ I < N}.
     *
     * @throws IllegalArgumentException saying what is wrong, naming {@code option}
     */
    public static Shard parse(String text, String option) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + " must be I/N (shard I of N, counting from 0) or auto, not '"
                    + text + "'");
        }
        int i = number(parts[0], option + " " + text);
        int n = number(parts[1], option + " " + text);
        if (n < 1 || i >= n) {
            throw new IllegalArgumentException(option + " " + text + ": the shard must be one of 0 to N-1 of N ≥ 1 "
                    + "shards" + (i == n ? " (shards count from 0: the last of " + n + " is " + (n - 1) + "/" + n + ")"
                            : ""));
        }
        return new Shard(i, n);
    }

    /** A non-negative number, or a message naming {@code what}. */
    static int number(String s, String what) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a whole number ≥ 0");
        }
    }
}
