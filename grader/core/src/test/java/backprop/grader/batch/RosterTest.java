package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A roster maps submission names to ids; a broken one is reported by file and line, never as a stack trace. */
class RosterTest {

    @Test
    void aRowWithoutANameStillMapsItsId(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("roster.csv");
        Files.writeString(f, "id,name,folder\ns1,Ada,ada-repo\ns2\n");
        Roster r = Roster.read(f);
        assertThat(r.lookup("ada-repo")).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo("s1"));
        assertThat(r.lookup("s2")).hasValueSatisfying(e -> assertThat(e.name()).isEmpty());
    }

    @Test
    void anUnterminatedQuoteNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("roster.csv");
        Files.writeString(f, "id,name\n\"s1,Ada\n");
        assertThatThrownBy(() -> Roster.read(f)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(f + ": not a readable CSV roster");
    }

    @Test
    void aTwiceListedFolderNamesItsLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("roster.csv");
        Files.writeString(f, "id,name\ns1,Ada\ns1,Ada again\n");
        assertThatThrownBy(() -> Roster.read(f)).isInstanceOf(IOException.class)
                .hasMessage(f + ":3: 's1' appears twice");
    }
}
