package backprop.grader.run;

import backprop.api.Matrix;
import backprop.api.Optimizer;
import backprop.grader.graph.Network;
import backprop.grader.graph.Network.Forward;
import backprop.grader.spec.Assignment;
import backprop.grader.spec.Checkpoint;
import backprop.grader.submission.CallGuard;
import backprop.grader.submission.Components;
import backprop.grader.submission.OpCall;
import backprop.grader.submission.StudentFault;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Runs one submission's components on one assignment and records a {@link Trace}. */
public final class Tracer {
    private Tracer() {}

    /**
     * Records everything the assignment's checkpoints and unit checks need; a call into the submission that does
     * not return within its limit costs only the checks that need it ({@link CallGuard#supervise}).
     */
    public static Trace trace(Assignment a, Components c) {
        return CallGuard.supervise(() -> traceOnce(a, c));
    }

    private static Trace traceOnce(Assignment a, Components c) {
        Map<String, Trace.UnitTrace> units = new LinkedHashMap<>();
        a.unitChecks().forEach(u -> units.put(u.op(), UnitTracer.trace(a, u, c)));
        if (a.graph().isEmpty()) {
            return new Trace(Map.of(), Optional.empty(), Optional.empty(), Outcome.failed("no graph"), Map.of(),
                    Map.of(), units);
        }
        Network net = new Network(a, c);
        Forward fw = net.forward(a.parameters());
        Optional<String> fault = fw.fault().map(Throwable::getMessage);
        Outcome<Map<String, Matrix>> grads = fw.ok() ? Outcome.capture(() -> net.backward(fw))
                : Outcome.failed("the forward pass failed at '" + fw.failedNode().orElse("?") + "': "
                        + fault.orElse(""));
        Map<String, Outcome<Numeric>> numeric = new LinkedHashMap<>();
        if (fw.ok()) {
            for (Checkpoint cp : a.checkpoints()) {
                if (cp.kind() == Checkpoint.Kind.GRADIENT && !numeric.containsKey(cp.target())) {
                    numeric.put(cp.target(), numeric(net, fw, cp.target()));
                }
            }
        }
        return new Trace(fw.values(), fw.failedNode(), fault, grads, numeric, steps(a, net), units);
    }

    /** Finite differences of the submission's own forward pass with respect to one node. */
    static Outcome<Numeric> numeric(Network net, Forward fw, String target) {
        Assignment a = net.assignment();
        double center = fw.objective(a);
        return Outcome.capture(() -> FiniteDifferences.gradient(fw.values().get(target), theta -> {
            Forward p;
            if (a.parameters().containsKey(target)) {
                Map<String, Matrix> params = new HashMap<>(a.parameters());
                params.put(target, theta);
                p = net.forward(params);
            } else {
                p = net.forward(a.parameters(), Map.of(target, theta));
            }
            if (!p.ok()) {
                throw p.fault().orElseThrow();
            }
            return new FiniteDifferences.Probe(p.objective(a), p.reluPattern());
        }, center, (a.id() + "/" + target).hashCode()));
    }

    private static Map<Integer, Outcome<Map<String, Matrix>>> steps(Assignment a, Network net) {
        Map<Integer, Outcome<Map<String, Matrix>>> out = new TreeMap<>();
        int steps = a.maxSteps();
        if (steps == 0 || a.optimizer().isEmpty()) {
            return out;
        }
        Map<String, Matrix> params = new LinkedHashMap<>(a.parameters());
        Map<String, Matrix> velocity = new HashMap<>();
        params.forEach((k, v) -> velocity.put(k, Matrix.zerosLike(v)));
        for (int s = 1; s <= steps; s++) {
            int step = s;
            Outcome<Map<String, Matrix>> next = Outcome.capture(() -> step(a, net, params, velocity, step));
            out.put(s, next);
            if (!next.ok()) {
                break;
            }
            params.putAll(next.value());
        }
        return out;
    }

    private static Map<String, Matrix> step(Assignment a, Network net, Map<String, Matrix> params,
            Map<String, Matrix> velocity, int step) {
        Forward fw = net.forward(params);
        if (!fw.ok()) {
            throw new StudentFault("step " + step + ": the forward pass failed: " + fw.fault().get().getMessage());
        }
        Map<String, Matrix> grads = net.backward(fw);
        Assignment.OptimizerSpec o = a.optimizer().orElseThrow();
        Map<String, Matrix> next = new LinkedHashMap<>();
        for (Map.Entry<String, Matrix> p : params.entrySet()) {
            Matrix g = grads.getOrDefault(p.getKey(), Matrix.zerosLike(p.getValue()));
            Matrix v = velocity.get(p.getKey());
            Optimizer.Step st = OpCall.call(net.components(), Components.OPTIMIZER + ".step",
                    () -> net.components().optimizer().step(p.getValue(), g, v, o.learningRate(), o.momentum()));
            String m = Components.OPTIMIZER + ".step";
            if (st.parameter() == null || st.velocity() == null) {
                throw new StudentFault(m + " returned a Step holding null");
            }
            OpCall.requireShape(st.parameter(), g.rows(), g.cols(), m, "the new '" + p.getKey() + "'");
            OpCall.requireShape(st.velocity(), g.rows(), g.cols(), m, "the new velocity of '" + p.getKey() + "'");
            next.put(p.getKey(), st.parameter());
            velocity.put(p.getKey(), st.velocity());
        }
        return next;
    }
}
