package backprop.grader.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child's runtime holds {@code java.base} alone, and an image someone else could have changed is not run. */
class ChildRuntimeTest {
    @Test
    void theChildsRuntimeHoldsJavaBaseAlone() throws Exception {
        List<String> notes = new ArrayList<>();
        ChildRuntime rt = ChildRuntime.of(HostTools.find().javaHome(), notes::add);
        List<String> cmd = new ArrayList<>(List.of(rt.java().toString()));
        cmd.addAll(rt.options());
        cmd.add("--list-modules");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().filter(l -> !l.isBlank()).map(l -> l.split("@")[0].strip()).toList())
                .as(out + notes).containsExactly("java.base");
        // made from a JDK with jmods, as this build's is: the jlinked image, which starts faster
        assertThat(rt.jlinked()).as(notes.toString()).isEqualTo(Files.isDirectory(HostTools.find().javaHome()
                .resolve("jmods")));
    }

    @Test
    void anImageThatIsUnfinishedLinkedOrWritableByOthersIsNotTrusted(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image.resolve("bin"));
        Files.createDirectories(image.resolve("lib"));
        Files.writeString(image.resolve("bin/java"), "#!/bin/sh\n");
        Files.writeString(image.resolve("lib/modules"), "");
        assertThat(ChildRuntime.untrusted(image)).hasValueSatisfying(w -> assertThat(w).contains("missing"));
        Files.writeString(image.resolve("backprop-grader-runtime.done"), "jdk\n");
        assertThat(ChildRuntime.untrusted(image)).isEmpty();

        Files.setPosixFilePermissions(image.resolve("lib/modules"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(ChildRuntime.untrusted(image)).hasValueSatisfying(w -> assertThat(w).contains("written by others"));
        Files.setPosixFilePermissions(image.resolve("lib/modules"), PosixFilePermissions.fromString("rw-r--r--"));

        Files.createSymbolicLink(image.resolve("lib/extra"), Path.of("/etc"));
        assertThat(ChildRuntime.untrusted(image)).hasValueSatisfying(w -> assertThat(w).contains("is a link"));
        Files.delete(image.resolve("lib/extra"));

        Path linked = dir.resolve("linked");
        Files.createSymbolicLink(linked, image);
        assertThat(ChildRuntime.untrusted(linked)).hasValueSatisfying(w -> assertThat(w).contains("is a link"));
    }
}
