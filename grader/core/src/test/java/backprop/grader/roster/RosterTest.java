package backprop.grader.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one roster reader of grade and gradebook: its columns, and a broken roster named by file and line. */
class RosterTest {
    @TempDir
    Path dir;

    private Roster read(String text) throws IOException {
        Path f = dir.resolve("roster.csv");
        Files.writeString(f, text);
        return Roster.read(f);
    }

    private String file() {
        return dir.resolve("roster.csv").toString();
    }

    @Test
    void everyColumnInAnyOrderAndCase() throws IOException {
        Roster r = read("\uFEFFSection,LOGIN,Name,Folder,ID,Canvas_ID,sis_id,email\n"
                + "Lab A,alovelace,\"Lovelace, Ada\",ada-repo,s1,1001,U1,ada@example.org\n");
        assertThat(r.students()).containsExactly(
                new Roster.Entry("s1", "Lovelace, Ada", "ada-repo", "1001", "U1", "alovelace", "Lab A", 2));
        assertThat(r.warnings()).as("an unknown column far from every known one is ignored quietly").isEmpty();
    }

    @Test
    void aRowWithoutAFolderOwnsTheFolderNamedByItsId() throws IOException {
        Roster r = read("id,name,folder\ns1,Ada,ada-repo\ns2\n");
        assertThat(r.byFolder("ada-repo")).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo("s1"));
        assertThat(r.byFolder("ada-repo.zip")).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo("s1"));
        assertThat(r.byFolder("s2")).hasValueSatisfying(e -> assertThat(e.name()).isEmpty());
        assertThat(r.byFolder("s1")).isEmpty();
        assertThat(r.byScoreId("s1")).isPresent();
        assertThat(r.byScoreId("ada-repo")).as("scores graded without the roster carry folder names")
                .hasValueSatisfying(e -> assertThat(e.id()).isEqualTo("s1"));
    }

    @Test
    void emptyLinesAndRowsOfEmptyCellsAreSkippedAndLinesStillCount() throws IOException {
        Roster r = read("id,name\n\ns1,\"Ada\nLovelace\"\n,\ns2,Grace\n");
        assertThat(r.students()).extracting(Roster.Entry::id).containsExactly("s1", "s2");
        assertThat(r.students()).extracting(Roster.Entry::line).containsExactly(3, 6);
    }

    @Test
    void aMisspeltColumnIsAWarningWithTheColumnItWasMeantToBe() throws IOException {
        Roster r = read("id,name,canvasid,sectoin\ns1,Ada,1,A\n");
        assertThat(r.warnings()).containsExactly(
                file() + ":1: the column 'canvasid' is ignored (did you mean 'canvas_id'?)",
                file() + ":1: the column 'sectoin' is ignored (did you mean 'section'?)");
        assertThat(r.students().get(0).canvasId()).isEmpty();
    }

    @Test
    void aRosterWithoutAnIdColumnListsItsColumns() {
        assertThatThrownBy(() -> read("student,name\nx,y\n")).isInstanceOf(IOException.class)
                .hasMessage(file() + ":1: the roster has no 'id' column (its columns: student, name; the grader "
                        + "reads id, name, folder, canvas_id, sis_id, login, section)");
    }

    @Test
    void aTwiceListedIdNamesBothLines() {
        assertThatThrownBy(() -> read("id,name\ns1,Ada\ns2,Grace\ns1,Ada again\n")).isInstanceOf(IOException.class)
                .hasMessage(file() + ":4: the id 's1' is on line 2 too");
    }

    @Test
    void aFolderClaimedTwiceNamesBothLines() {
        assertThatThrownBy(() -> read("id,folder\ns1,repo\ns2,repo\n"))
                .hasMessage(file() + ":3: the submission 'repo' belongs to 's1' on line 2 already");
        assertThatThrownBy(() -> read("id,folder\ns1,\ns2,s1\n"))
                .hasMessage(file() + ":3: the submission 's1' belongs to 's1' on line 2 already");
    }

    @Test
    void aRowWithoutAnIdNamesItsLine() {
        assertThatThrownBy(() -> read("id,name\ns1,Ada\n,Nobody\n")).hasMessage(file() + ":3: the row has no id");
    }

    @Test
    void anUnquotedCommaInANameIsCaughtNotShifted() {
        assertThatThrownBy(() -> read("id,name,section\ns1,Lovelace, Ada,Lab A\n"))
                .hasMessageStartingWith(file() + ":2: 4 cells, but the header names 3 columns")
                .hasMessageContaining("double quotes");
    }

    @Test
    void aColumnNamedTwiceIsAnError() {
        assertThatThrownBy(() -> read("id,name,ID\ns1,Ada,s2\n"))
                .hasMessage(file() + ":1: the column 'id' appears twice");
    }

    @Test
    void anUnterminatedQuoteNamesTheFile() {
        assertThatThrownBy(() -> read("id,name\n\"s1,Ada\n")).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file() + ": not a readable CSV roster");
    }

    @Test
    void aLatin1FileNamesTheLineThatIsNotUtf8() throws IOException {
        Path f = dir.resolve("roster.csv");
        Files.write(f, "id,name\ns1,Ada\ns2,M\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Roster.read(f)).hasMessage(f + ":3: not UTF-8 text (save the roster as \"CSV UTF-8\")");
    }

    @Test
    void anEmptyOrMissingFileIsNamed() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("the roster is empty");
        assertThatThrownBy(() -> Roster.read(dir.resolve("nope.csv")))
                .hasMessage("no such roster file: " + dir.resolve("nope.csv"));
    }
}
