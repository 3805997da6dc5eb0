package backprop.grader.batch;

import static org.assertj.core.api.Assertions.assertThat;

import backprop.grader.TestFiles;
import backprop.grader.files.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes in {@code grader/deploy/}, tested as far as this machine allows: no GitHub runner, cluster, image
 * builder or Slurm is here. The workflow passes actionlint, and its steps' own commands grade and merge a class;
 * the Kubernetes manifests read into the API types with no unknown field, hang together, and their containers' own
 * arguments grade and merge a class; the Containerfile copies only what exists; the Slurm scripts run as an
 * array's tasks would, and submit.sh queues the merge after the array. Every merge writes what one run writes.
 */
class DeployRecipesTest {
    static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()).build();
    static final String ASSIGNMENTS = TestFiles.publicAssignments().resolve("seed-000.yaml").toString();

    @TempDir
    static Path tmp;
    static Path deploy;
    static Path subs;
    static Path whole;

    @BeforeAll
    static void aClassGradedByOneRun() throws Exception {
        deploy = TestFiles.root().resolve("grader/deploy");
        subs = tmp.resolve("class");
        for (String id : List.of("alice", "Zed", "nadia")) {
            HostileBatch.copyReference(subs.resolve(id + "/homework"));
        }
        HostileBatch.copyReference(subs.resolve("dave/homework"));
        Files.writeString(subs.resolve("dave/homework/Relu.java"), "package homework; class Relu {");
        whole = tmp.resolve("whole");
        StringBuilder printed = new StringBuilder();
        List<String> args = List.of("grade", "--submissions", subs.toString(), "--out", whole.toString(),
                "--assignments", ASSIGNMENTS, "--reference", TestFiles.referenceSources().toString(), "--timeout",
                "30", "--heap", "64m", "--sandbox", "bwrap", "--jobs", "2");
        assertThat(ShardedClass.run(args, printed)).as("%s", printed).isZero();
    }

    // ------------------------------------------------------------------------------------------ GitHub Actions

    @Test
    void theWorkflowPassesActionlintAndActionlintCatchesABrokenOne() throws Exception {
        Path workflow = deploy.resolve("github/grade-class.yml");
        Actionlint.Result ok = Actionlint.run(workflow);
        assertThat(ok.exit()).as(ok.output()).isZero();
        Path broken = tmp.resolve("lint/grade-class.yml");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, Files.readString(workflow).replace("needs: grade", "needs: grading")
                .replace("--out \"shards/${{ matrix.shard }}\"", "--out \"shards/${{ matrix.shrd }}\""));
        Actionlint.Result bad = Actionlint.run(broken);
        assertThat(bad.exit()).as(bad.output()).isNotZero();
        assertThat(bad.output()).contains("grading").contains("shrd");
    }

    @Test
    void theWorkflowsOwnStepsGradeShardsAndMergeThemIntoOneRunsReports() throws Exception {
        JsonNode wf = YAML.readTree(deploy.resolve("github/grade-class.yml").toFile());
        JsonNode grade = wf.path("jobs").path("grade");
        JsonNode merge = wf.path("jobs").path("merge");
        List<Integer> matrix = new ArrayList<>();
        grade.path("strategy").path("matrix").path("shard").forEach(n -> matrix.add(n.asInt()));
        assertThat(matrix).as("the shards are 0 to N-1").isEqualTo(java.util.stream.IntStream.range(0, matrix.size())
                .boxed().toList());
        assertThat(merge.path("needs").asText()).isEqualTo("grade");
        JsonNode upload = step(grade, "actions/upload-artifact@v4").path("with");
        assertThat(upload.path("include-hidden-files").asBoolean()).as("the saved results are in .results").isTrue();
        assertThat(upload.path("path").asText()).isEqualTo("shards/${{ matrix.shard }}");
        assertThat(upload.path("name").asText()).isEqualTo("shard-${{ matrix.shard }}");
        assertThat(step(merge, "actions/download-artifact@v4").path("with").path("pattern").asText())
                .isEqualTo("shard-*");
        String gradeRun = named(grade, "Grade shard").path("run").asText();
        assertThat(gradeRun).contains("--shard \"${{ matrix.shard }}/${{ strategy.job-total }}\"")
                .contains("--out \"shards/${{ matrix.shard }}\"").contains("--submissions submissions");

        // each matrix job, in a checkout of its own
        int n = matrix.size();
        List<Process> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<RecipeRepo> runners = new ArrayList<>();
        for (int i : matrix) {
            RecipeRepo runner = RecipeRepo.create(tmp.resolve("gh-grade-" + i), ASSIGNMENTS);
            FileTrees.copy(subs, runner.root.resolve("submissions"));
            Path script = Files.writeString(runner.root.resolve("step.sh"), gradeRun
                    .replace("${{ matrix.shard }}", Integer.toString(i))
                    .replace("${{ strategy.job-total }}", Integer.toString(n)));
            logs.add(runner.root.resolve("step.log"));
            running.add(RecipeRepo.bash(runner.root, script, List.of(), Map.of(), logs.get(logs.size() - 1)));
            runners.add(runner);
        }
        RecipeRepo.await(running, logs);
        // the merge job's checkout, with each artifact downloaded into a folder named after it
        RecipeRepo merger = RecipeRepo.create(tmp.resolve("gh-merge"), ASSIGNMENTS);
        for (int i : matrix) {
            FileTrees.copy(runners.get(i).root.resolve("shards/" + i), merger.root.resolve("shards/shard-" + i));
        }
        Path summary = tmp.resolve("gh-step-summary.md");
        for (String name : List.of("Merge the shards", "Class summary")) {
            Path script = Files.writeString(merger.root.resolve("step.sh"), named(merge, name).path("run").asText());
            Process p = RecipeRepo.bash(merger.root, script, List.of(), Map.of("GITHUB_STEP_SUMMARY",
                    summary.toString()), merger.root.resolve("step.log"));
            RecipeRepo.await(List.of(p), List.of(merger.root.resolve("step.log")));
        }
        ShardMergeTest.assertSameReports(whole, merger.root.resolve("reports"));
        assertThat(Files.readString(summary)).isEqualTo(Files.readString(whole.resolve("summary.md")));
        for (String path : step(merge, "actions/upload-artifact@v4").path("with").path("path").asText().split("\n")) {
            assertThat(merger.root.resolve(path.strip())).as("uploaded: " + path).isRegularFile();
        }
    }

    private static JsonNode step(JsonNode job, String uses) {
        for (JsonNode s : job.path("steps")) {
            if (s.path("uses").asText().equals(uses)) {
                return s;
            }
        }
        throw new AssertionError("no step uses " + uses);
    }

    private static JsonNode named(JsonNode job, String prefix) {
        for (JsonNode s : job.path("steps")) {
            if (s.path("name").asText().startsWith(prefix)) {
                return s;
            }
        }
        throw new AssertionError("no step named " + prefix);
    }

    // -------------------------------------------------------------------------------------------------- Kubernetes

    @Test
    void theManifestsAreKubernetesApiObjectsWithNoUnknownField() throws Exception {
        Job grade = KubernetesModel.read(deploy.resolve("kubernetes/grade-job.yaml"), Job.class);
        Job merge = KubernetesModel.read(deploy.resolve("kubernetes/merge-job.yaml"), Job.class);
        PersistentVolumeClaim pvc = KubernetesModel.read(deploy.resolve("kubernetes/volume.yaml"),
                PersistentVolumeClaim.class);
        for (Object o : List.of(grade, merge, pvc)) {
            assertThat(KubernetesModel.unknownFields(o)).as(o.getClass().getSimpleName()).isEmpty();
        }
        // the check sees a misspelt field, which the API types would otherwise keep quietly
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, Files.readString(deploy.resolve("kubernetes/grade-job.yaml"))
                .replace("completionMode:", "completionMod:").replace("procMount:", "procMnt:"));
        assertThat(KubernetesModel.unknownFields(KubernetesModel.read(typo, Job.class)))
                .containsExactlyInAnyOrder("Job.spec.completionMod",
                        "Job.spec.template.spec.containers[0].securityContext.procMnt");

        assertThat(grade.getApiVersion()).isEqualTo("batch/v1");
        assertThat(grade.getSpec().getCompletionMode()).isEqualTo("Indexed");
        int n = grade.getSpec().getCompletions();
        assertThat(grade.getSpec().getParallelism()).as("every shard at once").isEqualTo(n);
        PodSpec pod = grade.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getHostUsers()).isFalse();
        Container c = pod.getContainers().get(0);
        assertThat(c.getCommand()).as("the image's entrypoint, the grader").isNullOrEmpty();
        List<String> args = c.getArgs();
        assertThat(args.get(0)).isEqualTo("grade");
        assertThat(args.get(args.indexOf("--shard") + 1)).isEqualTo("auto/" + n);
        assertThat(args.get(args.indexOf("--sandbox") + 1)).isEqualTo("bwrap");
        assertThat(args.get(args.indexOf("--out") + 1)).endsWith("/$(JOB_COMPLETION_INDEX)");
        var sc = c.getSecurityContext();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("Unconfined");
        assertThat(sc.getAppArmorProfile().getType()).isEqualTo("Unconfined");
        assertThat(sc.getProcMount()).isEqualTo("Unmasked");
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        mountsLineUp(pod, c, args, pvc);

        PodSpec mergePod = merge.getSpec().getTemplate().getSpec();
        Container m = mergePod.getContainers().get(0);
        assertThat(m.getImage()).isEqualTo(c.getImage());
        List<String> margs = m.getArgs();
        assertThat(margs.get(0)).isEqualTo("merge");
        String out = args.get(args.indexOf("--out") + 1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(out.replace("$(JOB_COMPLETION_INDEX)", Integer.toString(i)));
        }
        assertThat(margs.subList(1, margs.indexOf("--out"))).as("every shard's folder, once").isEqualTo(expected);
        mountsLineUp(mergePod, m, margs, pvc);
    }

    /** Every mount names a volume of the pod; the data volume is the claim; every path argument is on it. */
    private static void mountsLineUp(PodSpec pod, Container c, List<String> args, PersistentVolumeClaim pvc) {
        Map<String, Volume> volumes = new HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        VolumeMount data = null;
        for (VolumeMount vm : c.getVolumeMounts()) {
            assertThat(volumes).as("the volume of mount " + vm.getName()).containsKey(vm.getName());
            Volume v = volumes.get(vm.getName());
            if (v.getPersistentVolumeClaim() != null) {
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(pvc.getMetadata().getName());
                data = vm;
            }
        }
        assertThat(data).as("a mount of the shared volume").isNotNull();
        assertThat(pvc.getSpec().getAccessModes()).as("pods on several nodes write to it").contains("ReadWriteMany");
        for (String a : args) {
            if (a.startsWith("/")) {
                assertThat(a).as("on the shared volume").startsWith(data.getMountPath() + "/");
            }
        }
    }

    @Test
    void theIndexedJobsPodsAndTheMergeJobRunAsTheirArgumentsSay() throws Exception {
        Job grade = KubernetesModel.read(deploy.resolve("kubernetes/grade-job.yaml"), Job.class);
        Job merge = KubernetesModel.read(deploy.resolve("kubernetes/merge-job.yaml"), Job.class);
        Container c = grade.getSpec().getTemplate().getSpec().getContainers().get(0);
        String mount = c.getVolumeMounts().get(0).getMountPath();
        Path data = tmp.resolve("k8s-volume");
        FileTrees.copy(subs, data.resolve("class"));
        // the image's entrypoint is the grader's launcher
        RecipeRepo image = RecipeRepo.create(tmp.resolve("k8s-image"), ASSIGNMENTS);
        int n = grade.getSpec().getCompletions();
        List<Process> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> env = Map.of(ShardEnvironment.K8S_INDEX, Integer.toString(i));
            logs.add(tmp.resolve("k8s-pod-" + i + ".log"));
            running.add(pod(image, c.getArgs(), env, mount, data, logs.get(i)));
        }
        RecipeRepo.await(running, logs);
        Path mergeLog = tmp.resolve("k8s-merge.log");
        RecipeRepo.await(List.of(pod(image, merge.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs(),
                Map.of(), mount, data, mergeLog)), List.of(mergeLog));
        ShardMergeTest.assertSameReports(whole, data.resolve("reports"));
    }

    /** A container's process: its arguments with {@code $(VAR)} expanded from its environment, as the kubelet does. */
    private static Process pod(RecipeRepo image, List<String> args, Map<String, String> env, String mount, Path data,
            Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(image.launcher.toString()));
        Pattern var = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (String a : args) {
            Matcher m = var.matcher(a);
            String expanded = m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group())));
            cmd.add(expanded.startsWith(mount + "/") ? data + expanded.substring(mount.length()) : expanded);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.startsWith("GRADER_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void theContainerfileCopiesWhatExistsAndRunsTheLauncher() throws Exception {
        Path root = TestFiles.root();
        List<String> lines = Files.readAllLines(deploy.resolve("container/Containerfile"));
        Matcher v = Pattern.compile("<artifactId>backprop-grader-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertThat(v.find()).isTrue();
        String version = v.group(1);
        Map<String, String> copied = new HashMap<>();
        String entrypoint = null;
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("COPY ")) {
                List<String> words = new ArrayList<>(List.of(l.substring(5).trim().split("\\s+")));
                boolean fromBuild = words.get(0).startsWith("--from=");
                if (fromBuild) {
                    words.remove(0);
                }
                String dest = words.remove(words.size() - 1);
                for (String src : words) {
                    Path inRepo = root.resolve(fromBuild ? src.replaceFirst("^/src/", "") : src);
                    if (fromBuild && src.contains("/target/")) {
                        String module = src.replaceFirst("^/src/", "").replaceFirst("/target/.*", "");
                        assertThat(root.resolve(module).resolve("pom.xml")).as("a module builds " + src).exists();
                        if (src.endsWith(".jar")) {
                            assertThat(src).endsWith("grader-core-" + version + "-all.jar");
                        }
                    } else {
                        assertThat(inRepo).as("COPY " + src).exists();
                    }
                    copied.put(dest, src);
                }
            } else if (l.startsWith("ENTRYPOINT ")) {
                entrypoint = YAML.readTree(l.substring("ENTRYPOINT ".length())).get(0).asText();
            }
        }
        assertThat(entrypoint).isEqualTo("/opt/grader/grader/bin/grader");
        assertThat(copied.get(entrypoint)).isEqualTo("/src/grader/bin/grader");
        // the launcher's layout: its jar, the compiled reference and the assignments beside it
        assertThat(copied).containsKeys("/opt/grader/grader/core/target/",
                "/opt/grader/grader/reference/target/classes", "/opt/grader/assignments");
        String text = String.join("\n", lines);
        assertThat(text).contains("openjdk-17-jdk-headless").contains("bubblewrap").contains("useradd --uid 10001");
        Job grade = KubernetesModel.read(deploy.resolve("kubernetes/grade-job.yaml"), Job.class);
        assertThat(grade.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    }

    // ------------------------------------------------------------------------------------------------------ Slurm

    @Test
    void theSlurmArraysTasksAndItsMergeGradeAsOneRun() throws Exception {
        RecipeRepo repo = RecipeRepo.create(tmp.resolve("slurm-repo"), ASSIGNMENTS);
        FileTrees.copy(subs, repo.root.resolve("submissions"));
        String script = Files.readString(deploy.resolve("slurm/grade.sbatch"));
        Matcher array = Pattern.compile("#SBATCH --array=0-(\\d+)").matcher(script);
        assertThat(array.find()).isTrue();
        int n = Integer.parseInt(array.group(1)) + 1;
        List<Process> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // an array submitted as --array=10-13 runs ids 10 to 13; the shards are still 0 to 3
            Map<String, String> env = Map.of("SLURM_SUBMIT_DIR", repo.root.toString(), ShardEnvironment.SLURM_ID,
                    Integer.toString(10 + i), ShardEnvironment.SLURM_MIN, "10", ShardEnvironment.SLURM_MAX,
                    Integer.toString(10 + n - 1), ShardEnvironment.SLURM_COUNT, Integer.toString(n),
                    "SLURM_CPUS_PER_TASK", "1");
            logs.add(tmp.resolve("slurm-task-" + i + ".log"));
            running.add(RecipeRepo.bash(tmp, deploy.resolve("slurm/grade.sbatch"), List.of(), env, logs.get(i)));
        }
        RecipeRepo.await(running, logs);
        assertThat(repo.calls()).allSatisfy(c -> assertThat(c).startsWith("grade --shard auto --sandbox bwrap "));
        Path mergeLog = tmp.resolve("slurm-merge.log");
        RecipeRepo.await(List.of(RecipeRepo.bash(tmp, deploy.resolve("slurm/merge.sbatch"), List.of(),
                Map.of("SLURM_SUBMIT_DIR", repo.root.toString()), mergeLog)), List.of(mergeLog));
        ShardMergeTest.assertSameReports(whole, repo.root.resolve("reports"));
    }

    @Test
    void submitQueuesTheArrayThenTheMergeAfterIt() throws Exception {
        RecipeRepo repo = RecipeRepo.create(tmp.resolve("slurm-submit"), ASSIGNMENTS);
        Path bin = Files.createDirectories(tmp.resolve("fake-slurm"));
        Path sbatchLog = tmp.resolve("sbatch-calls.log");
        Path sbatch = Files.writeString(bin.resolve("sbatch"), "#!/bin/bash\nprintf '%s\\n' \"$*\" >> '" + sbatchLog
                + "'\nif [ \"$1\" = --parsable ]; then echo '4242;cluster'; else echo 'Submitted job 4243'; fi\n");
        sbatch.toFile().setExecutable(true);
        Path log = tmp.resolve("submit.log");
        RecipeRepo.await(List.of(RecipeRepo.bash(repo.root, deploy.resolve("slurm/submit.sh"), List.of("3"),
                Map.of("PATH", bin + ":" + System.getenv("PATH")), log)), List.of(log));
        Path slurm = deploy.resolve("slurm").toRealPath();
        assertThat(repo.calls()).containsExactly("--version");
        assertThat(Files.readAllLines(sbatchLog)).containsExactly("--parsable --array=0-2 " + slurm + "/grade.sbatch",
                "--dependency=afterok:4242 " + slurm + "/merge.sbatch");
    }
}
