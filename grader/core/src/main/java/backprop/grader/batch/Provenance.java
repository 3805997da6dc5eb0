package backprop.grader.batch;

import backprop.grader.run.UnitTracer;
import backprop.grader.sandbox.Limits;
import backprop.grader.sandbox.Sandbox;
import backprop.grader.spec.Assignment;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code provenance.json}, next to the CSVs: what produced them — the grader's version and the SHA-256 of its
 * code, each assignment file's SHA-256 and the seeds of its random parameters, the JVM, the sandbox mechanism and
 * limits, the options and when the run started and ended; for a shard, which share of which class it graded.
 */
final class Provenance {
    /** The field naming the grader and its version. */
    static final String GRADER = "grader";
    /** The field holding the SHA-256 of the grader's code. */
    static final String GRADER_CODE = "grader_sha256";

    private Provenance() {}

    /**
     * The file's bytes; {@code files} gives the SHA-256 of each report written with it, so that anyone can check
     * the reports beside it come from the same run.
     */
    static byte[] json(String graderVersion, List<Assignment> assignments, Map<String, String> hashes,
            String referenceHash, Sandbox sandbox, Limits limits, Map<String, Object> options, Instant started,
            Instant finished, Map<String, Integer> counts, Map<String, String> files,
            Optional<Map<String, Object>> shard) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(GRADER, "backprop grader " + graderVersion);
        p.put(GRADER_CODE, Sources.codeHash());
        p.put("started", started.toString());
        p.put("finished", finished.toString());
        List<Map<String, Object>> as = new ArrayList<>();
        for (Assignment a : assignments) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id());
            m.put("file", a.file().toString());
            m.put("sha256", hashes.get(a.id()));
            m.put("points", a.maxPoints());
            Map<String, String> seeds = new LinkedHashMap<>();
            a.parameterOrigins().forEach((k, v) -> {
                if (v.startsWith("random")) {
                    seeds.put(k, v);
                }
            });
            m.put("random_parameters", seeds);
            Map<String, Integer> unitSeeds = new LinkedHashMap<>();
            a.unitChecks().forEach(u -> unitSeeds.put(u.op(), UnitTracer.seed(a, u)));
            m.put("unit_check_seeds", unitSeeds);
            as.add(m);
        }
        p.put("assignments", as);
        p.put("reference_sha256", referenceHash);
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("version", System.getProperty("java.runtime.version"));
        jvm.put("vendor", System.getProperty("java.vendor"));
        jvm.put("vm", System.getProperty("java.vm.name"));
        jvm.put("java", sandbox.java().toString());
        jvm.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("jvm", jvm);
        Map<String, Object> sb = new LinkedHashMap<>();
        sb.put("mechanism", sandbox.mechanism().word());
        sb.put("description", sandbox.description());
        sandbox.warning().ifPresent(w -> sb.put("warning", w));
        sb.put("limits", limits.describe());
        p.put("sandbox", sb);
        p.put("options", options);
        p.put("submissions", counts);
        p.put("reports_sha256", files);
        shard.ifPresent(s -> p.put(ShardRecord.SECTION, s));
        return ResultStore.JSON.writeValueAsBytes(p);
    }
}
