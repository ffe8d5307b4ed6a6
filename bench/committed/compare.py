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
import re
import statistics
import subprocess
import sys
import tempfile


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return r.stdout + r.stderr


def measure(bindir, model_dir, work, repeat, srs_cache, setup_args=()):
    zkinfer, zkverify = os.path.join(bindir, "zkinfer"), os.path.join(bindir, "zkverify")
    onnx, inp = os.path.join(model_dir, "model.onnx"), os.path.join(model_dir, "input.json")
    os.makedirs(work, exist_ok=True)
    circuit = os.path.join(work, "circuit.zkc")
    out = run([zkinfer, "compile", onnx, "-o", circuit])
    log2 = int(re.search(r"2\^(\d+) rows", out).group(1))
    srs_log2 = log2 + (1 if "--private-weights" in setup_args else 0)
    srs = srs_cache.get(srs_log2)
    if srs is None:
        srs = os.path.join(os.path.dirname(work), f"dev-{srs_log2}.srs")
        run([zkinfer, "params", "dev", "--log2", str(srs_log2), "--out", srs])
        srs_cache[srs_log2] = srs
    run([zkinfer, "setup", circuit, "--params", srs, "-o", work, *setup_args])
    proof = os.path.join(work, "proof.bin")
    prove, verify, body, valid = [], [], None, True
    for _ in range(repeat):
        out = run([zkinfer, "prove", circuit, "--pk", os.path.join(work, "pk.bin"), inp, "-o", proof])
        m = re.search(r"proved in ([\d.]+) (ms|s)", out)
        prove.append(float(m.group(1)) / (1000 if m.group(2) == "ms" else 1))
        v = json.loads(subprocess.run([zkverify, "--vk", os.path.join(work, "vk.bin"), "--proof", proof, "--allow-dev-srs",
                                       "--json"], capture_output=True, text=True).stdout)
        valid = valid and v["valid"]
        verify.append(v["verify_seconds"] * 1000)
        body = v["proof_body_bytes"]
    return {
        "log2_rows": log2,
        "vk_bytes": os.path.getsize(os.path.join(work, "vk.bin")),
        "pk_bytes": os.path.getsize(os.path.join(work, "pk.bin")),
        "proof_body_bytes": body,
        "prove_seconds": statistics.median(prove),
        "prove_seconds_min": min(prove),
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
