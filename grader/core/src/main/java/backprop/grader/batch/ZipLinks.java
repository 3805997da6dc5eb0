package backprop.grader.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The entries of a zip that are Unix symbolic links, read from its central directory (the file type in the
 * high half of an entry's external attributes, when the entry was made on Unix). Java's zip reader exposes no
 * such thing and would unpack a link as a plain file holding the target's name, which is safe but compiles to a
 * puzzling error; this lets the grader refuse the link by name instead. A zip this reader cannot make sense of
 * yields no names: {@link java.util.zip.ZipFile} then judges it.
 */
final class ZipLinks {
    private static final int END = 0x06054b50;
    private static final int END64_LOCATOR = 0x07064b50;
    private static final int END64 = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int UNIX = 3;
    private static final int TYPE_MASK = 0170000;
    private static final int LINK = 0120000;

    private ZipLinks() {}

    /** The names of the link entries of {@code zip}, whose central directory may be at most {@code maxBytes}. */
    static Set<String> names(Path zip, long maxBytes) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(zip, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 22 + 0xffff);
            ByteBuffer b = read(ch, size - tail, tail);
            int end = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (b.getInt(i) == END) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                return Set.of();
            }
            long dirSize = b.getInt(end + 12) & 0xffffffffL;
            long dirOffset = b.getInt(end + 16) & 0xffffffffL;
            boolean zip64 = dirSize == 0xffffffffL || dirOffset == 0xffffffffL;
            if (zip64 && end >= 20 && b.getInt(end - 20) == END64_LOCATOR) {
                ByteBuffer z = read(ch, b.getLong(end - 20 + 8), 56);
                if (z.getInt(0) != END64) {
                    return Set.of();
                }
                dirSize = z.getLong(40);
                dirOffset = z.getLong(48);
            }
            if (dirSize > maxBytes || dirOffset < 0 || dirOffset + dirSize > size) {
                return Set.of();
            }
            return links(read(ch, dirOffset, (int) dirSize));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Set.of(); // offsets that point nowhere: not a zip this reader understands
        }
    }

    private static Set<String> links(ByteBuffer dir) {
        Set<String> out = new HashSet<>();
        int at = 0;
        while (at + 46 <= dir.limit() && dir.getInt(at) == CENTRAL) {
            int madeBy = (dir.getShort(at + 4) & 0xffff) >> 8;
            int nameLength = dir.getShort(at + 28) & 0xffff;
            int extraLength = dir.getShort(at + 30) & 0xffff;
            int commentLength = dir.getShort(at + 32) & 0xffff;
            int mode = dir.getInt(at + 38) >>> 16;
            if (at + 46 + nameLength > dir.limit()) {
                break;
            }
            if (madeBy == UNIX && (mode & TYPE_MASK) == LINK) {
                byte[] name = new byte[nameLength];
                dir.get(at + 46, name);
                out.add(new String(name, StandardCharsets.UTF_8));
            }
            at += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    private static ByteBuffer read(SeekableByteChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(position);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // read until full or the end
        }
        b.flip();
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
