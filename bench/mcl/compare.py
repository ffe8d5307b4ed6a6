#!/usr/bin/env python3
"""Side-by-side timings: MCL (PyPI mclbn256) against our zkbench, for pairing, G1 and G2 scalar mul.

Usage: python3 bench/mcl/compare.py [--zkbench .build/release/zkbench] [--json] [--samples N]
                                    [--curve snark|bn254b|both] [--zkbench-args "arith --json"]
Each MCL figure is the median of N single-call timings after a warm-up, called through ctypes
(about 0.5 µs of call overhead per operation is included). Scalars are fixed full-size random
elements of Fr (a different one per call, cycling through 16). zkbench's figures are read from the
keys pairing_ns, g1_scalar_mul_ns, g2_scalar_mul_ns (and miller_loop_ns) of its JSON object; a missing
key prints n/a.
"""
import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]

from venv_bootstrap import ensure_venv  # noqa: E402

ensure_venv()

OPS = [("pairing", "pairing"), ("g1_scalar_mul", "G1 scalar mul"), ("g2_scalar_mul", "G2 scalar mul"),
       ("miller_loop", "Miller loop")]  # the last one is extra: where a pairing gap comes from
CURVE_LABEL = {"snark": "MCL SNARK1 (same curve)", "bn254b": "MCL Fp254BNb"}
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617


def fixed_scalars(count: int, order: int):
    """Deterministic full-size scalars: uniform in [order/2, order)."""
    out, i = [], 0
    while len(out) < count:
        v = int.from_bytes(hashlib.sha256(b"zkinfer-mcl-compare" + i.to_bytes(4, "little")).digest(), "little")
        i += 1
        v %= order
        if v >= order // 2:
            out.append(v)
    return out


def median_ns(fn, samples: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(samples):
        t = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t)
    return float(statistics.median(times))


def measure_mcl(curve: str, samples: int):
    from mcl_lib import FRT, G1T, G2T, GTT, LIB, Mcl

    m = Mcl(curve)
    if curve == "snark":
        from py_ecc import bn128
        x, y = bn128.G2
        p = m.g1((1, 2))
        q = m.g2(((x.coeffs[0].n, x.coeffs[1].n), (y.coeffs[0].n, y.coeffs[1].n)))
        order = R
    else:
        p, q = m.hashed_points()
        order = None
    # scalars: full-size elements of this curve's Fr (set through MCL, which reduces nothing: all < r)
    if order is None:
        probe = FRT()
        LIB.mclBnFr_setInt(probe, -1)
        order = int(m.ints(LIB.mclBnFr_getStr, probe)[0]) + 1
    scalars = [m.fr(k) for k in fixed_scalars(16, order)]
    gt, f, o1, o2 = GTT(), GTT(), G1T(), G2T()
    state = {"i": 0}

    def next_scalar():
        state["i"] = (state["i"] + 1) % len(scalars)
        return scalars[state["i"]]

    return {
        "pairing": median_ns(lambda: LIB.mclBn_pairing(gt, p, q), samples, max(3, samples // 10)),
        "g1_scalar_mul": median_ns(lambda: LIB.mclBnG1_mul(o1, p, next_scalar()), samples * 4, samples // 2),
        "g2_scalar_mul": median_ns(lambda: LIB.mclBnG2_mul(o2, q, next_scalar()), samples * 2, samples // 4),
        "miller_loop": median_ns(lambda: LIB.mclBn_millerLoop(f, p, q), samples, max(3, samples // 10)),
    }


def run_zkbench(path: str, args: str):
    """Our figures from `zkbench arith --json`; None where zkbench or a key is missing."""
    try:
        proc = subprocess.run([path] + args.split(), capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"zkbench could not run: {e}", file=sys.stderr)
        return {}
    if proc.returncode != 0:
        print(f"zkbench exited {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return {}
    text = proc.stdout
    start, end = text.find("{"), text.rfind("}")
    try:
        obj = json.loads(text[start:end + 1]) if start >= 0 else {}
    except json.JSONDecodeError:
        print("zkbench output is not a JSON object", file=sys.stderr)
        return {}
    out = {}
    for key, _ in OPS:
        v = obj.get(f"{key}_ns")
        if isinstance(v, (int, float)):
            out[key] = float(v)
        else:
            print(f"zkbench JSON has no numeric key {key}_ns", file=sys.stderr)
    return out


def fmt_us(v):
    return "n/a" if v is None else f"{v / 1000:.1f}"


def fmt_ratio(a, b):
    return "n/a" if a is None or b is None else f"{a / b:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--zkbench", help="path to the zkbench executable (e.g. .build/release/zkbench)")
    ap.add_argument("--zkbench-args", default="arith --json")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    ap.add_argument("--samples", type=int, default=60, help="pairing samples (scalar muls use 2-4x more)")
    ap.add_argument("--curve", choices=["snark", "bn254b", "both"], default="both")
    args = ap.parse_args()

    curves = ["snark", "bn254b"] if args.curve == "both" else [args.curve]
    mcl = {c: measure_mcl(c, args.samples) for c in curves}
    ours = run_zkbench(args.zkbench, args.zkbench_args) if args.zkbench else {}

    result = {}
    for key, _ in OPS:
        result[f"ours_{key}_ns"] = ours.get(key)
        for c in curves:
            result[f"mcl_{c}_{key}_ns"] = mcl[c][key]
            o = ours.get(key)
            result[f"{key}_ratio_vs_mcl_{c}"] = None if o is None else round(o / mcl[c][key], 3)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    head = ["operation", "ours µs"]
    for c in curves:
        head += [f"{CURVE_LABEL[c]} µs", "ours/MCL"]
    rows = [head]
    for key, label in OPS:
        row = [label, fmt_us(ours.get(key))]
        for c in curves:
            row += [fmt_us(mcl[c][key]), fmt_ratio(ours.get(key), mcl[c][key])]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for r in rows:
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
