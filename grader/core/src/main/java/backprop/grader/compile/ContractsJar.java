package backprop.grader.compile;

import backprop.api.Matrix;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A jar of the contracts ({@code backprop.api}) alone, made once per run from wherever the grader's classes are
 * (a class folder, or the shaded jar that also holds the engine and its libraries): submissions compile against
 * it and nothing else.
 */
public final class ContractsJar {
    private static Path jar;

    private ContractsJar() {}

    /** The jar, made on first use and deleted when the JVM exits. */
    public static synchronized Path get() throws IOException {
        if (jar != null && Files.isRegularFile(jar)) {
            return jar;
        }
        Path out = Files.createTempFile("grader-contracts", ".jar");
        out.toFile().deleteOnExit();
        String prefix = Matrix.class.getPackageName().replace('.', '/') + "/";
        Path from = location();
        try (OutputStream os = Files.newOutputStream(out); JarOutputStream jo = new JarOutputStream(os)) {
            if (Files.isDirectory(from)) {
                try (Stream<Path> s = Files.walk(from.resolve(prefix))) {
                    for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                        jo.putNextEntry(new JarEntry(from.relativize(p).toString().replace('\\', '/')));
                        Files.copy(p, jo);
                        jo.closeEntry();
                    }
                }
            } else {
                try (JarFile in = new JarFile(from.toFile())) {
                    for (JarEntry e : Collections.list(in.entries())) {
                        if (e.getName().startsWith(prefix) && !e.isDirectory()) {
                            jo.putNextEntry(new JarEntry(e.getName()));
                            in.getInputStream(e).transferTo(jo);
                            jo.closeEntry();
                        }
                    }
                }
            }
        }
        jar = out;
        return out;
    }

    /** Where the contracts' classes are: a class folder or a jar. */
    public static Path location() {
        try {
            return Path.of(Matrix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
