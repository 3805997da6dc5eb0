package backprop.grader.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What this host offers a sandbox: the programs that build one, whether the grader runs as root, and the JDK.
 *
 * @param javaHome the grader's own JDK
 * @param bwrap bubblewrap
 * @param prlimit sets the kernel's resource limits
 * @param setpriv changes uid and sets the parent-death signal
 * @param unshare makes namespaces, and enters a folder as root
 * @param root true when the grader runs as root
 * @param bwrapOptions the options this bubblewrap knows (older ones lack {@code --size})
 */
record HostTools(Path javaHome, Optional<Path> bwrap, Optional<Path> prlimit, Optional<Path> setpriv,
        Optional<Path> unshare, boolean root, Set<String> bwrapOptions) {

    /** Looks the tools up (on Linux; elsewhere there are none). */
    static HostTools find() throws IOException {
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        Optional<Path> bwrap = linux ? which("bwrap") : Optional.empty();
        return new HostTools(home, bwrap, linux ? which("prlimit") : Optional.empty(),
                linux ? which("setpriv") : Optional.empty(), linux ? which("unshare") : Optional.empty(),
                linux && isRoot(), bwrap.map(HostTools::options).orElse(Set.of()));
    }

    /** The JDK itself when it is not under /usr, and the folders outside it that its symbolic links point to. */
    static List<Path> jdkBinds(Path home) {
        Set<Path> out = new LinkedHashSet<>();
        if (!home.startsWith("/usr")) {
            out.add(home);
        }
        try (Stream<Path> s = Files.walk(home, 6)) {
            s.filter(Files::isSymbolicLink).forEach(l -> {
                try {
                    Path target = l.toRealPath();
                    if (!target.startsWith(home) && !target.startsWith("/usr") && target.getNameCount() >= 2) {
                        Path top = target.getRoot().resolve(target.subpath(0, 2));
                        if (Files.isDirectory(top)) {
                            out.add(top);
                        }
                    }
                } catch (IOException e) {
                    // a dangling link: nothing to bind
                }
            });
        } catch (IOException e) {
            // an unreadable JDK tree: the probe will say what fails
        }
        return List.copyOf(out);
    }

    private static Set<String> options(Path bwrap) {
        try {
            Process p = new ProcessBuilder(bwrap.toString(), "--help").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Set<String> out = new LinkedHashSet<>();
            Matcher m = Pattern.compile("(--[a-z-]+)").matcher(help);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    static Optional<Path> which(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                try {
                    return Optional.of(p.toRealPath());
                } catch (IOException e) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
