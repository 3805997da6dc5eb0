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
