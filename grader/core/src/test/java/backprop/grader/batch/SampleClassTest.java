package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.TestFiles;
import backprop.grader.files.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample class is made from the reference and the stubs with a patch per student, never copied. */
class SampleClassTest {
    private static final Path REFERENCE = TestFiles.referenceSources();
    private static final Path STUBS = TestFiles.root().resolve("student-template/src/main/java");
    private static final Path RECIPE = TestFiles.root().resolve("grader/samples/class");

    @TempDir
    Path tmp;
    private Path recipe;
    private Path reference;

    @BeforeEach
    void copies() throws IOException {
        recipe = tmp.resolve("recipe");
        FileTrees.copy(RECIPE, recipe);
        reference = tmp.resolve("reference");
        FileTrees.copy(REFERENCE, reference);
    }

    private Path make() throws IOException {
        return SampleClass.make(recipe, reference, STUBS, tmp.resolve("class"));
    }

    @Test
    void eachStudentIsTheReferenceOrTheStubsWithTheirPatchInTheirOwnLayout() throws IOException {
        Path c = SampleClass.make(RECIPE, REFERENCE, STUBS, tmp.resolve("class"));
        assertThat(files(c.resolve("alice/src/main/java"))).isEqualTo(files(REFERENCE));
        Map<String, String> bob = files(c.resolve("bob"));
        Map<String, String> ref = files(REFERENCE);
        assertThat(bob.keySet()).isEqualTo(ref.keySet());
        assertThat(bob.keySet().stream().filter(f -> !bob.get(f).equals(ref.get(f))))
                .containsExactly("homework/Sgd.java", "homework/Sigmoid.java");
        assertThat(bob.get("homework/Sigmoid.java")).contains("return dLdh.zip(h, (g, s) -> g * s);");
        assertThat(files(c.resolve("dave/src/main/java")).get("homework/Relu.java"))
                .contains("Matrix h = z.map(v -> Math.max(0.0, v))\n");
        assertThat(files(c.resolve("erin/src/main/java")).get("homework/Sigmoid.java")).contains("while (!(z > 0))");
        Map<String, String> carol = new TreeMap<>();
        try (ZipFile z = new ZipFile(c.resolve("carol.zip").toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                carol.put(e.getName().replace("carol/src/main/java/", ""),
                        new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(carol).isEqualTo(files(STUBS));
    }

    @Test
    void noCopyOfAReferenceSourceLivesAnywhereInTheTree() throws IOException {
        Map<String, String> reference = new HashMap<>();
        files(REFERENCE).forEach((name, text) -> reference.put(text, name));
        List<String> copies = new ArrayList<>();
        try (Stream<Path> all = Files.walk(TestFiles.root())) {
            all.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !TestFiles.root().relativize(p).startsWith("grader/reference"))
                    .filter(p -> {
                        for (Path part : TestFiles.root().relativize(p)) {
                            String n = part.toString();
                            if (n.equals("target") || n.equals(".git") || n.equals("node_modules")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .forEach(p -> {
                        try {
                            // read leniently: a fixture may be deliberately not UTF-8
                            String name = reference.get(new String(Files.readAllBytes(p),
                                    java.nio.charset.StandardCharsets.UTF_8));
                            if (name != null) {
                                copies.add(p + " is a copy of " + name);
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        }
        assertThat(copies).isEmpty();
        try (Stream<Path> recipe = Files.list(RECIPE)) {
            assertThat(recipe.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.equals("students.yaml") || n.endsWith(".patch"));
        }
    }

    @Test
    void aPatchThatNoLongerAppliesNamesThePatchAndTheFileAndMakesNothing() throws IOException {
        Path sigmoid = reference.resolve("homework/Sigmoid.java");
        Files.writeString(sigmoid, Files.readString(sigmoid).replace("g * s * (1 - s)", "g * s * (1.0 - s)"));
        assertThatThrownBy(this::make).isInstanceOf(IOException.class)
                .hasMessageStartingWith(recipe.resolve("bob.patch") + ": no longer applies to homework/Sigmoid.java")
                .hasMessageContaining("remake the patch");
        assertThat(tmp.resolve("class")).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("recipe", "reference");
        }
    }

    @Test
    void itIsMadeOnceAndAgainOnlyWhenAnInputChanges() throws IOException {
        Path c = make();
        Path marker = Files.writeString(c.resolve("marker"), "kept while nothing changes");
        assertThat(make()).isEqualTo(c);
        assertThat(marker).exists();
        Files.writeString(recipe.resolve("dave.patch"), Files.readString(recipe.resolve("dave.patch"))
                .replace("return h;", "return h; // dave"));
        make();
        assertThat(marker).doesNotExist();
        assertThat(files(c.resolve("dave/src/main/java")).get("homework/Relu.java")).contains("return h; // dave");
        Files.writeString(reference.resolve("homework/Tanh.java"), "// changed\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(marker, "again");
        make();
        assertThat(marker).doesNotExist();
        assertThat(files(c.resolve("alice/src/main/java")).get("homework/Tanh.java")).endsWith("// changed\n");
    }

    @Test
    void theZipIsTheSameBytesEachTimeSoSavedResultsAreReused() throws IOException {
        Path one = SampleClass.make(recipe, reference, STUBS, tmp.resolve("one"));
        Path two = SampleClass.make(recipe, reference, STUBS, tmp.resolve("two"));
        assertThat(Files.readAllBytes(one.resolve("carol.zip"))).isEqualTo(Files.readAllBytes(two.resolve("carol.zip")));
        for (String s : List.of("alice", "bob", "carol.zip")) {
            assertThat(Sources.hash(one.resolve(s))).as(s).isEqualTo(Sources.hash(two.resolve(s)));
        }
    }

    @Test
    void aBrokenRecipeIsNamedByFileAndLine() throws IOException {
        Path manifest = recipe.resolve("students.yaml");
        Files.writeString(manifest, "alice: {from: reference, layout: pakage}\n");
        assertThatThrownBy(this::make).hasMessage(manifest + ":1:34 (alice.layout): layout must be template or "
                + "package or zip, not 'pakage' (did you mean 'package'?)");
        Files.writeString(manifest, "alice: {from: reference, layuot: template}\n");
        assertThatThrownBy(this::make).hasMessageStartingWith(manifest + ":1:")
                .hasMessageEndingWith("unknown field 'layuot' (did you mean 'layout'?)");
        Files.writeString(manifest, "bob: {from: reference, layout: package, patch: nope.patch}\n");
        assertThatThrownBy(this::make).hasMessageEndingWith(": no patch file " + recipe.resolve("nope.patch"));
        Files.writeString(recipe.resolve("evil.patch"), """
                --- a/homework/Relu.java
                +++ b/../../escaped.java
                @@ -1,1 +1,1 @@
                -package homework;
                +package evil;
                """);
        Files.writeString(manifest, "bob: {from: reference, layout: package, patch: evil.patch}\n");
        assertThatThrownBy(this::make).hasMessage(recipe.resolve("evil.patch") + ": the path '../../escaped.java' "
                + "is not a homework/*.java file");
        assertThat(tmp.resolve("escaped.java")).doesNotExist();
        Files.writeString(recipe.resolve("empty.patch"), "just words\n");
        Files.writeString(manifest, "bob: {from: reference, layout: package, patch: empty.patch}\n");
        assertThatThrownBy(this::make).hasMessageContaining("empty.patch: changes no file");
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }
}
