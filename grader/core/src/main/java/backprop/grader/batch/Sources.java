package backprop.grader.batch;

import backprop.grader.compile.SourceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Getting at a submission's sources: unpacking a zip safely, and hashing a submission. Neither follows a symbolic
 * link: a zip's entries are written as plain files (a link entry is refused by name), and a link in a folder is
 * hashed as its target's name, never read through.
 */
final class Sources {
    /** The most bytes of {@code .java} a zip may unpack to. */
    static final long MAX_ZIP_BYTES = 64L << 20;
    /** The most entries a zip may hold. */
    static final int MAX_ZIP_ENTRIES = 10_000;
    /** The largest central directory read to find link entries. */
    private static final long MAX_DIRECTORY_BYTES = 16L << 20;

    private Sources() {}

    /** A submission that cannot be read: a bad zip, say. It is the submission's fault, not the grader's. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * Unpacks the {@code .java} files of a zip into {@code into}, refusing entries that would land outside it and
     * entries that are symbolic links, and stopping at {@link #MAX_ZIP_BYTES} or {@link #MAX_ZIP_ENTRIES}.
     */
    static void unzip(Path zip, Path into) throws IOException, Unreadable {
        Path root = into.toAbsolutePath().normalize();
        Set<String> links = ZipLinks.names(zip, MAX_DIRECTORY_BYTES);
        long total = 0;
        int count = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (++count > MAX_ZIP_ENTRIES) {
                    throw new Unreadable("the zip has more than " + MAX_ZIP_ENTRIES + " entries");
                }
                if (links.contains(name)) {
                    throw new Unreadable("refused: the zip entry '" + printable(name) + "' is a symbolic link; the "
                            + "grader follows no link in a submission");
                }
                if (e.isDirectory() || !name.endsWith(".java")) {
                    continue;
                }
                Path target;
                try {
                    target = root.resolve(name.replace('\\', '/')).normalize();
                } catch (InvalidPathException x) {
                    throw new Unreadable("the zip entry '" + printable(name) + "' is not a usable file name");
                }
                if (!target.startsWith(root) || name.startsWith("/") || target.equals(root)) {
                    throw new Unreadable("the zip entry '" + printable(name) + "' points outside the zip");
                }
                try {
                    Files.createDirectories(target.getParent());
                    total = copy(z, e, target, total);
                } catch (FileSystemException x) {
                    throw new Unreadable("the zip entry '" + printable(name) + "' cannot be unpacked: "
                            + printable(x.getReason() == null ? x.getClass().getSimpleName() : x.getReason()));
                }
            }
        } catch (ZipException e) {
            throw new Unreadable("not a readable zip file: " + e.getMessage());
        }
    }

    /** Copies one entry to a new file, counting against {@link #MAX_ZIP_BYTES}; returns the new total. */
    private static long copy(ZipFile z, ZipEntry e, Path target, long total) throws IOException, Unreadable {
        long sum = total;
        try (InputStream in = z.getInputStream(e); OutputStream out = Files.newOutputStream(target,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) > 0) {
                sum += n;
                if (sum > MAX_ZIP_BYTES) {
                    throw new Unreadable("the zip's sources are larger than " + (MAX_ZIP_BYTES >> 20) + " MiB");
                }
                out.write(b, 0, n);
            }
        }
        return sum;
    }

    private static String printable(String s) {
        return s.codePoints().limit(200).map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * The SHA-256 of a zip's bytes, or of a folder's {@code .java} and {@code .class} files (paths and contents)
     * and of the names its symbolic links point to. Nothing is read through a link.
     */
    static String hash(Path submission) throws IOException {
        MessageDigest md = sha256();
        BasicFileAttributes top = Files.readAttributes(submission, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (top.isSymbolicLink()) {
            md.update(("link " + Files.readSymbolicLink(submission)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        }
        if (top.isRegularFile()) {
            digest(md, submission);
            return HexFormat.of().formatHex(md.digest());
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(submission)) {
            s.filter(p -> Files.isSymbolicLink(p) || ((p.toString().endsWith(".java")
                    || p.toString().endsWith(".class")) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)))
                    .filter(p -> noSkippedPart(submission.relativize(p)))
                    .sorted().forEach(files::add);
        }
        for (Path f : files) {
            md.update(submission.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            if (Files.isSymbolicLink(f)) {
                md.update(("link " + Files.readSymbolicLink(f)).getBytes(StandardCharsets.UTF_8));
            } else {
                digest(md, f);
            }
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Adds a regular file's bytes to {@code md}, streamed, and without following a link. */
    private static void digest(MessageDigest md, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = new byte[65536];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
        }
    }

    private static boolean noSkippedPart(Path rel) {
        for (Path part : rel) {
            if (SourceFiles.skipped(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The SHA-256 of the grader's own code (its jar, or its class folder in a build), so a new build regrades. */
    static String codeHash() throws IOException {
        try {
            return hash(Path.of(Sources.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(file)));
    }

    /** The SHA-256 of a string. */
    static String sha256(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
