package backprop.grader.cli;

import backprop.grader.spec.Spelling;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code grader} command. Exit codes: 0 when everything passed, 1 when some check or file failed, 2 when
 * the grader itself could not run (bad usage, unreadable input).
 */
@Command(name = "grader", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Grades neural-network backpropagation homework against a reference solution.",
        subcommands = {ValidateCommand.class, FillCommand.class, CheckCommand.class, GradeCommand.class,
            GradescopeCommand.class, GradebookCommand.class, DiffCommand.class, MergeCommand.class,
            ExportTemplateCommand.class, ExportGradescopeCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class},
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
        cl.setParameterExceptionHandler((e, a) -> usageError(e));
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("grader: " + e.getMessage());
            return GRADER_ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Says what was wrong with the command line: every unknown option or command by name, with the nearest
     * known ones, even when picocli stopped first at a required option (which a misspelt option leaves unset).
     */
    static int usageError(CommandLine.ParameterException e) {
        CommandLine c = e.getCommandLine();
        java.io.PrintWriter err = c.getErr();
        String name = c.getCommandSpec().qualifiedName();
        List<String> unmatched = c.getUnmatchedArguments();
        List<String> options = unmatched.stream().filter(t -> t.startsWith("-")).toList();
        if (!unmatched.isEmpty() && c.getParent() == null && !unmatched.get(0).startsWith("-")) {
            err.println("grader: '" + unmatched.get(0) + "' is not a command"
                    + didYouMean(unmatched.get(0), c.getSubcommands().keySet()));
        } else if (!options.isEmpty()) {
            for (String o : options) {
                String option = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                err.println("grader: " + name + " has no option '" + option + "'"
                        + didYouMean(option, c.getCommandSpec().optionsMap().keySet()));
            }
        } else if (!unmatched.isEmpty()) {
            err.println("grader: " + name + " takes no argument '" + unmatched.get(0) + "'");
        }
        if (unmatched.isEmpty() || !(e instanceof CommandLine.UnmatchedArgumentException)) {
            err.println("grader: " + e.getMessage());
        }
        err.println("Try '" + name + " --help' for its " + (c.getSubcommands().isEmpty() ? "options." : "commands."));
        return GRADER_ERROR;
    }

    private static String didYouMean(String word, java.util.Collection<String> known) {
        List<String> near = Spelling.near(word, known, 3);
        return near.isEmpty() ? "" : " (did you mean " + near.stream().map(x -> "'" + x + "'")
                .collect(java.util.stream.Collectors.joining(" or ")) + "?)";
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
