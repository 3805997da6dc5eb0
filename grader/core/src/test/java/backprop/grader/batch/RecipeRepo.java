package backprop.grader.batch;

import backprop.grader.TestFiles;
import backprop.grader.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a course's grading repository (or for the image's file system), where the recipes' own commands
 * run: its {@code grader/bin/grader} starts this build's grader in a JVM of its own, as the real launcher does,
 * grading with the test assignment and the reference sources; every call's arguments are logged.
 */
final class RecipeRepo {
    final Path root;
    final Path launcher;
    final Path calls;

    private RecipeRepo(Path root) {
        this.root = root;
        this.launcher = root.resolve("grader/bin/grader");
        this.calls = root.resolve("launcher-calls.log");
    }

    /** Makes one in {@code root}, whose grader grades {@code assignments}. */
    static RecipeRepo create(Path root, String assignments) throws IOException {
        RecipeRepo r = new RecipeRepo(root);
        Files.createDirectories(r.launcher.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/bin/bash\n"
                + "printf '%s\\n' \"$*\" >> " + quote(r.calls.toString()) + "\n"
                + "if [ \"${1:-}\" = grade ]; then shift; set -- grade --assignments " + quote(assignments)
                + " --reference " + quote(TestFiles.referenceSources().toString())
                + " --timeout 30 --heap 64m \"$@\"; fi\n"
                + "exec " + quote(java) + " -XX:+DisableAttachMechanism -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                + "-Dgrader.home=" + quote(TestFiles.root().toString()) + " -cp "
                + quote(System.getProperty("java.class.path")) + " " + Main.class.getName() + " \"$@\"\n";
        Files.writeString(r.launcher, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(r.launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return r;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Starts {@code bash -eo pipefail FILE ARGS} (as a CI runner or sbatch would) in {@code dir}. */
    static Process bash(Path dir, Path file, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail",
                file.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.equals(ShardEnvironment.K8S_INDEX)
                || k.equals(ShardEnvironment.COUNT) || k.startsWith("GRADER_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits for every process; each must end with 0, else the failure shows its log. */
    static void await(List<Process> running, List<Path> logs) throws Exception {
        for (int i = 0; i < running.size(); i++) {
            if (!running.get(i).waitFor(5, TimeUnit.MINUTES)) {
                running.get(i).destroyForcibly();
                throw new AssertionError("still running after 5 minutes: " + Files.readString(logs.get(i)));
            }
            if (running.get(i).exitValue() != 0) {
                throw new AssertionError("exit " + running.get(i).exitValue() + ": " + Files.readString(logs.get(i)));
            }
        }
    }

    /** The launcher's calls so far, one line of arguments each. */
    List<String> calls() throws IOException {
        return Files.isRegularFile(calls) ? Files.readAllLines(calls) : List.of();
    }
}
