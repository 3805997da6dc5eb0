package backprop.grader.sandbox;

import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive for the child's JVM: the JDK classes a child loads and the harness's own classes,
 * parsed, verified and laid out once, then mapped read-only by every child, which therefore starts without
 * loading them from the runtime's {@code modules} file and the harness jar.
 *
 * <p>An archive names the class path it was made with, and the JVM uses none of it when a jar on that path differs
 * in name, size or time of change (a JDK 17 archive cannot be moved). So the archive comes with a copy of the
 * harness jar of its own, which children run in place of the grader's, and it is made for the path a child sees
 * that copy at: {@code /grader/harness.jar} under bubblewrap and the uid mechanism (the archive is then made under
 * bubblewrap, in the same view), the copy's own path for a plain child. Both are kept in the system's temporary
 * folder beside the runtime, in a folder named after the runtime, the harness jar's SHA-256 and the path, so a
 * grader built anew makes a new archive and every child of every run of the same build reuses the old one. They are
 * sealed as the runtime is, and checked the same way before use.
 *
 * <p>Children run with {@code -Xshare:auto}: an archive the JVM cannot use (damaged, stale, made by another JVM)
 * only costs them the speed-up; they then run on no archive at all.
 *
 * @param jar the archive's own copy of the harness jar, as the grader sees it
 * @param archive the archive file, as the grader sees it
 * @param viewed true when made for a child's view ({@link View#HARNESS}), false for a plain child
 */
public record ChildArchive(Path jar, Path archive, boolean viewed) {
    /** Where the archive appears in a child's view. */
    static final String VIEW_ARCHIVE = "/grader/child.jsa";
    /** Changes when the way an archive is made changes, so that an old one is not reused. */
    private static final String FORMAT = "1";
    private static final String JAR = "harness.jar";
    private static final String PREFIX = "backprop-grader-cds-";
    private static final long DAY = 24L * 3600 * 1000;
    /** A fixed time of change for the copy: the archive records it, and the JVM compares it. */
    private static final FileTime JAR_TIME = FileTime.fromMillis(946_684_800_000L);

    /** The options that make a child's JVM map this archive, or run without one if it cannot. */
    List<String> options() {
        return List.of("-XX:SharedArchiveFile=" + (viewed ? VIEW_ARCHIVE : archive.toString()), "-Xshare:auto");
    }

    /** The harness jar's path on the child's command line. */
    String classPath() {
        return viewed ? View.HARNESS : jar.toString();
    }

