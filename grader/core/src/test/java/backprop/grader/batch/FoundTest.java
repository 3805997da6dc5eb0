package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import backprop.grader.roster.Roster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding submissions, naming them by roster, and getting at their sources safely. */
class FoundTest {
    @TempDir
    Path dir;

    private void zip(Path zip, String... entries) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String e : entries) {
                z.putNextEntry(new ZipEntry(e));
                z.write("class X {}".getBytes());
                z.closeEntry();
            }
        }
    }

    @Test
    void foldersAndZipsAreSubmissionsAndOtherFilesAreNot() throws IOException {
        Files.createDirectories(dir.resolve("bob"));
        Files.createDirectories(dir.resolve("alice"));
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(dir.resolve("__MACOSX"));
        zip(dir.resolve("carol.ZIP"), "carol/homework/Relu.java");
        Files.writeString(dir.resolve("notes.txt"), "not a submission");
        List<Found> found = Found.in(dir, Optional.empty(), s -> { });
        assertThat(found).extracting(Found::id).containsExactly("alice", "bob", "carol");
        assertThat(found.get(2).isZip()).isTrue();
        assertThat(found.get(2).source()).isEqualTo("carol.ZIP");
    }

    @Test
    void aRosterNamesStudentsAndSaysWhoIsMissing() throws IOException {
        Files.createDirectories(dir.resolve("class/ann-repo"));
        Files.createDirectories(dir.resolve("class/stranger"));
        zip(dir.resolve("class/bob-repo.zip"), "x/homework/Relu.java");
        Files.writeString(dir.resolve("roster.csv"), """
                Name,ID,Email,Folder
                "Lee, Ann",s001,ann@example.org,ann-repo
                Bob,s002,bob@example.org,bob-repo
                Cy,s003,cy@example.org,cy-repo
                """);
        List<String> notes = new ArrayList<>();
        List<Found> found = Found.in(dir.resolve("class"), Optional.of(Roster.read(dir.resolve("roster.csv"))),
                notes::add);
        assertThat(found).extracting(Found::id).containsExactly("s001", "s002", "stranger");
        assertThat(found).extracting(Found::name).containsExactly("Lee, Ann", "Bob", "");
        assertThat(notes).anyMatch(n -> n.contains("stranger is not in the roster"))
                .anyMatch(n -> n.contains("no submission from s003 (Cy)"));
    }

    @Test
    void aRosterWithoutAFolderColumnMatchesById() throws IOException {
        Files.createDirectories(dir.resolve("class/s001"));
        Files.writeString(dir.resolve("roster.csv"), "id,name\ns001,Ann\n");
        assertThat(Found.in(dir.resolve("class"), Optional.of(Roster.read(dir.resolve("roster.csv"))), s -> { }))
                .singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("Ann"));
        Files.writeString(dir.resolve("bad.csv"), "name,email\nAnn,a@b\n");
        assertThatThrownBy(() -> Roster.read(dir.resolve("bad.csv"))).hasMessageContaining("'id' column");
    }

    @Test
    void aFileIsToldFromAMissingFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("class.csv"), "id\n");
        assertThatThrownBy(() -> Found.in(file, Optional.empty(), s -> { })).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " is a file, not a folder of submissions");
        zip(dir.resolve("class.zip"), "alice/homework/Relu.java");
        assertThatThrownBy(() -> Found.in(dir.resolve("class.zip"), Optional.empty(), s -> { }))
                .hasMessageContaining("is a file, not a folder").hasMessageContaining("unpack it first");
        assertThatThrownBy(() -> Found.in(dir.resolve("nope"), Optional.empty(), s -> { }))
                .hasMessage("no such submissions folder: " + dir.resolve("nope"));
    }

    @Test
    void aClassOfNoSubmissionIsAnErrorThatSaysWhatTheFolderHolds() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(empty.resolve(".git"));
        assertThatThrownBy(() -> Found.in(empty, Optional.empty(), s -> { }))
                .hasMessage("no submissions in " + empty + ": a class folder holds one sub-folder or .zip per "
                        + "student, and it is empty");
        Path loose = Files.createDirectories(dir.resolve("loose"));
        Files.writeString(loose.resolve("Relu.java"), "class Relu {}");
        Files.writeString(loose.resolve("notes.txt"), "");
        assertThatThrownBy(() -> Found.in(loose, Optional.empty(), s -> { }))
                .hasMessageContaining("it holds only 2 other file(s): Relu.java, notes.txt")
                .hasMessageContaining("grader check --submission " + loose);
    }

    @Test
    void twoSubmissionsOfOneStudentGetDistinctIds() throws IOException {
        Files.createDirectories(dir.resolve("x"));
        zip(dir.resolve("x.zip"), "homework/Relu.java");
        List<String> notes = new ArrayList<>();
        assertThat(Found.in(dir, Optional.empty(), notes::add)).extracting(Found::id).containsExactly("x", "x-2");
        assertThat(notes).singleElement().asString().contains("x.zip is graded as 'x-2'");
    }

    @Test
    void aZipCannotWriteOutsideItsFolderAndABrokenZipIsTheSubmissionsProblem() throws IOException {
        zip(dir.resolve("evil.zip"), "homework/Relu.java", "../../escaped.java");
        Path into = dir.resolve("out");
        assertThatThrownBy(() -> Sources.unzip(dir.resolve("evil.zip"), into))
                .isInstanceOf(Sources.Unreadable.class).hasMessageContaining("outside");
        assertThat(dir.resolve("escaped.java")).doesNotExist();
        Files.writeString(dir.resolve("broken.zip"), "this is not a zip");
        assertThatThrownBy(() -> Sources.unzip(dir.resolve("broken.zip"), dir.resolve("out2")))
                .isInstanceOf(Sources.Unreadable.class).hasMessageContaining("zip");
    }

    @Test
    void theHashOfAFolderFollowsItsSourcesOnly() throws IOException {
        Path s = Files.createDirectories(dir.resolve("s/homework"));
        Files.writeString(s.resolve("Relu.java"), "class Relu {}");
        String h1 = Sources.hash(dir.resolve("s"));
        Files.createDirectories(dir.resolve("s/.git"));
        Files.writeString(dir.resolve("s/.git/HEAD"), "ref");
        Files.writeString(dir.resolve("s/README.md"), "notes");
        assertThat(Sources.hash(dir.resolve("s"))).isEqualTo(h1);
        Files.writeString(s.resolve("Relu.java"), "class Relu { }");
        assertThat(Sources.hash(dir.resolve("s"))).isNotEqualTo(h1);
    }
}
