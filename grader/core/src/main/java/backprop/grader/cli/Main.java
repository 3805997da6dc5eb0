package backprop.grader.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code grader} command. Exit codes: 0 when everything passed, 1 when some check or file failed, 2 when
 * the grader itself could not run (bad usage, unreadable input).
 */
@Command(name = "grader", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Grades neural-network backpropagation homework against a reference solution.",
        subcommands = {ValidateCommand.class, CheckCommand.class, GradeCommand.class, GradescopeCommand.class,
            GradebookCommand.class, ExportTemplateCommand.class, ExportGradescopeCommand.class, BenchCommand.class,
            MergeCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything passed", "1:some check failed or some file has problems",
            "2:the grader could not run (bad usage or input)"})
public final class Main implements Runnable {
    /** Some check failed. */
    public static final int SOME_FAILED = 1;
    /** The grader could not run. */
    public static final int GRADER_ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams and returns its exit code (for tests). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> GRADER_ERROR);
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("grader: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return GRADER_ERROR;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("grader: " + e.getMessage());
            return GRADER_ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate or check");
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"grader " + version()};
        }
    }

    /** The grader's version, from the jar manifest, or {@code dev} when run from classes. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
