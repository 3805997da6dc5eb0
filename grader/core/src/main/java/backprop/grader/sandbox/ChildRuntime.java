package backprop.grader.sandbox;

import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The Java runtime a child runs on: one that holds the module {@code java.base} alone, so that
 * {@code sun.misc.Unsafe} ({@code jdk.unsupported}), the attach and debugger modules and the rest of the JDK
 * are not there for student code to use. The harness needs nothing else.
 *
 * <p>Best, an image made with {@code jlink} from the grader's own JDK, with its class-data archive: it starts
 * faster than the full JDK. It is made once per JDK and kept in the system's temporary folder, readable by
 * everyone (the children of every slot run it) and writable by no one but its owner, which is checked each
 * time it is used. Where the JDK has no {@code jmods} (a JRE), the grader's own JDK with
 * {@code --limit-modules java.base}, which does the same but starts slower (no class-data archive then).
 *
 * @param home the runtime's folder
 * @param options the options it needs on the child's command line
 * @param jlinked true for the jlinked image
 */
public record ChildRuntime(Path home, List<String> options, boolean jlinked) {
    /** Changes when the way the image is made changes, so that an old image is not reused. */
    private static final String FORMAT = "1";
    private static final String DONE = "backprop-grader-runtime.done";

    /** The launcher. */
    public Path java() {
        return home.resolve("bin/java");
    }

    /** One line for the sandbox's description. */
    public String describe() {
        return jlinked ? "java.base alone (a jlinked runtime)" : "java.base alone (--limit-modules)";
    }

    /**
     * The runtime for children of the JDK at {@code jdk}: the cached image, made now if needed, or the JDK itself
     * limited to {@code java.base}.
     *
     * @param log told why the image could not be used
     */
    public static ChildRuntime of(Path jdk, Consumer<String> log) {
        if (Boolean.getBoolean("grader.child.limitModules")) {
            return limited(jdk);
        }
        try {
            return image(jdk);
        } catch (IOException e) {
            log.accept("note: children run on the JDK with --limit-modules java.base, which starts slower, because "
                    + "no java.base image could be made (" + e.getMessage() + ")");
            return limited(jdk);
        }
    }

    /** The JDK itself, limited to {@code java.base}. */
    static ChildRuntime limited(Path jdk) {
        return new ChildRuntime(jdk, List.of("--limit-modules", "java.base"), false);
    }

    private static ChildRuntime image(Path jdk) throws IOException {
        Path cache = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path home = cache.resolve("backprop-grader-runtime-" + key(jdk));
        if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
            Optional<String> bad = untrusted(home);
            if (bad.isEmpty()) {
                return new ChildRuntime(home, List.of(), true);
            }
            if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getAttribute(home, "unix:uid").equals(ownUid(cache))) {
                throw new IOException(home + " cannot be trusted: " + bad.get());
            }
            FileTrees.delete(home); // ours, but broken (half cleaned away by a temporary-file cleaner): made again
        }
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IOException("jlink is not in "
                + "this JDK"));
        if (!Files.isDirectory(jdk.resolve("jmods"))) {
            throw new IOException("the JDK at " + jdk + " has no jmods folder");
        }
        Path build = Files.createTempDirectory(cache, "backprop-grader-runtime-build-");
        try {
            Path out = build.resolve("image");
            run(jlink, "--add-modules", "java.base", "--output", out.toString(), "--strip-debug", "--no-man-pages",
                    "--no-header-files", "--generate-cds-archive");
            seal(out);
            Files.writeString(out.resolve(DONE), jdk + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(out, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another grader made it at the same time: use theirs, if it is sound
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move the image into " + cache, e);
            }
        } finally {
            FileTrees.delete(build);
        }
        Optional<String> bad = untrusted(home);
        if (bad.isPresent()) {
            throw new IOException(home + " cannot be trusted: " + bad.get());
        }
        return new ChildRuntime(home, List.of(), true);
    }

    private static void run(ToolProvider tool, String... args) throws IOException {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        int code = tool.run(w, w, args);
        w.flush();
        if (code != 0) {
            throw new IOException("jlink failed (" + code + "): " + out.toString().strip().lines().reduce((a, b) -> b)
                    .orElse(""));
        }
    }

    /** Everything readable by all, writable by the owner alone. */
    static void seal(Path image) throws IOException {
        try (Stream<Path> s = Files.walk(image)) {
            for (Path p : s.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                boolean exec = Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /**
     * Why an image found in the shared temporary folder must not be run, if it must not: it is unfinished, or
     * some file in it is a link, belongs to another user or can be written by others.
     */
    static Optional<String> untrusted(Path home) throws IOException {
        return untrusted(home, List.of(DONE, "bin/java", "lib/modules"));
    }

    /**
     * Why a folder of the shared temporary folder must not be used, if it must not: a file of {@code required} is
     * missing, or some file is a link, belongs to another user or can be written by others.
     */
    static Optional<String> untrusted(Path home, List<String> required) throws IOException {
        if (Files.isSymbolicLink(home)) {
            return Optional.of("it is a link");
        }
        for (String f : required) {
            if (!Files.isRegularFile(home.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(f + " is missing");
            }
        }
        Object me = ownUid(home.getParent());
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.toList()) {
                if (Files.isSymbolicLink(p)) {
                    return Optional.of(p + " is a link");
                }
                Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (!owner.equals(me) && !owner.equals(0)) {
                    return Optional.of(p + " belongs to uid " + owner + ", neither root nor this user");
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return Optional.of(p + " can be written by others");
                }
            }
        }
        return Optional.empty();
    }

    private static Object uid;

    /** This process's uid: the owner of a file it creates. */
    static synchronized Object ownUid(Path dir) throws IOException {
        if (uid != null) {
            return uid;
        }
        Path probe = Files.createTempFile(dir, "backprop-grader-uid-", ".tmp");
        try {
            uid = Files.getAttribute(probe, "unix:uid");
            return uid;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The image's name: the JDK's folder and version, and the format. */
    private static String key(Path jdk) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((jdk + "\n" + System.getProperty("java.runtime.version") + "\n" + FORMAT)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
