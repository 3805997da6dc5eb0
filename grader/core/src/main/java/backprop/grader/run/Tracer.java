package backprop.grader.run;

import backprop.api.Matrix;
import backprop.api.Optimizer;
import backprop.grader.graph.BackwardCalls;
import backprop.grader.graph.Network;
import backprop.grader.graph.Network.Forward;
import backprop.grader.spec.Assignment;
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
        return trace(a, c, TracePlan.of(a));
    }

    /** Records what {@code plan} asks for (a child JVM knows the plan, not the checkpoints). */
    public static Trace trace(Assignment a, Components c, TracePlan plan) {
        return CallGuard.supervise(() -> traceOnce(a, c, plan));
    }

    private static Trace traceOnce(Assignment a, Components c, TracePlan plan) {
        Map<String, Trace.UnitTrace> units = new LinkedHashMap<>();
        a.unitChecks().forEach(u -> units.put(u.op(), UnitTracer.trace(a, u, c)));
        if (a.graph().isEmpty()) {
            return new Trace(Map.of(), Optional.empty(), Optional.empty(), Outcome.failed("no graph"), Map.of(),
                    Map.of(), units);
        }
        Network net = new Network(a, c, new java.util.HashSet<>(plan.probed()));
        Forward fw = net.forward(a.parameters());
        Optional<String> fault = fw.fault().map(Throwable::getMessage);
        Map<String, BackwardCalls> calls = new LinkedHashMap<>();
        Outcome<Map<String, Matrix>> grads = fw.ok() ? Outcome.capture(() -> net.backward(fw, calls))
                : Outcome.failed("the forward pass failed at '" + fw.failedNode().orElse("?") + "': "
                        + fault.orElse(""));
        Map<String, Outcome<Probes>> probes = new LinkedHashMap<>();
        if (fw.ok()) {
            for (String target : plan.probed()) {
                Optional<Matrix> analytic = grads.get().map(g -> g.get(target));
                probes.put(target, probes(net, fw, target, analytic, plan.sampled().contains(target)));
            }
        }
        return new Trace(fw.values(), fw.failedNode(), fault, grads, probes, steps(a, net, plan.steps()), units,
                java.util.Collections.unmodifiableMap(calls));
    }

    /** The seed of the finite-difference plan of one node: every party probing it draws the same lines. */
    public static long probeSeed(Assignment a, String target) {
        return (a.id() + "/" + target).hashCode();
    }

    /** The objective of the network as a function of one node's (or leaf's) value, the rest held fixed. */
    public static double objectiveWith(Network net, String target, Matrix theta) {
        Assignment a = net.assignment();
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
        return p.objective(a);
    }

    /** The submission's own forward pass at perturbed values of one node, for finite differences. */
    static Outcome<Probes> probes(Network net, Forward fw, String target, Optional<Matrix> analytic,
            boolean sampleEntries) {
        Assignment a = net.assignment();
        Matrix theta = fw.values().get(target);
        FiniteDifferences.Plan plan = FiniteDifferences.plan(theta.rows(), theta.cols(), probeSeed(a, target),
                sampleEntries);
        return Outcome.capture(() -> FiniteDifferences.probe(theta, m -> objectiveFrom(net, fw, target, m),
                fw.objective(a), plan, analytic));
    }

    /**
     * As {@link #objectiveWith}, running only the nodes that depend on {@code target}; the others keep their
     * values from {@code fw}, the unperturbed pass.
     */
    public static double objectiveFrom(Network net, Forward fw, String target, Matrix theta) {
        Forward p = net.forwardChanged(fw, target, theta);
        if (!p.ok()) {
            throw p.fault().orElseThrow();
        }
        return p.objective(net.assignment());
    }

    private static Map<Integer, Outcome<Map<String, Matrix>>> steps(Assignment a, Network net, int steps) {
        Map<Integer, Outcome<Map<String, Matrix>>> out = new TreeMap<>();
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