    /**
     * The archive for children of {@code runtime} running {@code harness}, made now if it is not in the cache;
     * empty, with a note to {@code log}, when none can be made here (no jlinked runtime; no bubblewrap to make one
     * for a child's view).
     *
     * @param viewed true for children that see the harness at {@link View#HARNESS}
     */
    static Optional<ChildArchive> of(HostTools tools, ChildRuntime runtime, Path harness, boolean viewed,
            Consumer<String> log) {
        if (!runtime.jlinked()) {
            return Optional.empty(); // the JDK limited to java.base: its own archive does not apply either
        }
        Path cache = runtime.home().toAbsolutePath().getParent();
        try {
            ChildArchive a = make(tools, runtime, harness, viewed, cache);
            try {
                Files.setLastModifiedTime(a.archive().getParent(), FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException e) {
                // another user's (root's) folder: its owner marks it
            }
            sweep(cache, a.archive().getParent());
            return Optional.of(a);
        } catch (IOException e) {
            log.accept("note: children start without a class-data archive of the harness (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** As {@link #of}, with the cache in {@code cache}; fails with the reason when none can be made. */
    static ChildArchive make(HostTools tools, ChildRuntime runtime, Path harness, boolean viewed, Path cache)
            throws IOException {
        return make(tools, runtime, harness, viewed, cache, Optional.empty());
    }

    /**
     * A job and the classes of a submission that traces it: a training run on them lists the classes and lambdas
     * a real child loads, where a run that answers a probe lists only those it loads to start.
     *
     * @param classes the compiled submission (its own classes are never archived)
     * @param job what it traces
     */
    public record Training(Path classes, Codec.Job job) {}

    /**
     * {@code sb} with its children mapping an archive made from a training run on {@code training} (or on a probe)
     * in the cache folder {@code cache}: for benchmarks that weigh the two. The cache folder is named after the
     * harness alone, so give each kind a cache of its own.
     */
    public static Sandbox trained(Sandbox sb, Path cache, Optional<Training> training) throws IOException {
        return sb.withArchive(make(sb.tools(), sb.runtime(), sb.harness(), sb.mechanism() != Sandbox.Mechanism.PLAIN,
                cache, training));
    }

    private static ChildArchive make(HostTools tools, ChildRuntime runtime, Path harness, boolean viewed, Path cache,
            Optional<Training> training) throws IOException {
        if (viewed && tools.bwrap().isEmpty()) {
            throw new IOException("an archive for a child's view is made under bubblewrap, which is not installed");
        }
        Path folder = folder(runtime, harness, cache);
        Path jar = folder.resolve(JAR);
        Path archive = folder.resolve(viewed ? "view.jsa" : "plain.jsa");
        if (!Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
            Path tmp = Files.createTempFile(folder, "build-", ".tmp");
            try {
                Path list = Files.createTempFile(folder, "classes-", ".tmp");
                try {
                    Files.write(list, classList(runtime, jar, training));
                    dump(tools, runtime, jar, list, tmp, viewed);
                } finally {
                    Files.deleteIfExists(list);
                }
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                // another grader may have made the same archive meanwhile: either one serves
                Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        Optional<String> bad = ChildRuntime.untrusted(folder, List.of(JAR, archive.getFileName().toString()));
        if (bad.isPresent()) {
            throw new IOException(folder + " cannot be trusted: " + bad.get());
        }
        return new ChildArchive(jar, archive, viewed);
    }

    /**
     * Deletes the archives of other grader builds that no grader of this user has used for a week (each use marks
     * its folder), and builds abandoned for a day: a rebuilt grader would otherwise leave 12 MiB behind each time.
     * A grader still running an old build marks its folder when it starts, so none is taken from under it.
     */
    static void sweep(Path cache, Path keep) {
        long now = System.currentTimeMillis();
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith(PREFIX) && !f.equals(keep)).toList()) {
                long age = now - Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                boolean build = p.getFileName().toString().startsWith(PREFIX + "build-");
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && age > (build ? DAY : 7 * DAY)
                        && Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(ChildRuntime.ownUid(
                                cache))) {
                    FileTrees.delete(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // sweeping is housekeeping: an old archive left behind costs disk space, never a grading
        }
    }

    /**
     * The cache folder of this runtime and harness, holding the copy of the jar: made now (in a folder of its own,
     * then moved into place whole) if it is not there, made again if it is ours but unsound.
     */
    private static Path folder(ChildRuntime runtime, Path harness, Path cache) throws IOException {
        byte[] bytes = Files.readAllBytes(harness);
        Path folder = cache.resolve(PREFIX + key(runtime, bytes));
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Optional<String> bad = ChildRuntime.untrusted(folder, List.of(JAR));
            if (bad.isEmpty()) {
                return folder;
            }
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getAttribute(folder, "unix:uid").equals(ChildRuntime.ownUid(cache))) {
                throw new IOException(folder + " cannot be trusted: " + bad.get());
            }
            FileTrees.delete(folder);
        }
        Path build = Files.createTempDirectory(cache, PREFIX + "build-");
        try {
            Path jar = build.resolve(JAR);
            Files.write(jar, bytes);
            Files.setLastModifiedTime(jar, JAR_TIME);
            ChildRuntime.seal(build);
            try {
                Files.move(build, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another grader made it at the same time: use theirs, if it is sound
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move the archive's folder into " + cache, e);
            }
        } finally {
            FileTrees.delete(build);
        }
        return folder;
    }

    /**
     * The classes to archive: the runtime's own list (what any JVM loads to start), what the harness loads to
     * start and read its job (found by a run of it that writes the list), and every class of the harness jar,
     * since a submission's assignments reach most of the engine.
     */
    static List<String> classList(ChildRuntime runtime, Path jar, Optional<Training> training) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Path own = runtime.home().resolve("lib/classlist");
        if (Files.isRegularFile(own)) {
            Files.readAllLines(own, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#"))
                    .forEach(names::add);
        }
        Set<String> harness = new LinkedHashSet<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length())).forEach(harness::add);
        }
        for (String line : training(runtime, jar, training)) {
            if (ours(line, harness)) {
                names.add(line);
            }
        }
        names.addAll(harness);
        return new ArrayList<>(names);
    }

    /**
     * True for a line of a training run's list that names a class of the JDK or the harness, or a lambda made in
     * one: the submission's own classes (loaded by a loader of its own) are never archived.
     */
    private static boolean ours(String line, Set<String> harness) {
        String[] words = line.split(" ");
        String name = line.startsWith("@lambda-proxy ") && words.length > 1 ? words[1]
                : line.startsWith("@") ? "java/" : words[0];
        return !line.contains(" source: ") && (harness.contains(name) || name.startsWith("java/")
                || name.startsWith("jdk/") || name.startsWith("sun/"));
    }

    /** The classes the harness loads to trace the training job or answer a probe, as the JVM lists them. */
    private static List<String> training(ChildRuntime runtime, Path jar, Optional<Training> training)
            throws IOException {
        Path dir = Files.createTempDirectory(jar.getParent(), "training-");
        try {
            Path list = dir.resolve("loaded.lst");
            Path classes = Files.createDirectories(dir.resolve("classes"));
            List<String> cmd = new ArrayList<>(List.of(runtime.java().toString(), "-Xshare:auto",
                    "-XX:DumpLoadedClassList=" + list, "-XX:TieredStopAtLevel=1", "-cp", jar.toString(),
                    ChildMain.class.getName()));
            if (training.isPresent()) {
                cmd.add(training.get().classes().toString());
            } else {
                cmd.addAll(List.of(classes.toString(), ChildMain.PROBE));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log")
                    .toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                Codec.writeJob(in, training.map(Training::job).orElse(new Codec.Job(Sandbox.nonce(), "training", 1,
                        List.of(), List.of())));
            }
            wait(p, "the training run");
            return Files.readAllLines(list, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#"))
                    .toList();
        } finally {
            FileTrees.delete(dir);
        }
    }

    /** Writes the archive of the classes in {@code list} to {@code out}, seeing the jar where a child will. */
    private static void dump(HostTools tools, ChildRuntime runtime, Path jar, Path list, Path out, boolean viewed)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        String java;
        String classPath;
        String listSeen;
        String outSeen;
        if (viewed) {
            cmd.addAll(List.of(tools.bwrap().orElseThrow().toString(), "--unshare-all", "--die-with-parent",
                    "--new-session"));
            cmd.addAll(Sandbox.systemView(List.of()));
            cmd.addAll(List.of("--ro-bind", runtime.home().toString(), View.RUNTIME, "--ro-bind", jar.toString(),
                    View.HARNESS, "--ro-bind", list.toString(), "/grader/classes.lst", "--bind",
                    out.getParent().toString(), "/out", "--dev", "/dev", "--proc", "/proc", "--chdir", "/", "--"));
            java = View.RUNTIME + "/bin/java";
            classPath = View.HARNESS;
            listSeen = "/grader/classes.lst";
            outSeen = "/out/" + out.getFileName();
        } else {
            java = runtime.java().toString();
            classPath = jar.toString();
            listSeen = list.toString();
            outSeen = out.toString();
        }
        cmd.addAll(List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + listSeen,
                "-XX:SharedArchiveFile=" + outSeen, "-cp", classPath));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        try {
            wait(p, "the archive's dump");
        } catch (IOException e) {
            String last = new String(log, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("");
            throw new IOException(e.getMessage() + (last.isEmpty() ? "" : ": " + last), e);
        }
    }

    private static void wait(Process p, String what) throws IOException {
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " took longer than 120 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed (exit code " + p.exitValue() + ")");
        }
    }

    /** The cache folder's name: the runtime's, the harness jar's bytes and the format. */
    private static String key(ChildRuntime runtime, byte[] jar) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((runtime.home().toAbsolutePath() + "\n" + FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
            d.update(jar);
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
