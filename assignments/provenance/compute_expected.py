#!/usr/bin/env python3
"""Independent float64 re-computation of the assignment files' expected values.

Reads every assignment YAML file given on the command line (default: ../public/*.yaml relative to this
script), builds the graph from its inputs, targets, parameters and graph sections, runs the forward pass,
a small reverse-mode pass and optional SGD steps in numpy float64, and compares each checkpoint's
`expected` value with the recomputed one. It also checks the analytic gradients against central finite
differences.

    python3 compute_expected.py              # check: print one line per checkpoint, exit 1 on a mismatch

This is a cross-check only. The Java reference implementation is the authority (`grader validate`), and
`grader fill` writes its values into a file. Seeded draws are made as the grader makes them
(java_random.py).
"""
import argparse
import glob
import math
import os
import random
import re
import sys

import numpy as np
import yaml

from java_random import draw

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GLOB = os.path.join(HERE, "..", "public", "*.yaml")
DEFAULT_TOL = {"abs": 1.0e-6, "rel": 1.0e-6}
FD_STEP = 1.0e-6
FD_SAMPLE = 64
KINK = 1.0e-5


# ----------------------------------------------------------------------------------------------------------
# values


def as_matrix(value, what):
    """A YAML literal -> 2-D float64 array. Flat list = 1xD row; list of lists = matrix; scalar = 1x1."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return np.array([[float(value)]])
    if isinstance(value, list):
        if all(isinstance(v, list) for v in value) and value:
            rows = [[float(e) for e in r] for r in value]
            if len({len(r) for r in rows}) != 1:
                raise ValueError(f"{what}: ragged matrix")
            return np.array(rows, dtype=np.float64)
        return np.array([[float(e) for e in value]], dtype=np.float64)
    if isinstance(value, dict):
        shape = tuple(value["shape"])
        if "constant" in value:
            return np.full(shape, float(value["constant"]))
        if "random" in value or "one_hot" in value:
            return np.array(draw(value), dtype=np.float64)  # the grader's own numbers (java_random.py)
    raise ValueError(f"{what}: cannot read {value!r}")


# ----------------------------------------------------------------------------------------------------------
# ops: forward(inputs) -> value; backward(inputs, value, g) -> list of input gradients


def softmax_rows(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_softmax_rows(a):
    m = a.max(axis=1, keepdims=True)
    return a - m - np.log(np.exp(a - m).sum(axis=1, keepdims=True))


def fwd(op, ins):
    if op == "identity":
        return ins[0].copy()
    if op == "relu":
        return np.maximum(ins[0], 0.0)
    if op == "sigmoid":
        return 1.0 / (1.0 + np.exp(-ins[0]))
    if op == "tanh":
        return np.tanh(ins[0])
    if op == "softmax":
        return softmax_rows(ins[0])
    if op == "affine":
        x, W, b = ins
        return x @ W.T + b
    if op == "linear":
        x, W = ins
        return x @ W.T
    if op == "multiply":
        return ins[0] * ins[1]
    if op == "add":
        return ins[0] + ins[1]
    if op == "squared_error":
        y, t = ins
        return np.array([[0.5 * np.sum((y - t) ** 2)]])
    if op == "mean_squared_error":
        y, t = ins
        return np.array([[0.5 * np.sum((y - t) ** 2) / y.shape[0]]])
    if op == "softmax_cross_entropy":
        a, t = ins
        return np.array([[-np.sum(t * log_softmax_rows(a)) / a.shape[0]]])
    if op == "binary_cross_entropy":
        y, t = ins
        return np.array([[-np.sum(t * np.log(y) + (1 - t) * np.log(1 - y)) / y.shape[0]]])
    if op == "cross_entropy":
        p, t = ins
        return np.array([[-np.sum(np.where(t == 0, 0.0, t * np.log(p))) / p.shape[0]]])
    raise ValueError(f"unknown op {op}")


def bwd(op, ins, out, g):
    if op == "identity":
        return [g]
    if op == "relu":
        return [g * (ins[0] > 0)]                      # ReLU'(0) = 0
    if op == "sigmoid":
        return [g * out * (1 - out)]
    if op == "tanh":
        return [g * (1 - out ** 2)]
    if op == "softmax":
        return [out * (g - np.sum(g * out, axis=1, keepdims=True))]
    if op == "affine":
        x, W, b = ins
        return [g @ W, g.T @ x, g.sum(axis=0, keepdims=True)]
    if op == "linear":
        x, W = ins
        return [g @ W, g.T @ x]
    if op == "multiply":
        return [g * ins[1], g * ins[0]]
    if op == "add":
        return [g, g]
    s = g[0, 0]
    if op == "squared_error":
        y, t = ins
        return [s * (y - t), -s * (y - t)]
    if op == "mean_squared_error":
        y, t = ins
        n = y.shape[0]
        return [s * (y - t) / n, -s * (y - t) / n]
    if op == "softmax_cross_entropy":
        a, t = ins
        n = a.shape[0]
        p = softmax_rows(a)
        return [s * (p * t.sum(axis=1, keepdims=True) - t) / n, -s * log_softmax_rows(a) / n]
    if op == "binary_cross_entropy":
        y, t = ins
        n = y.shape[0]
        return [s * (-(t / y) + (1 - t) / (1 - y)) / n, -s * (np.log(y) - np.log(1 - y)) / n]
    if op == "cross_entropy":
        p, t = ins
        n = p.shape[0]
        return [-s * t / (n * p), -s * np.log(p) / n]
    raise ValueError(f"unknown op {op}")


# ----------------------------------------------------------------------------------------------------------
# graph


class Graph:
    def __init__(self, doc):
        self.doc = doc
        self.leaves = {}
        self.kind = {}
        for section in ("inputs", "targets", "parameters"):
            for name, v in (doc.get(section) or {}).items():
                if name in self.leaves:
                    raise ValueError(f"duplicate name {name}")
                self.leaves[name] = as_matrix(v, name)
                self.kind[name] = section
        self.nodes = {}
        for n in doc["graph"]:
            if n["node"] in self.leaves or n["node"] in self.nodes:
                raise ValueError(f"duplicate name {n['node']}")
            self.nodes[n["node"]] = (n["op"], list(n["inputs"]))
        self.order = self._topo()
        self.params = [k for k, v in self.kind.items() if v == "parameters"]

    def _topo(self):
        order, state = [], {}

        def visit(name):
            if name in self.leaves:
                return
            if name not in self.nodes:
                raise ValueError(f"unknown name {name}")
            if state.get(name) == 1:
                raise ValueError(f"cycle at {name}")
            if state.get(name) == 2:
                return
            state[name] = 1
            for i in self.nodes[name][1]:
                visit(i)
            state[name] = 2
            order.append(name)

        for name in self.nodes:
            visit(name)
        return order

    def forward(self, values):
        vals = dict(values)
        for name in self.order:
            op, ins = self.nodes[name]
            vals[name] = fwd(op, [vals[i] for i in ins])
        return vals

    def seeds(self, vals):
        if "loss" in self.doc:
            return {self.doc["loss"]: np.ones((1, 1))}
        return {k: as_matrix(v, f"upstream {k}") for k, v in self.doc["upstream"].items()}

    def scalar(self, vals):
        """The scalar whose gradient the reverse pass computes (the loss, or sum of upstream ⊙ node)."""
        return sum(float(np.sum(s * vals[k])) for k, s in self.seeds(vals).items())

    def backward(self, vals):
        grads = {k: np.zeros_like(v) for k, v in vals.items()}
        for k, s in self.seeds(vals).items():
            if s.shape != vals[k].shape:
                raise ValueError(f"upstream for {k} has shape {s.shape}, node has {vals[k].shape}")
            grads[k] = grads[k] + s
        for name in reversed(self.order):
            op, ins = self.nodes[name]
            for i, gi in zip(ins, bwd(op, [vals[i] for i in ins], vals[name], grads[name])):
                grads[i] = grads[i] + gi
        return grads

    def sgd(self, steps):
        opt = self.doc.get("optimizer") or {}
        if opt.get("method", "sgd") != "sgd":
            raise ValueError("only sgd is known")
        lr, mu = float(opt["learning_rate"]), float(opt.get("momentum", 0.0))
        values = dict(self.leaves)
        vel = {p: np.zeros_like(values[p]) for p in self.params}
        for _ in range(steps):
            grads = self.backward(self.forward(values))
            for p in self.params:                       # v' = mu v - lr g ; theta' = theta + v'
                vel[p] = mu * vel[p] - lr * grads[p]
                values[p] = values[p] + vel[p]
        return values

    def relu_inputs(self, vals):
        return [vals[ins[0]] for op, ins in self.nodes.values() if op == "relu"]


# ----------------------------------------------------------------------------------------------------------
# checkpoints


def checkpoint_value(g, cp, vals, grads):
    if "forward" in cp:
        return vals[cp["forward"]]
    if "gradient" in cp:
        return grads[cp["gradient"]]
    if "parameter" in cp:
        return g.sgd(int(cp.get("after_steps", 1)))[cp["parameter"]]
    raise ValueError(f"checkpoint without kind: {cp}")


def checkpoint_id(doc, cp):
    if "id" in cp:
        return cp["id"]
    num = doc.get("loss", "L")
    if "forward" in cp:
        return f"forward {cp['forward']}"
    if "gradient" in cp:
        return f"d{num}/d{cp['gradient']}"
    k = int(cp.get("after_steps", 1))
    return f"{cp['parameter']} after {k} step{'s' if k != 1 else ''}"


def finite_differences(g):
    """Max relative error between analytic and central-difference gradients, over every leaf that is
    not a target (at most FD_SAMPLE entries of each); coordinates whose perturbation moves a ReLU input lying within KINK of 0 are skipped."""
    base = g.forward(g.leaves)
    grads = g.backward(base)
    base_relu = g.relu_inputs(base)
    worst, checked, skipped = 0.0, 0, 0
    for name, v in g.leaves.items():
        if g.kind[name] == "targets":
            continue
        indices = list(np.ndindex(v.shape))
        if len(indices) > FD_SAMPLE:  # a large leaf (scale-784-128-10): a seeded sample of its entries
            indices = random.Random(name).sample(indices, FD_SAMPLE)
        for idx in indices:
            vp, vm = dict(g.leaves), dict(g.leaves)
            vp[name] = v.copy(); vp[name][idx] += FD_STEP
            vm[name] = v.copy(); vm[name][idx] -= FD_STEP
            fp, fm = g.forward(vp), g.forward(vm)
            near_kink = any(np.any((np.abs(r0) < KINK) & (rp != rm))
                            for r0, rp, rm in zip(base_relu, g.relu_inputs(fp), g.relu_inputs(fm)))
            if near_kink:
                skipped += 1
                continue
            num = (g.scalar(fp) - g.scalar(fm)) / (2 * FD_STEP)
            ana = grads[name][idx]
            worst = max(worst, abs(num - ana) / max(1.0, abs(num), abs(ana)))
            checked += 1
    return worst, checked, skipped


# ----------------------------------------------------------------------------------------------------------
# formatting


def fmt_matrix(m):
    if m.shape[0] == 1:
        return "[" + ", ".join(repr(float(e)) for e in m[0]) + "]"
    return "[" + ", ".join("[" + ", ".join(repr(float(e)) for e in r) + "]" for r in m) + "]"


def close(a, b, tol):
    return np.all(np.abs(a - b) <= np.maximum(tol["abs"], tol["rel"] * np.abs(b)))


def process(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    if "unit_checks" in doc:
        print(f"{os.path.basename(path)}: {len(doc['unit_checks'])} unit checks "
              f"({', '.join(u['op'] for u in doc['unit_checks'])}); nothing to compute")
        return 0
    g = Graph(doc)
    vals = g.forward(g.leaves)
    grads = g.backward(vals)
    file_tol = {**DEFAULT_TOL, **(doc.get("tolerance") or {})}
    bad, total_points = 0, 0
    print(f"{os.path.basename(path)} ({doc['id']})")
    for cp in doc["checkpoints"]:
        got = checkpoint_value(g, cp, vals, grads)
        total_points += cp.get("points", 1)
        cid = checkpoint_id(doc, cp)
        if cp.get("expected") is None or cp.get("expected") == "fill":
            status = "MISSING (grader fill writes it)"
            bad += 1
        elif cp.get("expected") == "reference":
            status = "reference (the grader computes it at grading time)"
        else:
            exp = as_matrix(cp["expected"], cid)
            tol = {**file_tol, **(cp.get("tolerance") or {})}
            if exp.shape != got.shape:
                status = f"SHAPE {exp.shape} != {got.shape}"
                bad += 1
            elif close(got, exp, tol):
                status = f"ok    (max |diff| {np.max(np.abs(got - exp)):.1e})"
            else:
                status = f"DIFF  (max |diff| {np.max(np.abs(got - exp)):.3e}) computed {fmt_matrix(got)}"
                bad += 1
        print(f"  {cid:<28} {status}")
    worst, checked, skipped = finite_differences(g)
    relu_in = g.relu_inputs(vals)
    nearest = min((float(np.min(np.abs(r))) for r in relu_in), default=math.inf)
    print(f"  finite differences: {checked} coordinates, {skipped} skipped at a ReLU kink, "
          f"max rel error {worst:.1e} {'ok' if worst < 1e-6 else 'FAIL'}")
    print(f"  smallest |ReLU input|: {nearest:g}; points: {total_points}")
    if worst >= 1e-6:
        bad += 1
        print("  rewritten")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = args.files or sorted(glob.glob(DEFAULT_GLOB))
    bad = sum(process(p) for p in files)
    print(f"{len(files)} files, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
