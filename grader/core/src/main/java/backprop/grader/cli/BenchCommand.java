package backprop.grader.cli;

import backprop.grader.bench.BatchBench;
import backprop.grader.bench.BudgetBench;
import backprop.grader.bench.CallBench;
import backprop.grader.bench.Catalogue;
import backprop.grader.bench.DiagnosisBench;
import backprop.grader.bench.GradcheckScaling;
import backprop.grader.bench.ProfileBench;
import backprop.grader.bench.ShardBench;
import backprop.grader.bench.StudentLoopBench;
import backprop.grader.spec.AssignmentSet;
import backprop.grader.submission.Components;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code grader bench}: prints the benchmark tables (figures, never pass/fail). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure and print: gradient-check scaling up to 784-128-10; the validation budget's estimate "
                + "against measured runs; the cost of the per-call time limit; batch grading against a fresh "
                + "mvn test per student; overhead per submission against java -version plus javac; the grader's "
                + "peak heap for growing classes; one process against shard processes plus their merge, and the "
                + "merge alone on generated classes of thousands; the accuracy of diagnosis on the catalogue of "
                + "one-bug submissions; a student's ./mvnw test against an empty Maven run. Slow (minutes): it is a "
                + "benchmark, not a test.")
final class BenchCommand implements Callable<Integer> {
    /** Runs of {@code ./mvnw test} in each repository of the student's loop: a median of five. */
    private static final int STUDENT_ROUNDS = 5;

    @Option(names = "--submissions", description = "Generated submissions for throughput (default: ${DEFAULT-VALUE}).")
    private int submissions = 20;

    @Option(names = "--maven-sample", description = "Submissions timed with mvn test (default: ${DEFAULT-VALUE}).")
    private int sample = 3;

    @Option(names = "--memory", split = ",", description = "Class sizes for the memory table (default: 50,500).")
    private List<Integer> memory = new ArrayList<>(List.of(50, 500));

    @Option(names = "--shard-class", paramLabel = "N",
            description = "Submissions graded by one process and by shard processes (default: ${DEFAULT-VALUE}; "
                    + "a few thousand take hours here).")
    private int shardClass = 24;

    @Option(names = "--shards", paramLabel = "N", description = "Shard processes (default: ${DEFAULT-VALUE}).")
    private int shards = 2;

    @Option(names = "--merge-sizes", paramLabel = "N,N", split = ",",
            description = "Generated class sizes the merge alone is timed on (default: 500,2000).")
    private List<Integer> mergeSizes = new ArrayList<>(List.of(500, 2000));

    @Option(names = "--only", description = "gradcheck, budget, calls, batch, profile, shard, diagnosis or student "
            + "(default: all), or child (the child JVM's start, with and without its class-data archive; not part "
            + "of all).")
    private String only = "";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (only.equals("child")) { // not part of "all": the batch table already starts children
            backprop.grader.bench.ChildStartBench.run(out, Home.root(), Home.assignments(),
                    Integer.getInteger("grader.bench.childRounds", 7));
            return 0;
        }
        Path refPath = Home.reference();
        Components ref = Home.openReference(refPath);
        if (!List.of("", "gradcheck", "budget", "calls", "batch", "profile", "shard", "diagnosis", "student")
                .contains(only)) {
            spec.commandLine().getErr().println("grader: --only takes gradcheck, budget, calls, batch, profile, shard, "
                    + "diagnosis, student or child, not '" + only + "'");
            return Main.GRADER_ERROR;
        }
        if (only.isEmpty() || only.equals("gradcheck")) {
            GradcheckScaling.run(out, ref);
        }
        if (only.isEmpty() || only.equals("budget")) {
            BudgetBench.run(out, Home.assignments(), ref);
        }
        if (only.isEmpty() || only.equals("calls")) {
            CallBench.run(out, refPath, Home.assignments());
        }
        if (only.isEmpty() || only.equals("batch")) {
            BatchBench.run(out, Home.root(), List.of(Home.assignments()), ref, refPath, submissions, sample, memory);
        }
        if (only.isEmpty() || only.equals("profile")) {
            ProfileBench.run(out, Home.root(), List.of(Home.assignments()), ref, refPath, submissions, sample);
        }
        if (only.isEmpty() || only.equals("shard")) {
            ShardBench.run(out, Home.root(), List.of(Home.assignments()), refPath, shardClass, shards, mergeSizes);
        }
        if (only.isEmpty() || only.equals("student")) {
            StudentLoopBench.run(out, Home.root(), STUDENT_ROUNDS);
        }
        if (only.isEmpty() || only.equals("diagnosis")) {
            out.println("Diagnosis on the catalogue of one-bug submissions and correct variants (" + Catalogue.FILE
                    + ")");
            long start = System.nanoTime();
            AssignmentSet set = AssignmentSet.load(List.of(Home.assignments()));
            List<DiagnosisBench.Measured> rows = DiagnosisBench.run(Home.root(), ref, set.assignments(),
                    spec.commandLine().getErr());
            DiagnosisBench.print(out, rows, (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
