"""Before/after of the compiler's move to the committed linear relation (docs/protocol.md §19.9): for each model,
compile → setup (development SRS) → prove → zkverify --json with two builds side by side in one run, and the
verifying-key bytes, proof-body bytes, zkverify's own verify time and the prove time of each.

    python3 bench/committed/compare.py --old <bin dir of the previous build> --new .build/release \
        [--models circuits/mlp_mnist,...] [--repeat 3] [--out bench/results/<name>]

Each model directory holds model.onnx and input.json. Times are the median and the minimum over --repeat runs
(prove: the "proved in" figure zkinfer prints, witness excluded; verify: zkverify --json's verify_seconds, the
proof check without reading files); on a shared, loaded machine the minimum is the steadier figure. The two
builds alternate per model, so both see the same load. Writes <out>.json and <out>.md.

--old-setup / --new-setup add arguments to that side's `zkinfer setup` (e.g. one build twice, public vs private
weights: --old X --new X --new-setup=--private-weights; private weights get an SRS one power of two larger).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from zkinfer_steps import compile_and_setup, prove, proved_in, verify_json  # noqa: E402


def measure(bindir, model_dir, work, repeat, srs_cache, setup_args=()):
    zkinfer, zkverify = os.path.join(bindir, "zkinfer"), os.path.join(bindir, "zkverify")
    log2 = compile_and_setup(zkinfer, model_dir, work, srs_cache, setup_args)
    prove_s, verify, body, valid = [], [], None, True
    for _ in range(repeat):
        prove_s.append(proved_in(prove(zkinfer, model_dir, work)))
        ok, body, ms = verify_json(zkverify, work)
        valid = valid and ok
        verify.append(ms)
    return {
        "log2_rows": log2,
        "vk_bytes": os.path.getsize(os.path.join(work, "vk.bin")),
        "pk_bytes": os.path.getsize(os.path.join(work, "pk.bin")),
        "proof_body_bytes": body,
        "prove_seconds": statistics.median(prove_s),
        "prove_seconds_min": min(prove_s),
        "verify_ms": statistics.median(verify),
        "verify_ms_min": min(verify),
        "valid": valid,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--old", required=True)
    p.add_argument("--new", required=True)
    p.add_argument("--models", default="circuits/mlp_tiny,circuits/mlp_mnist,circuits/mlp_deep,circuits/cnn_small")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", required=True)
    p.add_argument("--old-label", default="old build")
    p.add_argument("--new-label", default="new build")
    p.add_argument("--old-setup", default="", help="extra arguments of the old side's setup (space-separated)")
    p.add_argument("--new-setup", default="", help="extra arguments of the new side's setup (space-separated)")
    a = p.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        caches = {"old": {}, "new": {}}
        for model_dir in a.models.split(","):
            name = os.path.basename(model_dir.rstrip("/"))
            row = {"model": os.path.basename(model_dir.rstrip("/"))}
            for label, bindir, extra in (("old", a.old, a.old_setup), ("new", a.new, a.new_setup)):
                row[label] = measure(bindir, model_dir, os.path.join(tmp, label, name), a.repeat, caches[label],
                                     tuple(extra.split()))
                print(name, label, row[label], file=sys.stderr)
            rows.append(row)
    with open(a.out + ".json", "w") as f:
        # Labels, not paths: committed results name no machine path (Tests/…/BenchResultsTests).
        json.dump({"old": a.old_label, "new": a.new_label, "repeat": a.repeat, "loadavg": os.getloadavg(), "rows": rows}, f, indent=1)
    lines = ["| model | 2^k old → new | vk bytes old → new | proof body old → new | verify ms old → new (median; min) | prove s old → new (median; min) |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        o, n = r["old"], r["new"]
        lines.append(f"| {r['model']} | {o['log2_rows']} → {n['log2_rows']} | {o['vk_bytes']:,} → {n['vk_bytes']:,} | "
                     f"{o['proof_body_bytes']:,} → {n['proof_body_bytes']:,} | {o['verify_ms']:.1f} → {n['verify_ms']:.1f}; "
                     f"{o['verify_ms_min']:.1f} → {n['verify_ms_min']:.1f} | {o['prove_seconds']:.3f} → {n['prove_seconds']:.3f}; "
                     f"{o['prove_seconds_min']:.3f} → {n['prove_seconds_min']:.3f} |")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
