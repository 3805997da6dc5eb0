package backprop.grader.batch;

import backprop.grader.submission.Submission;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Getting at a submission's Java sources: unpacking a zip safely, finding the source root, hashing them. */
final class Sources {
    /** Folders never searched for sources nor hashed. */
    static final long MAX_ZIP_BYTES = 64L << 20;
    static final int MAX_ZIP_ENTRIES = 10_000;

    private Sources() {}

    /** A submission that cannot be read: a bad zip, say. It is the submission's fault, not the grader's. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * Unpacks the {@code .java} files of a zip into {@code into}, refusing entries that would land outside it,
     * and stopping at {@link #MAX_ZIP_BYTES} or {@link #MAX_ZIP_ENTRIES}.
     */
    static void unzip(Path zip, Path into) throws IOException, Unreadable {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        int count = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (++count > MAX_ZIP_ENTRIES) {
                    throw new Unreadable("the zip has more than " + MAX_ZIP_ENTRIES + " entries");
                }
                if (e.isDirectory() || !e.getName().endsWith(".java")) {
                    continue;
                }
                Path target = root.resolve(e.getName().replace('\\', '/')).normalize();
                if (!target.startsWith(root) || e.getName().startsWith("/")) {
                    throw new Unreadable("the zip entry '" + e.getName() + "' points outside the zip");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                    byte[] b = new byte[8192];
                    int n;
                    while ((n = in.read(b)) > 0) {
                        total += n;
                        if (total > MAX_ZIP_BYTES) {
                            throw new Unreadable("the zip's sources are larger than " + (MAX_ZIP_BYTES >> 20) + " MiB");
                        }
                        out.write(b, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw new Unreadable("not a readable zip file: " + e.getMessage());
        }
    }

    /**
     * The folder to compile: {@code src/main/java} when there is one, the folder itself when it holds
     * {@code homework/} or {@code .java} files, else its only sub-folder (a zip of a folder), looked at the same
     * way, a few levels down.
     */
    static Path root(Path dir) throws IOException {
        return Submission.sourceRoot(dir);
    }

    /** The SHA-256 of a zip's bytes, or of a folder's {@code .java} and {@code .class} files (paths and contents). */
    static String hash(Path submission) throws IOException {
        MessageDigest md = sha256();
        if (Files.isRegularFile(submission)) {
            try (InputStream in = Files.newInputStream(submission)) {
                byte[] b = new byte[65536];
                int n;
                while ((n = in.read(b)) > 0) {
                    md.update(b, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(submission)) {
            s.filter(p -> (p.toString().endsWith(".java") || p.toString().endsWith(".class")) && Files.isRegularFile(p))
                    .filter(p -> noSkippedPart(submission.relativize(p)))
                    .sorted().forEach(files::add);
        }
        for (Path f : files) {
            md.update(submission.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Files.readAllBytes(f));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static boolean noSkippedPart(Path rel) {
        for (Path part : rel) {
            if (Submission.skipped(part.toString())) {
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
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
