#!/usr/bin/env python3
"""The grader's seeded draws, reproduced outside it, bit for bit, in plain Python (numpy optional).

An assignment file can draw a value instead of writing it down:

    W1: {random: normal, seed: 128, mean: 0, std: 0.05, shape: [128, 784]}
    x:  {random: uniform, seed: 784, low: 0, high: 1, shape: [16, 784]}
    t:  {one_hot: 10, shape: [16, 10]}

The grader makes each with a fresh java.util.Random(seed), row by row, left to right:

    normal   entry = mean + std * nextGaussian()          (mean 0 and std 1 when left out)
    uniform  entry = low + (high - low) * nextDouble()    (low -1 and high 1 when left out)
    one_hot  for each row, the hot column is nextInt(cols); that entry is 1, the others 0

A seed is a whole number from 0 to 2**48 - 1 (java.util.Random keeps only the low 48 bits). Per-student
variants (`variants:` in a file) draw each named value, in the order `draw` lists them, from one
java.util.Random(seed + attempt), entry = std * nextGaussian(), where seed is the first 8 bytes of
SHA-256("<student id>/<assignment id>") read as a signed big-endian long and attempt is 0 unless a
ReLU input fell within `margin` of 0 (then 1, 2, ...).

This module is java.util.Random as JDK 17 defines it (a 48-bit linear congruential generator, the polar
method for Gaussians) with StrictMath.log ported from fdlibm, so the numbers are the grader's to the last
bit.

    python3 java_random.py --selftest        # compare with java_random_golden.json, which the Java tests check
    python3 java_random.py FILE.yaml ...     # print every seeded draw of the files (needs PyYAML)

From Python:

    from java_random import draw
    W1 = draw({"random": "normal", "seed": 128, "std": 0.05, "shape": [128, 784]})   # a list of rows
    import numpy as np; W1 = np.array(W1)
"""
import hashlib
import json
import math
import os
import struct
import sys

MASK48 = (1 << 48) - 1
MULTIPLIER = 0x5DEECE66D
ADDEND = 0xB


def _int32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


class JavaRandom:
    """java.util.Random: the same sequence as the JDK's for the same seed."""

    def __init__(self, seed):
        self.seed = (seed ^ MULTIPLIER) & MASK48
        self.next_next_gaussian = None

    def next(self, bits):
        self.seed = (self.seed * MULTIPLIER + ADDEND) & MASK48
        return _int32(self.seed >> (48 - bits))

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * (1.0 / (1 << 53))

    def next_int(self, bound):
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if _int32(u - r + m) >= 0:
                return r
            u = self.next(31)

    def next_gaussian(self):
        if self.next_next_gaussian is not None:
            g, self.next_next_gaussian = self.next_next_gaussian, None
            return g
        while True:
            v1 = 2 * self.next_double() - 1
            v2 = 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        multiplier = math.sqrt(-2 * strict_log(s) / s)
        self.next_next_gaussian = v2 * multiplier
        return v1 * multiplier


# fdlibm's e_log.c, which StrictMath.log is: the same operations in the same order on IEEE doubles.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_TWO54 = 1.80143985094819840000e+16
_LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
       2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
       1.479819860511658591e-01)


def _words(x):
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    return _int32(bits >> 32), bits & 0xFFFFFFFF


