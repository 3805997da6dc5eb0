package backprop.grader.compile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac on sources held in memory, against a classpath of the contracts alone, with annotation processing off.
 * Classes and errors come back as data; javac reads no file of the submission and writes none. Runs in the
 * compile process for submissions, and in the grader for its own sources.
 */
public final class Javac {
    /** The most bytes of classes one compilation may produce. */
    static final long MAX_CLASS_BYTES = 32L << 20;
    /** The most errors kept (javac stops at this many too). */
    static final int MAX_REPORTED = 100;
    /** The longest error message kept, in characters. */
    static final int MAX_MESSAGE = 1000;
    private static final int MAX_OUTPUT = 8192;

    private Javac() {}

    /** How a compilation ended. */
    public enum Status {
        /** Classes were produced. */
        COMPILED,
        /** javac reported errors. */
        ERRORS,
        /** javac ran out of stack (an expression or a nesting too deep). */
        STACK,
        /** javac ran out of memory. */
        MEMORY,
        /** The classes would be larger than {@link #MAX_CLASS_BYTES}. */
        TOO_BIG,
        /** javac failed in some other way (a bug of the compiler). */
        CRASHED
    }

    /**
     * One error.
     *
     * @param file the source's file name, or "" when the error is about no file
     * @param line its line, or 0
     * @param message the first line of javac's message
     */
    public record Error(String file, long line, String message) {
        /** {@code Relu.java:13: ';' expected}. */
        public String text() {
            return file.isEmpty() ? message : file + ":" + line + ": " + message;
        }
    }

    /**
     * What a compilation produced.
     *
     * @param status how it ended
     * @param detail for {@link Status#CRASHED}, what javac said
     * @param errors the first errors
     * @param errorCount how many errors javac reported in all
     * @param classes each class's binary name and bytes
     */
    public record Result(Status status, String detail, List<Error> errors, int errorCount,
            Map<String, byte[]> classes) {
        static Result failed(Status status, String detail) {
            return new Result(status, detail, List.of(), 0, Map.of());
        }
    }

    /** Compiles {@code sources} against {@code classpath}; never throws for anything the sources hold. */
    public static Result compile(SourceFiles sources, Path classpath) {
        List<Error> encoding = notUtf8(sources);
        if (!encoding.isEmpty()) {
            return new Result(Status.ERRORS, "", encoding, encoding.size(), Map.of());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run the grader on a JDK, not a JRE");
        }
        Errors errors = new Errors();
        Capped said = new Capped();
        try (StandardJavaFileManager std = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Out out = new Out(std);
            List<JavaFileObject> units = new ArrayList<>();
            for (SourceFiles.Source s : sources.files()) {
                units.add(new In(units.size(), s));
            }
            List<String> options = List.of("-proc:none", "-g", "-nowarn", "-Xlint:none", "--release", "17",
                    "-implicit:none", "-Xmaxerrs", Integer.toString(MAX_REPORTED), "-classpath", classpath.toString());
            boolean ok;
            try {
                ok = javac.getTask(said, out, errors, options, null, units).call();
            } catch (StackOverflowError e) {
                return Result.failed(Status.STACK, "");
            } catch (OutOfMemoryError e) {
                return Result.failed(Status.MEMORY, "");
            } catch (RuntimeException e) {
                return Result.failed(out.tooBig ? Status.TOO_BIG : Status.CRASHED,
                        String.valueOf(e.getCause() != null ? e.getCause() : e));
            }
            if (out.tooBig) {
                return Result.failed(Status.TOO_BIG, "");
            }
            if (ok && errors.count == 0) {
                return new Result(Status.COMPILED, "", List.of(), 0, out.classes);
            }
            if (errors.count > 0) {
                return new Result(Status.ERRORS, "", List.copyOf(errors.kept), errors.count, Map.of());
            }
            // javac swallows an Error it meets and prints it instead
            String text = said.toString();
            Status s = text.contains("StackOverflowError") ? Status.STACK
                    : text.contains("OutOfMemoryError") ? Status.MEMORY : Status.CRASHED;
            return Result.failed(s, text.lines().filter(l -> !l.isBlank()).findFirst().orElse("no message"));
        } catch (IOException e) {
            return Result.failed(Status.CRASHED, e.toString());
        }
    }

