package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.report.StudentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persisted results: exact round trips (NaN included), safe file names, unreadable files ignored. */
class ResultStoreTest {
    static StudentResult result(String id) {
        return new StudentResult("key", id, "Ann", id + ".zip", "graded", "all 1 checks passed", 2, 2,
                List.of(new StudentResult.AssignmentPoints("ops", 2, 2)),
                List.of(new StudentResult.CheckRow("ops", "relu › forward", "unit", 2, 2, "passed", Double.NaN,
                        Double.NEGATIVE_INFINITY, null, 0.1 + 0.2, "ok", -3L)),
                List.of("E.java:1: e"), "bwrap", 0.25, "2026-11-25T00:00:00Z");
    }

    @Test
    void aResultReadsBackExactly(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir.resolve(".results"));
        StudentResult r = result("s001");
        store.save(r);
        assertThat(store.load("s001")).contains(r);
        assertThat(store.load("s002")).isEmpty();
    }

    @Test
    void oddIdsStayInsideTheFolderAndDoNotCollide(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir.resolve(".results"));
        for (String id : List.of("../../escape", "a b", "a_b", ".hidden", "élève")) {
            assertThat(store.file(id).getParent()).isEqualTo(dir.resolve(".results"));
            store.save(result(id));
            assertThat(store.load(id)).map(StudentResult::student).contains(id);
        }
        assertThat(store.file("a b")).isNotEqualTo(store.file("a_b"));
    }

    @Test
    void aStudentIdOfThreeHundredCharactersHasAFileOfItsOwn(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir.resolve(".results"));
        String longId = "s".repeat(150) + "é".repeat(150);
        String sibling = "s".repeat(150) + "é".repeat(149) + "e";
        for (String id : List.of(longId, sibling)) {
            store.save(result(id));
            assertThat(store.file(id).getFileName().toString().length()).isLessThan(100);
        }
        assertThat(store.load(longId)).map(StudentResult::student).contains(longId);
        assertThat(store.load(sibling)).map(StudentResult::student).contains(sibling);
        assertThat(store.keyOf(longId)).contains("key");
    }

    /**
     * Ids a file system could take for one name: case (macOS and Windows fold it), Unicode normalisation (macOS
     * composes é), the Kelvin sign and the ligature fi (case folding), trailing dots and spaces (Windows drops
     * them), names a folder reserves. Each must keep its own result, whatever the file system does with names.
     */
    @Test
    void idsAFileSystemWouldFoldTogetherKeepTheirOwnResults(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir.resolve(".results"));
        List<String> ids = List.of("Anna", "anna", "ANNA", "\u00e9l\u00e8ve", "e\u0301le\u0300ve", "\u212aelvin",
                "Kelvin",
                "\ufb01le", "file", "bob.", "bob", "bob ", "CON", "con", ".", "..", "a/b", "a\\b", "");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String id : ids) {
            store.save(result(id));
            String name = store.file(id).getFileName().toString();
            assertThat(name).matches("[0-9a-f]{64}\\.json");
            assertThat(names.add(java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKC)
                    .toLowerCase(java.util.Locale.ROOT))).as(id).isTrue();
        }
        for (String id : ids) {
            assertThat(store.load(id)).as(id).map(StudentResult::student).contains(id);
        }
        // a file that holds another student's result is not this student's, whatever its name
        Files.copy(store.file("anna"), store.file("Anna"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(store.load("Anna")).isEmpty();
        assertThat(store.keyOf("Anna")).isEmpty();
    }

    @Test
    void aDamagedOrHalfWrittenFileIsNotAResult(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir);
        Files.writeString(store.file("s001"), "{\"key\": \"k\", \"student\": \"s0");
        assertThat(store.load("s001")).isEmpty();
        Files.writeString(dir.resolve(".s002.json.123.tmp"), "half");
        store.removeStaleTemporaries();
        assertThat(dir.resolve(".s002.json.123.tmp")).doesNotExist();
        assertThat(store.file("s001")).exists();
    }
}