def _with_high(x, hi):
    bits = (hi & 0xFFFFFFFF) << 32 | _words(x)[1]
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def strict_log(x):
    """StrictMath.log(x) for a positive finite x (all the polar method needs)."""
    lg1, lg2, lg3, lg4, lg5, lg6, lg7 = _LG
    hx, lx = _words(x)
    k = 0
    if hx < 0x00100000:
        if ((hx & 0x7FFFFFFF) | lx) == 0:
            return -math.inf
        if hx < 0:
            return math.nan
        k -= 54
        x *= _TWO54
        hx = _words(x)[0]
    if hx >= 0x7FF00000:
        return x + x
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    x = _with_high(x, hx | (i ^ 0x3FF00000))
    k += i >> 20
    f = x - 1.0
    if (0x000FFFFF & (2 + hx)) < 3:
        if f == 0.0:
            if k == 0:
                return 0.0
            dk = float(k)
            return dk * _LN2_HI + dk * _LN2_LO
        r = f * f * (0.5 - 0.33333333333333333 * f)
        if k == 0:
            return f - r
        dk = float(k)
        return dk * _LN2_HI - ((r - dk * _LN2_LO) - f)
    s = f / (2.0 + f)
    dk = float(k)
    z = s * s
    i = hx - 0x6147A
    w = z * z
    j = 0x6B851 - hx
    t1 = w * (lg2 + w * (lg4 + w * lg6))
    t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
    i |= j
    r = t2 + t1
    if i > 0:
        hfsq = 0.5 * f * f
        if k == 0:
            return f - (hfsq - s * (hfsq + r))
        return dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f)
    if k == 0:
        return f - s * (f - r)
    return dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)


def draw(spec):
    """The matrix (a list of rows) an assignment's `random` or `one_hot` spec stands for."""
    rows, cols = spec["shape"]
    if "one_hot" in spec:
        rng = JavaRandom(int(spec["one_hot"]))
        hot = [rng.next_int(cols) for _ in range(rows)]
        return [[1.0 if j == hot[i] else 0.0 for j in range(cols)] for i in range(rows)]
    rng = JavaRandom(int(spec["seed"]))
    if spec["random"] == "normal":
        mean, std = float(spec.get("mean", 0.0)), float(spec.get("std", 1.0))
        return [[mean + std * rng.next_gaussian() for _ in range(cols)] for _ in range(rows)]
    low, high = float(spec.get("low", -1.0)), float(spec.get("high", 1.0))
    return [[low + (high - low) * rng.next_double() for _ in range(cols)] for _ in range(rows)]


def variant_seed(student_id, assignment_id):
    """The seed of a student's variant: the first 8 bytes of SHA-256("id/assignment"), a signed long."""
    digest = hashlib.sha256(f"{student_id}/{assignment_id}".encode("utf-8")).digest()
    return struct.unpack(">q", digest[:8])[0]


def variant_draws(student_id, assignment_id, shapes, std=1.0, attempt=0):
    """A student's variant: {name: matrix} for the names of `variants.draw`, in that order, with their shapes."""
    rng = JavaRandom(variant_seed(student_id, assignment_id) + attempt)
    return {name: [[std * rng.next_gaussian() for _ in range(c)] for _ in range(r)] for name, (r, c) in shapes}


def _selftest():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "java_random_golden.json"), encoding="utf-8") as f:
        golden = json.load(f)
    bad = 0
    for case in golden["draws"]:
        got = draw(case["spec"])
        if got != case["values"]:
            bad += 1
            print(f"differs from Java: {case['spec']}")
    for case in golden["variants"]:
        got = variant_draws(case["student"], case["assignment"], [(n, tuple(s)) for n, s in case["shapes"]],
                            case["std"], case["attempt"])
        if variant_seed(case["student"], case["assignment"]) != case["seed"] or got != case["values"]:
            bad += 1
            print(f"differs from Java: variant of {case['student']}/{case['assignment']}")
    print(f"{len(golden['draws']) + len(golden['variants'])} cases, {bad} differ from Java")
    return 1 if bad else 0


def _print_file(path):
    import yaml  # only this mode needs it
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    for group in ("inputs", "targets", "parameters"):
        for name, spec in (doc.get(group) or {}).items():
            if isinstance(spec, dict) and ("random" in spec or "one_hot" in spec):
                print(f"{path}: {group}.{name} = {draw(spec)}")


def main(argv):
    if argv == ["--selftest"]:
        return _selftest()
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    for path in argv:
        _print_file(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