    /** Writes classes under {@code dir}, refusing a name that is not a class name (it could point elsewhere). */
    public static void write(Map<String, byte[]> classes, Path dir) throws IOException {
        Path root = Files.createDirectories(dir.toAbsolutePath().normalize());
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            String name = c.getKey();
            if (!binaryName(name)) {
                throw new IOException("the compiler produced a class with an impossible name: "
                        + SourceFiles.printable(name));
            }
            Path file = root.resolve(name.replace('.', '/') + ".class").normalize();
            if (!file.startsWith(root)) {
                throw new IOException("a class outside the class folder: " + SourceFiles.printable(name));
            }
            Files.createDirectories(file.getParent());
            Files.write(file, c.getValue());
        }
    }

    /** {@code homework.Relu$1}: identifiers separated by dots. */
    static boolean binaryName(String name) {
        for (String part : name.split("\\.", -1)) {
            if (!SourceFiles.javaName(part + ".java") || part.equals("package-info")) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** One error per file that is not valid UTF-8, at the line of its first bad byte. */
    static List<Error> notUtf8(SourceFiles sources) {
        List<Error> out = new ArrayList<>();
        for (SourceFiles.Source s : sources.files()) {
            CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(s.bytes());
            try {
                d.decode(in);
            } catch (MalformedInputException e) {
                int at = in.position();
                long line = 1;
                for (int i = 0; i < at; i++) {
                    if (s.bytes()[i] == '\n') {
                        line++;
                    }
                }
                out.add(new Error(s.fileName(), line, String.format(Locale.ROOT, "not UTF-8 (byte 0x%02X): save the "
                        + "file as UTF-8", s.bytes()[at] & 0xff)));
            } catch (CharacterCodingException e) {
                out.add(new Error(s.fileName(), 1, "not UTF-8: save the file as UTF-8"));
            }
        }
        return out;
    }

    private static URI uri(String path) {
        try {
            return new URI("mem", null, "/" + path, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(path, e);
        }
    }

    /** A source held in memory; its URI ends in its file name, as javac's public-class check wants. */
    private static final class In extends SimpleJavaFileObject {
        private final SourceFiles.Source source;

        In(int index, SourceFiles.Source source) {
            super(uri(index + "/" + source.fileName()), Kind.SOURCE);
            this.source = source;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return new String(source.bytes(), StandardCharsets.UTF_8);
        }
    }

    /** Keeps the classes javac writes in memory, up to {@link #MAX_CLASS_BYTES} in all. */
    private static final class Out extends ForwardingJavaFileManager<StandardJavaFileManager> {
        final Map<String, byte[]> classes = new TreeMap<>();
        long total;
        boolean tooBig;

        Out(StandardJavaFileManager std) {
            super(std);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            return new SimpleJavaFileObject(uri("out/" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override
                        public void write(byte[] b, int off, int len) {
                            grow(len);
                            super.write(b, off, len);
                        }

                        @Override
                        public void write(int b) {
                            grow(1);
                            super.write(b);
                        }

                        private void grow(int n) {
                            if (total + n > MAX_CLASS_BYTES) {
                                tooBig = true;
                                throw new IllegalStateException("the classes are larger than "
                                        + (MAX_CLASS_BYTES >> 20) + " MiB");
                            }
                            total += n;
                        }

                        @Override
                        public void close() {
                            classes.put(className, toByteArray());
                        }
                    };
                }
            };
        }
    }

    /** Collects javac's errors, keeping the first {@link #MAX_REPORTED}. */
    private static final class Errors implements DiagnosticListener<JavaFileObject> {
        final List<Error> kept = new ArrayList<>();
        int count;

        @Override
        public void report(Diagnostic<? extends JavaFileObject> d) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                return;
            }
            count++;
            if (kept.size() < MAX_REPORTED) {
                String name = d.getSource() == null ? "" : d.getSource().getName();
                String file = name.substring(name.lastIndexOf('/') + 1);
                String m = d.getMessage(Locale.ROOT).lines().findFirst().orElse("");
                kept.add(new Error(file, Math.max(0, d.getLineNumber()),
                        m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m));
            }
        }
    }

    /** What javac prints besides its diagnostics, first {@link #MAX_OUTPUT} characters. */
    private static final class Capped extends Writer {
        private final StringBuilder b = new StringBuilder();

        @Override
        public void write(char[] c, int off, int len) {
            b.append(c, off, Math.min(len, Math.max(0, MAX_OUTPUT - b.length())));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
