package backprop.grader.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** javac on sources in memory: what it reports, and what it may write. */
class JavacTest {
    @TempDir
    Path dir;

    private static SourceFiles of(String file, byte[] text) {
        return SourceFiles.of(List.of(new SourceFiles.Source("homework/" + file, text)));
    }

    private static Javac.Result compile(String file, String text) throws IOException {
        return Javac.compile(of(file, text.getBytes(StandardCharsets.UTF_8)), ContractsJar.get());
    }

    @Test
    void aSourceThatIsNotUtf8IsAnErrorAtTheLineOfItsFirstBadByte() throws IOException {
        byte[] latin1 = "package homework;\n\n// R\u00e9seau\nclass A {}\n".getBytes(StandardCharsets.ISO_8859_1);
        Javac.Result r = Javac.compile(of("A.java", latin1), ContractsJar.get());
        assertThat(r.status()).isEqualTo(Javac.Status.ERRORS);
        assertThat(r.errors()).extracting(Javac.Error::text)
                .containsExactly("A.java:3: not UTF-8 (byte 0xE9): save the file as UTF-8");
    }

    @Test
    void javacStopsCountingAtItsLimitAndEveryErrorIsOneLine() throws IOException {
        StringBuilder b = new StringBuilder("package homework;\nclass E {\n");
        for (int i = 0; i < 3000; i++) {
            b.append("    int x").append(i).append(" = \"a\nb\";\n");
        }
        Javac.Result r = compile("E.java", b.append("}\n").toString());
        assertThat(r.status()).isEqualTo(Javac.Status.ERRORS);
        assertThat(r.errorCount()).isEqualTo(Javac.MAX_REPORTED);
        assertThat(r.errors()).hasSize(Javac.MAX_REPORTED).allSatisfy(e -> {
            assertThat(e.text()).doesNotContain("\n").startsWith("E.java:");
            assertThat(e.message().length()).isLessThanOrEqualTo(Javac.MAX_MESSAGE + 1);
        });
    }

    @Test
    void aPublicClassInAFileOfAnotherNameIsJavacsOwnError() throws IOException {
        Javac.Result r = compile("Relu.java", "package homework;\npublic class Tanh {}\n");
        assertThat(r.errors()).extracting(Javac.Error::text).singleElement().asString()
                .startsWith("Relu.java:2: class Tanh is public, should be declared in a file named Tanh.java");
    }

    @Test
    void classesAreWrittenOnlyUnderTheirFolderAndOnlyWithClassNames() throws IOException {
        Javac.write(Map.of("homework.A$1", new byte[] {1}), dir);
        assertThat(dir.resolve("homework/A$1.class")).hasBinaryContent(new byte[] {1});
        for (String bad : List.of("../evil", "homework/../../evil", "", "a..b", "homework.", "homework.-x")) {
            assertThatThrownBy(() -> Javac.write(Map.of(bad, new byte[] {1}), dir)).as(bad)
                    .isInstanceOf(IOException.class);
        }
        assertThat(dir.getParent().resolve("evil.class")).doesNotExist();
    }
}
