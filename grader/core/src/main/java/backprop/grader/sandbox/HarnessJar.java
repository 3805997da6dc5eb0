package backprop.grader.sandbox;

import backprop.api.Matrix;
import backprop.grader.run.Tracer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The child's whole classpath besides the student's classes: every contract class ({@code backprop.api}) and
 * the engine classes {@link ChildMain} reaches (found by following the class names in each class file's
 * constant pool), copied from wherever the grader runs from (class folders in a build, the shaded jar when
 * installed) into one small jar. No library is in it (no Jackson), nor the reference, nor the grader's
 * command line, reporting or batch code.
 */
public final class HarnessJar {
    /** Where classes are looked for, as class-file path prefixes. */
    static final List<String> PACKAGES = List.of("backprop/api/", "backprop/grader/");
    /** Always in the jar, whether the harness uses them or not: students may. */
    static final String CONTRACTS = "backprop/api/";
    private static final Pattern CLASS_NAME = Pattern.compile("backprop/[A-Za-z0-9_/$]+");

    private HarnessJar() {}

    /** Writes the harness jar to {@code jar} and returns it. */
    public static Path write(Path jar) throws IOException {
        return write(jar, ChildMain.class);
    }

    /**
     * Writes a jar of the contracts and every class reachable from {@code main} to {@code jar}, and returns it:
     * the child's harness, or the compile process ({@code backprop.grader.compile.CompileServer}).
     */
    public static Path write(Path jar, Class<?> main) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        for (Class<?> c : List.of(Matrix.class, Tracer.class, main)) {
            collect(location(c), classes);
        }
        String root = main.getName().replace('.', '/') + ".class";
        for (String required : List.of("backprop/api/Matrix.class", root)) {
            if (!classes.containsKey(required)) {
                throw new IOException("cannot find " + required + " to build " + jar.getFileName());
            }
        }
        classes = reachable(classes, root);
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        Files.createDirectories(jar.toAbsolutePath().getParent());
        // the same classes make the same bytes (no time of writing in them): the children's class-data archive is
        // keyed by the jar's hash, so a run that writes it again finds its archive
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            JarEntry manifest = new JarEntry(JarFile.MANIFEST_NAME);
            manifest.setLastModifiedTime(FileTime.fromMillis(0));
            out.putNextEntry(manifest);
            mf.write(out);
            out.closeEntry();
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                JarEntry entry = new JarEntry(e.getKey());
                entry.setLastModifiedTime(FileTime.fromMillis(0));
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The contracts, and every class reachable from the class file {@code root} through constant pools. */
    static Map<String, byte[]> reachable(Map<String, byte[]> all, String root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(CONTRACTS)) {
                out.put(k, v);
            }
        });
        Deque<String> todo = new ArrayDeque<>(out.keySet());
        todo.add(root);
        while (!todo.isEmpty()) {
            String name = todo.poll();
            byte[] bytes = all.get(name);
            if (bytes == null) {
                continue;
            }
            out.put(name, bytes);
            for (String ref : classNames(bytes)) {
                String file = ref + ".class";
                if (all.containsKey(file) && !out.containsKey(file) && !todo.contains(file)) {
                    todo.add(file);
                }
            }
        }
        return out;
    }

    /** The {@code backprop/…} names in a class file's constant pool: classes, descriptors, signatures. */
    static Set<String> classNames(byte[] classFile) throws IOException {
        Set<String> names = new HashSet<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> {
                    Matcher m = CLASS_NAME.matcher(in.readUTF());
                    while (m.find()) {
                        names.add(m.group());
                    }
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return names;
    }

    private static Path location(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot locate the classes of " + c.getName(), e);
        }
    }

    private static void collect(Path location, Map<String, byte[]> into) throws IOException {
        if (Files.isDirectory(location)) {
            collectTree(location, into);
        } else {
            try (FileSystem fs = FileSystems.newFileSystem(location)) {
                collectTree(fs.getPath("/"), into);
            }
        }
    }

    private static void collectTree(Path root, Map<String, byte[]> into) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String pkg : PACKAGES) {
            Path dir = root.resolve(pkg);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).forEach(files::add);
                }
            }
        }
        for (Path p : files) {
            String name = root.relativize(p).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(p)) {
                into.putIfAbsent(name, in.readAllBytes());
            }
        }
    }
}
