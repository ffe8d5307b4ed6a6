#!/usr/bin/env python3
"""Write the BN254 known-answer vectors (Tests/BN254Tests/Vectors/*.json) from py_ecc, an independent
implementation, with a fixed seed so reruns give byte-identical files.

Usage: python3 bench/vectors/generate_bn254.py [--out DIR] [--check] [--no-mcl]
  --check   regenerate in memory and fail if the committed files differ (determinism check)
  --no-mcl  skip the extra cross-check of scalar multiplications and pairings against MCL
The script creates bench/.venv (pinned packages from bench/requirements.txt) on first use.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path[:0] = [BENCH, HERE, os.path.join(BENCH, "mcl")]

from venv_bootstrap import ensure_venv  # noqa: E402

ensure_venv()

SEED = "zkinfer-bn254-vectors/v1"
DEFAULT_OUT = os.path.join(REPO, "Tests", "BN254Tests", "Vectors")


def _compact(v) -> str:
    return json.dumps(v, separators=(",", ":"), ensure_ascii=True)


def _render(v, depth: int) -> str:
    """Objects indented one key per line; every element of an array of objects on one compact line,
    so the files stay small yet diff case by case."""
    pad = " " * depth
    if isinstance(v, dict) and v:
        items = [f'{pad} {_compact(k)}: {_render(x, depth + 1)}' for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
        return "[\n" + ",\n".join(pad + "  " + _compact(x) for x in v) + "\n" + pad + "]"
    return _compact(v)


def render(doc) -> str:
    text = _render(doc, 0) + "\n"
    assert json.loads(text) == doc
    return text


def build(use_mcl: bool):
    from vec_common import Q, R
    from vec_curves import group_vectors
    from vec_ext import fq2_vectors, fq12_vectors
    from vec_fields import field_vectors
    from vec_pairing import pairing_vectors

    mcl = None
    if use_mcl:
        try:
            from mcl_lib import Mcl
            mcl = Mcl("snark")
        except ImportError:
            print("mclbn256 not importable: skipping the MCL cross-check", file=sys.stderr)

    jobs = [
        ("fr.json", lambda: field_vectors("Fr", R, SEED + "/fr")),
        ("fq.json", lambda: field_vectors("Fq", Q, SEED + "/fq")),
        ("fq2.json", lambda: fq2_vectors(SEED + "/fq2")),
        ("fq12.json", lambda: fq12_vectors(SEED + "/fq12")),
        ("g1.json", lambda: group_vectors("G1", SEED + "/g1", mcl)),
        ("g2.json", lambda: group_vectors("G2", SEED + "/g2", mcl)),
        ("pairing.json", lambda: pairing_vectors(SEED + "/pairing", mcl)),
    ]
    out = {}
    for name, job in jobs:
        t = time.time()
        out[name] = render(job())
        print(f"{name:13s} {len(out[name]):7d} bytes  {time.time() - t:5.1f} s", file=sys.stderr)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--no-mcl", action="store_true")
    args = ap.parse_args()
    files = build(not args.no_mcl)
    if args.check:
        bad = []
        for name, text in files.items():
            path = os.path.join(args.out, name)
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                bad.append(name)
        if bad:
            print("differs from the committed vectors: " + ", ".join(bad), file=sys.stderr)
            return 1
        print("vectors are up to date", file=sys.stderr)
        return 0
    os.makedirs(args.out, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"wrote {len(files)} files to {args.out} ({sum(map(len, files.values()))} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
