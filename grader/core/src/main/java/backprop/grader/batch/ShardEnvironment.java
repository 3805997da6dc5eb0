package backprop.grader.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --shard auto}: the shard read from the engine that started this process, so one command line serves
 * every worker. A Kubernetes Indexed Job gives each pod {@code JOB_COMPLETION_INDEX} but not the count, which comes
 * from {@code --shard auto/N} (or {@code GRADER_SHARD_COUNT}); a Slurm array gives {@code SLURM_ARRAY_TASK_ID},
 * {@code SLURM_ARRAY_TASK_MIN} and {@code SLURM_ARRAY_TASK_COUNT}, and the shard is the task id less the first one.
 * A CI matrix names its shard itself ({@code --shard I/N}). Anything missing, unreadable or contradictory is an
 * error that names the variables and their values: a worker that guessed would grade someone else's share.
 */
public final class ShardEnvironment {
    /** Set in every pod of a Kubernetes Indexed Job. */
    public static final String K8S_INDEX = "JOB_COMPLETION_INDEX";
    /** The task's id in a Slurm job array. */
    public static final String SLURM_ID = "SLURM_ARRAY_TASK_ID";
    /** The first task id of the array. */
    public static final String SLURM_MIN = "SLURM_ARRAY_TASK_MIN";
    /** The last task id of the array. */
    public static final String SLURM_MAX = "SLURM_ARRAY_TASK_MAX";
    /** The number of tasks in the array. */
    public static final String SLURM_COUNT = "SLURM_ARRAY_TASK_COUNT";
    /** The step between task ids ({@code --array=0-15:4}). */
    public static final String SLURM_STEP = "SLURM_ARRAY_TASK_STEP";
    /** The count of shards, for an engine that does not say it (a Kubernetes Indexed Job). */
    public static final String COUNT = "GRADER_SHARD_COUNT";

    private ShardEnvironment() {}

    /**
     * The shard an option names: {@code I/N} as written, or {@code auto}/{@code auto/N} from {@code env}.
     *
     * @throws IllegalArgumentException saying what is missing or contradictory, naming the variables
     */
    public static Shard resolve(String option, Map<String, String> env) {
        String text = option.strip();
        if (!text.equals("auto") && !text.startsWith("auto/")) {
            return Shard.parse(text, "--shard");
        }
        Optional<Integer> given = text.equals("auto") ? Optional.empty()
                : Optional.of(Shard.number(text.substring("auto/".length()), "--shard " + text));
        if (given.isPresent() && given.get() < 1) {
            throw new IllegalArgumentException("--shard " + text + ": the count of shards must be at least 1");
        }
        Optional<Integer> fromCount = value(env, COUNT).map(v -> Shard.number(v, COUNT + "=" + v));
        Optional<String> k8s = value(env, K8S_INDEX);
        Optional<String> slurm = value(env, SLURM_ID);
        if (k8s.isPresent() && slurm.isPresent()) {
            throw new IllegalArgumentException("--shard auto: the environment is contradictory: both " + K8S_INDEX + "="
                    + k8s.get() + " (a Kubernetes Indexed Job) and " + SLURM_ID + "=" + slurm.get()
                    + " (a Slurm array) are set; unset the one that does not belong, or give --shard I/N");
        }
        if (k8s.isPresent()) {
            int index = Shard.number(k8s.get(), K8S_INDEX + "=" + k8s.get());
            int count = agreed(given, fromCount, Optional.empty(), text).orElseThrow(() -> new IllegalArgumentException(
                    "--shard " + text + ": " + K8S_INDEX + "=" + index + " says which shard this pod is, but not how "
                            + "many there are: give --shard auto/N with N the Job's completions (or set " + COUNT
                            + ")"));
            return checked(index, count, K8S_INDEX + "=" + index);
        }
        if (slurm.isPresent()) {
            return slurm(env, text, given, fromCount);
        }
        throw new IllegalArgumentException("--shard " + text + " found no shard in the environment: neither "
                + K8S_INDEX + " (set in a Kubernetes Indexed Job) nor " + SLURM_ID + " (set in a Slurm array job, "
                + "sbatch --array) is set; in a CI matrix, give --shard I/N");
    }

    private static Shard slurm(Map<String, String> env, String text, Optional<Integer> given,
            Optional<Integer> fromCount) {
        int id = required(env, SLURM_ID);
        int min = required(env, SLURM_MIN);
        int tasks = required(env, SLURM_COUNT);
        int step = value(env, SLURM_STEP).map(v -> Shard.number(v, SLURM_STEP + "=" + v)).orElse(1);
        Optional<Integer> max = value(env, SLURM_MAX).map(v -> Shard.number(v, SLURM_MAX + "=" + v));
        String vars = SLURM_ID + "=" + id + ", " + SLURM_MIN + "=" + min + ", " + SLURM_COUNT + "=" + tasks
                + value(env, SLURM_MAX).map(v -> ", " + SLURM_MAX + "=" + v).orElse("")
                + value(env, SLURM_STEP).map(v -> ", " + SLURM_STEP + "=" + v).orElse("");
        if (step != 1 || (max.isPresent() && max.get() - min + 1 != tasks)) {
            throw new IllegalArgumentException("--shard " + text + ": the Slurm array is not one run of task ids ("
                    + vars + "): submit it as sbatch --array=0-" + (tasks - 1) + " so that task ids are the shards");
        }
        int count = agreed(given, fromCount, Optional.of(tasks), text).orElseThrow();
        return checked(id - min, count, vars);
    }

    /** The one count that every source gives, or an error naming them all. */
    private static Optional<Integer> agreed(Optional<Integer> given, Optional<Integer> fromCount,
            Optional<Integer> engine, String text) {
        List<String> says = new ArrayList<>();
        given.ifPresent(n -> says.add("--shard " + text));
        fromCount.ifPresent(n -> says.add(COUNT + "=" + n));
        engine.ifPresent(n -> says.add(SLURM_COUNT + "=" + n));
        long distinct = java.util.stream.Stream.of(given, fromCount, engine).flatMap(Optional::stream).distinct()
                .count();
        if (distinct > 1) {
            throw new IllegalArgumentException("--shard " + text + ": the count of shards is contradictory: "
                    + String.join(", ", says));
        }
        return engine.or(() -> given).or(() -> fromCount);
    }

    private static Shard checked(int index, int count, String vars) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard auto: " + vars + " is shard " + index + ", outside 0 to "
                    + (count - 1) + " of " + count + " shards");
        }
        return new Shard(index, count);
    }

    private static int required(Map<String, String> env, String name) {
        String v = value(env, name).orElseThrow(() -> new IllegalArgumentException("--shard auto: " + SLURM_ID
                + " is set but " + name + " is not: is this a Slurm array job (sbatch --array=0-N)?"));
        return Shard.number(v, name + "=" + v);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
