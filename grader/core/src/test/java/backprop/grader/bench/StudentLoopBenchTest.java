package backprop.grader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maven floor of a student's loop is the student's repository without the grader, and nothing else less. */
class StudentLoopBenchTest {

    private static String exportedPom() throws IOException {
        try (InputStream in = StudentLoopBench.class.getResourceAsStream("/backprop/grader/export/pom.xml")) {
            assertThat(in).as("the exported pom, as the build filters it").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theFloorsPomLosesTheGraderAndKeepsEveryOtherSetting() throws IOException {
        String pom = exportedPom();
        assertThat(pom).contains("grader-core", "exec-maven-plugin", "systemPropertyVariables");

        String floor = StudentLoopBench.floorPom(pom);

        assertThat(floor).doesNotContain("grader-core", "exec-maven-plugin", "systemPropertyVariables",
                "backprop.grader");
        // the same plugins, versions and settings: the difference between the two runs is the checks alone
        assertThat(floor).contains("grader-api", "junit-jupiter", "assertj-core", "maven-compiler-plugin",
                "maven-surefire-plugin", "<testFailureIgnore>true</testFailureIgnore>", "<argLine>",
                "maven-resources-plugin", "file://${project.basedir}/lib");
        for (String setting : new String[] {"<argLine>", "<maven.compiler.release>", "<trimStackTrace>"}) {
            String line = pom.lines().filter(l -> l.contains(setting)).findFirst().orElseThrow().trim();
            assertThat(floor).as(setting).contains(line);
        }
    }

    @Test
    void aPomThatIsNotXmlIsRefusedWithAMessage() {
        assertThatThrownBy(() -> StudentLoopBench.floorPom("<project><dependencies>"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot make the floor's pom");
    }

    @Test
    void theFloorHasTheStudentsSourcesAndOneTrivialTest(@TempDir Path dir) throws IOException {
        Path student = dir.resolve("student");
        Files.createDirectories(student.resolve(".mvn/wrapper"));
        Files.writeString(student.resolve(".mvn/jvm.config"), "-XX:TieredStopAtLevel=1\n");
        Files.writeString(student.resolve(".mvn/wrapper/maven-wrapper.properties"), "distributionUrl=x\n");
        Files.createDirectories(student.resolve("lib/dev/backprop"));
        Files.writeString(student.resolve("lib/dev/backprop/grader-api.jar"), "jar");
        Files.createDirectories(student.resolve("src/main/java/homework"));
        Files.writeString(student.resolve("src/main/java/homework/Relu.java"), "class Relu {}\n");
        Files.createDirectories(student.resolve("src/test/java/grading"));
        Files.writeString(student.resolve("src/test/java/grading/PublicChecksTest.java"),
                "class PublicChecksTest {}\n");
        Files.createDirectories(student.resolve("assignments"));
        Files.writeString(student.resolve("assignments/seed-000.yaml"), "id: seed-000\n");
        Files.writeString(student.resolve("mvnw"), "#!/bin/sh\n");
        Files.writeString(student.resolve("pom.xml"), exportedPom());

        Path floor = dir.resolve("floor");
        StudentLoopBench.floor(student, floor);

        assertThat(floor.resolve(".mvn/jvm.config")).hasContent("-XX:TieredStopAtLevel=1");
        assertThat(floor.resolve("src/main/java/homework/Relu.java")).hasContent("class Relu {}");
        assertThat(floor.resolve("lib/dev/backprop/grader-api.jar")).exists();
        assertThat(floor.resolve("mvnw")).isExecutable();
        assertThat(floor.resolve("src/test/java/floor/TrivialTest.java")).content().contains("@Test");
        assertThat(floor.resolve("src/test/java/grading")).doesNotExist();
        assertThat(floor.resolve("assignments")).doesNotExist();
        assertThat(Files.readString(floor.resolve("pom.xml"))).doesNotContain("grader-core");
    }
}
