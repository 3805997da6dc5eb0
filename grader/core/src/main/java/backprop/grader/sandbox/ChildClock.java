package backprop.grader.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one child as the grader does and notes when each of its frames arrives: where a child's time goes, for
 * benchmarks. Nothing it returns is graded.
 */
public final class ChildClock {
    private ChildClock() {}

    /**
     * Seconds from the child's start.
     *
     * @param hello its harness read the job
     * @param traces each assignment's trace arrived, in order
     * @param done every assignment was traced
     * @param exit the process ended
     * @param cpu CPU seconds the child's processes had used when last seen alive (read from {@code /proc}, as the
     *     monitor reads them, every 10 ms and at each frame): less swayed than wall time by other work on the
     *     machine, and what bounds a batch's throughput
     * @param helloCpu CPU seconds used when the job had been read
     * @param traceCpu CPU seconds used when each trace arrived
     */
    public record Timing(double hello, List<Double> traces, double done, double exit, double cpu, double helloCpu,
            List<Double> traceCpu) {
        /** Seconds each assignment took in the child: from the frame before its trace to its trace. */
        public List<Double> perAssignment() {
            return differences(hello, traces);
        }

        /** CPU seconds each assignment took in the child, measured as {@link #perAssignment} is. */
        public List<Double> perAssignmentCpu() {
            return differences(helloCpu, traceCpu);
        }

        private static List<Double> differences(double start, List<Double> marks) {
            List<Double> out = new ArrayList<>();
            double last = start;
            for (double t : marks) {
                out.add(t - last);
                last = t;
            }
            return out;
        }
    }

    /**
     * Runs {@code job} in a child of {@code sandbox} on {@code classes}, in slot {@code slot}.
     *
     * @throws IOException when the child does not start, or does not trace every assignment within the wall time
     */
    public static Timing run(Sandbox sandbox, Path classes, Path scratch, int slot, Limits limits, Codec.Job job)
            throws IOException {
        Sandbox.Command cmd = sandbox.command(classes, scratch, slot, limits, false);
        ProcessBuilder pb = new ProcessBuilder(cmd.argv()).directory(cmd.directory().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(cmd.env());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            double[] hello = {Double.NaN};
            double[] done = {Double.NaN};
            double[] cpu = {Double.NaN, Double.NaN};
            List<Double> traces = new ArrayList<>();
            List<Double> traceCpu = new ArrayList<>();
            Frames.Scanner scanner = new Frames.Scanner(job.nonce(), payload -> {
                double t = (System.nanoTime() - t0) / 1e9;
                switch (payload[0]) {
                    case Frames.HELLO -> {
                        hello[0] = t;
                        cpu[1] = cpu(p.toHandle());
                    }
                    case Frames.TRACE -> {
                        traces.add(t);
                        traceCpu.add(cpu(p.toHandle()));
                    }
                    case Frames.DONE -> done[0] = t;
                    default -> { }
                }
            });
            Thread sampler = new Thread(() -> {
                while (p.isAlive()) {
                    double c = cpu(p.toHandle());
                    synchronized (cpu) {
                        cpu[0] = Double.isNaN(cpu[0]) ? c : Math.max(cpu[0], c);
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "clock-cpu");
            sampler.setDaemon(true);
            sampler.start();
            Thread in = new Thread(() -> {
                try (OutputStream os = p.getOutputStream()) {
                    Codec.writeJob(os, job);
                } catch (IOException e) {
                    // the child died before reading its job: the missing frames say so
                }
            }, "clock-stdin");
            in.setDaemon(true);
            in.start();
            byte[] b = new byte[16384];
            try (InputStream out = p.getInputStream()) {
                int n;
                while ((n = out.read(b)) > 0) {
                    scanner.feed(b, 0, n);
                }
            }
            if (!p.waitFor(limits.wall().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the child did not end within " + limits.wall().toSeconds() + " s");
            }
            double exit = (System.nanoTime() - t0) / 1e9;
            sampler.join();
            if (Double.isNaN(done[0]) || traces.size() != job.assignments().size()) {
                throw new IOException("the child traced " + traces.size() + " of " + job.assignments().size()
                        + " assignments (exit code " + p.exitValue() + ")");
            }
            synchronized (cpu) {
                // a trace read after the child had ended was sampled as nothing: the last sample stands for it
                List<Double> marks = traceCpu.stream().map(c -> c == 0 ? cpu[0] : c).toList();
                return new Timing(hello[0], List.copyOf(traces), done[0], exit, cpu[0], cpu[1], marks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            ChildRun.killTree(p);
            sandbox.clearSlot(slot);
        }
    }

    /** CPU seconds used so far by {@code h} and its descendants (the wrappers, the JVM, its threads). */
    private static double cpu(ProcessHandle h) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants())
                .mapToDouble(d -> d.info().totalCpuDuration().map(c -> c.toNanos() / 1e9).orElse(0.0)).sum();
    }
}
