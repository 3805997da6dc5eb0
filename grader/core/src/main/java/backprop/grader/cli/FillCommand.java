package backprop.grader.cli;

import backprop.grader.author.Filler;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.spec.Problem;
import backprop.grader.spec.SpecException;
import backprop.grader.compile.CompileException;
import backprop.grader.submission.Components;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code grader fill}: writes the reference's expected values into assignment files, in place. */
@Command(name = "fill", mixinStandardHelpOptions = true,
        description = {"Compute every expected value with the reference and write it into the file in place: into "
                + "each placeholder ('expected: fill', or a checkpoint without 'expected') and over each written "
                + "value the reference disagrees with. Comments, key order and layout stay; values the reference "
                + "agrees with stay as written, so a second fill changes nothing. Review the diff, then commit.",
            "A file with problems is not filled: its problems are listed instead."})
final class FillCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Assignment files or folders to fill.")
    private List<Path> paths = new ArrayList<>();

    @Option(names = "--assignments", paramLabel = "PATH", split = ",",
            description = "The same as FILE, as the other commands take it.")
    private List<Path> assignments = new ArrayList<>();

    @Option(names = "--check",
            description = "Write nothing: list each placeholder and each written value that disagrees with the "
                    + "reference, beside the reference's value, and exit 1 when there is any.")
    private boolean check;

    @Option(names = "--expand-reference",
            description = "Also replace 'expected: reference' by the value (at most " + Filler.MAX_WRITTEN
                    + " entries), so a student's local run checks it too.")
    private boolean expandReference;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "The reference solution (default: grader/reference).")
    private Path reference;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> chosen = new ArrayList<>(paths);
        chosen.addAll(assignments);
        if (chosen.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name the files to fill");
        }
        List<Path> files = AssignmentSet.files(chosen);
        Components ref;
        try {
            ref = Home.openReference(reference == null ? Home.reference() : reference);
        } catch (CompileException e) {
            spec.commandLine().getErr().println("grader: the reference solution " + e.getMessage());
            return Main.GRADER_ERROR;
        }
        boolean allGood = true;
        for (Path file : files) {
            allGood &= fill(file, ref, out);
            out.flush();
        }
        return allGood ? 0 : Main.SOME_FAILED;
    }

    /** Fills (or with {@code --check}, inspects) one file; returns true when nothing is left to do in it. */
    private boolean fill(Path file, Components ref, PrintWriter out) {
        Filler.Plan plan;
        try {
            plan = Filler.plan(file, ref, expandReference);
        } catch (SpecException e) {
            out.println("BAD  " + file + ": not filled, it has problems");
            e.problems().forEach(out::println);
            return false;
        } catch (IOException e) {
            out.println("BAD  " + file + ": cannot read it: " + e.getMessage());
            return false;
        } catch (OutOfMemoryError e) {
            out.println("BAD  " + file + ": not filled, the grader ran out of memory on it");
            return false;
        }
        return check ? inspect(file, plan, out) : write(file, plan, out);
    }

    /** Lists what fill would write, beside what the file says; true when there is nothing. */
    private static boolean inspect(Path file, Filler.Plan plan, PrintWriter out) {
        out.println((plan.changes().isEmpty() && plan.problems().isEmpty() ? "ok   " : "BAD  ") + file);
        for (Filler.Change c : plan.changes()) {
            out.println(c.problem().map(Problem::toString).orElse(c.at() + ": " + switch (c.reason()) {
                case FILLED -> "'" + c.checkpoint().id() + "' has no value yet; the reference computes ";
                case EXPANDED -> "'" + c.checkpoint().id() + "' is computed at grading time; the reference "
                        + "computes ";
                case CORRECTED -> "'" + c.checkpoint().id() + "' disagrees with the reference, which computes ";
            } + shorten(c.after())));
        }
        plan.problems().forEach(out::println);
        return plan.changes().isEmpty() && plan.problems().isEmpty();
    }

    /** Writes a plan and says what it wrote; true when nothing is left to do. */
    private static boolean write(Path file, Filler.Plan plan, PrintWriter out) {
        try {
            Filler.write(plan);
        } catch (IOException e) {
            out.println("BAD  " + file + ": cannot write it: " + e.getMessage());
            return false;
        }
        out.printf(Locale.ROOT, "%-4s %s: %s%n", plan.problems().isEmpty() ? "ok" : "BAD", file,
                plan.changes().isEmpty() ? "nothing to write, every value agrees with the reference"
                        : plan.changes().size() + " value(s) written");
        for (Filler.Change c : plan.changes()) {
            out.println(c.at() + ": '" + c.checkpoint().id() + "' " + switch (c.reason()) {
                case FILLED -> "filled: ";
                case EXPANDED -> "written out: ";
                case CORRECTED -> "was " + shorten(c.before()) + ", now ";
            } + shorten(c.after()));
        }
        plan.problems().forEach(out::println);
        return plan.problems().isEmpty();
    }

    /** A value short enough for one line of output. */
    private static String shorten(String value) {
        String one = value.replaceAll("\\s+", " ");
        return one.length() <= 100 ? one : one.substring(0, 96) + " …]";
    }
}
