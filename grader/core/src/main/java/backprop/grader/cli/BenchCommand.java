package backprop.grader.cli;

import backprop.grader.bench.BatchBench;
import backprop.grader.bench.CallBench;
import backprop.grader.bench.GradcheckScaling;
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
        description = "Measure and print: gradient-check scaling up to 784-128-10; the cost of the per-call time "
                + "limit; batch grading against a fresh "
                + "mvn test per student; overhead per submission against java -version plus javac; the grader's "
                + "peak heap for growing classes. Slow (minutes): it is a benchmark, not a test.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--submissions", description = "Generated submissions for throughput (default: ${DEFAULT-VALUE}).")
    private int submissions = 20;

    @Option(names = "--maven-sample", description = "Submissions timed with mvn test (default: ${DEFAULT-VALUE}).")
    private int sample = 3;

    @Option(names = "--memory", split = ",", description = "Class sizes for the memory table (default: 50,500).")
    private List<Integer> memory = new ArrayList<>(List.of(50, 500));

    @Option(names = "--only", description = "gradcheck, calls or batch (default: all).")
    private String only = "";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!List.of("", "gradcheck", "calls", "batch").contains(only)) {
            spec.commandLine().getErr().println("grader: --only must be gradcheck, calls or batch");
            return Main.GRADER_ERROR;
        }
        Path refPath = Home.reference();
        Components ref = Home.openReference(refPath);
        if (only.isEmpty() || only.equals("gradcheck")) {
            GradcheckScaling.run(out, ref);
        }
        if (only.isEmpty() || only.equals("calls")) {
            CallBench.run(out, refPath, Home.assignments());
        }
        if (only.isEmpty() || only.equals("batch")) {
            BatchBench.run(out, Home.root(), List.of(Home.assignments()), ref, refPath, submissions, sample, memory);
        }
        return 0;
    }
}
