package backprop.grader.export;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Gradescope autograder zip holds what Gradescope runs and what the grader needs, at the right places. */
class ExportGradescopeIT {

    @Test
    void theZipHasTheScriptsAtItsRootAndTheGraderBesideThem(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("autograder.zip");
        List<String> names = GradescopeExport.export(TestFiles.root(), zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertThat(z.getEntry("setup.sh")).isNotNull();
            assertThat(z.getEntry("run_autograder")).isNotNull();
            assertThat(new String(z.getInputStream(z.getEntry("run_autograder")).readAllBytes()))
                    .contains("grader gradescope --submission /autograder/submission")
                    .contains("/autograder/results/results.json");
            assertThat(z.getEntry("grader/bin/grader")).isNotNull();
            assertThat(z.getEntry("grader/reference/target/classes/homework/Backprop.class")).isNotNull();
            assertThat(z.getEntry("assignments/public/seed-000.yaml")).isNotNull();
        }
        assertThat(names).anyMatch(n -> n.startsWith("grader/core/target/") && n.endsWith("-all.jar"));
    }
}
