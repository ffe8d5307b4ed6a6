"""Layout utilisation, side by side (issue 15: prover no slower than the folded design; issue 17: nanoGPT body):
for each model and each build, compile → setup (development SRS) → prove --timings (under /usr/bin/time) → zkverify
--json, and from `zkinfer stats --json` the rows, columns and cell utilisation (gadget cells / (advice columns × rows)).

    python3 bench/layout/compare.py --build main=/tmp/main/zkinfer,/tmp/main/zkverify \\
        --build folded-old=/work/bench-bin/zkinfer-folded-old --build new=.build/release/zkinfer,.build/release/zkverify \\
        [--models circuits/mlp_tiny,...] [--repeat 3] --out bench/results/<name>

Each model directory holds model.onnx and input.json. The builds alternate inside every repetition (each sees the
same load); times are the minimum over --repeat runs: prove = the "proved in" figure (witness excluded), wall, user
and system CPU seconds of the whole prove process, the prover's phases, zkverify's verify_seconds. A build without
a zkverify gets no verify time. Run it under `nice -n 19` on a shared machine. Writes <out>.json and <out>.md.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from zkinfer_steps import compile_and_setup, prove, proved_in, seconds, verify_json  # noqa: E402


def prepare(zkinfer, model_dir, work, srs_cache):
    onnx = os.path.join(model_dir, "model.onnx")
    os.makedirs(work, exist_ok=True)
    stats = json.loads(subprocess.run([zkinfer, "stats", onnx, "--json"], capture_output=True, text=True).stdout)
    t = stats["totals"]
    cells = sum(layer.get("adviceCells", 0) for layer in stats["layers"])
    log2 = compile_and_setup(zkinfer, model_dir, work, srs_cache)
    return {
        "lanes_per_row": t["lanesPerRow"], "lane_rows": t["laneRows"], "log2_rows": log2,
        "advice_columns": t["adviceColumns"], "fixed_columns": t["fixedColumns"], "lookups": t["lookupArguments"],
        "gadget_cells": cells, "utilisation": cells / (t["adviceColumns"] * t["rows"]),
        "committed_area": (t["adviceColumns"] + 2 * t["lookupArguments"]) * t["rows"],
        "vk_bytes": os.path.getsize(os.path.join(work, "vk.bin")),
        "stats_proof_bytes": t["proofBytes"],
    }


def prove_once(zkinfer, zkverify, model_dir, work):
    out = prove(zkinfer, model_dir, work, extra=("--timings",), prefix=("/usr/bin/time", "-f", "TIME %e %U %S %M"))
    wall, user, system, rss = re.search(r"TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out).groups()
    phases = {name: seconds(v, u) for name, v, u in re.findall(r"(\w+) ([\d.]+) (ms|s)\b", out.split("timings:", 1)[-1])}
    r = {"prove": proved_in(out), "wall": float(wall), "user": float(user), "sys": float(system),
         "rss_kb": int(rss), "phases": phases}
    body = re.search(r"proof body (\d+) bytes", out)
    r["proof_body_bytes"] = int(body.group(1)) if body else None
    if zkverify:
        r["valid"], verified_body, r["verify_ms"] = verify_json(zkverify, work)
        r["proof_body_bytes"] = verified_body or r["proof_body_bytes"]
    return r


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", action="append", required=True, help="label=zkinfer[,zkverify]")
    p.add_argument("--models", default="circuits/mlp_tiny,circuits/mlp_mnist,circuits/cnn_small")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    builds = []
    for b in a.build:
        label, paths = b.split("=", 1)
        tools = paths.split(",")
        builds.append((label, tools[0], tools[1] if len(tools) > 1 else None))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        caches = {label: {} for label, _, _ in builds}
        for model_dir in a.models.split(","):
            name = os.path.basename(model_dir.rstrip("/"))
            if name in ("torchscript", "dynamo"):
                name = os.path.basename(os.path.dirname(model_dir.rstrip("/")))
            row = {"model": name}
            for label, zkinfer, _ in builds:
                try:
                    row[label] = prepare(zkinfer, model_dir, os.path.join(tmp, label, name), caches[label])
                    row[label]["runs"] = []
                except (RuntimeError, ValueError, KeyError) as e:  # a build that cannot compile or set up this model
                    row[label] = {"error": str(e)[-300:]}
                    print(name, label, "failed:", str(e)[-300:], file=sys.stderr)
            for _ in range(a.repeat):
                for label, zkinfer, zkverify in builds:
                    if "error" not in row[label]:
                        row[label]["runs"].append(prove_once(zkinfer, zkverify, model_dir, os.path.join(tmp, label, name)))
            for label, _, _ in builds:
                if "error" in row[label]:
                    continue
                runs = row[label]["runs"]
                best = min(runs, key=lambda r: r["prove"])
                row[label]["min"] = {k: min(r[k] for r in runs) for k in ("prove", "wall", "user", "sys")}
                row[label]["min"]["phases"] = {k: min(r["phases"].get(k, 0) for r in runs) for k in best["phases"]}
                row[label]["proof_body_bytes"] = best["proof_body_bytes"]
                if "verify_ms" in best:
                    row[label]["verify_ms_min"] = min(r["verify_ms"] for r in runs)
                    row[label]["valid"] = all(r["valid"] for r in runs)
                print(name, label, {k: v for k, v in row[label].items() if k != "runs"}, file=sys.stderr)
            rows.append(row)
    with open(a.out + ".json", "w") as f:
        json.dump({"builds": [label for label, _, _ in builds], "repeat": a.repeat, "loadavg": os.getloadavg(),
                   "rows": rows}, f, indent=1)
    lines = ["| model | build | lanes/row | lane rows | 2^k | advice cols | lookups | utilisation | committed area "
             "| proof body | vk bytes | prove s (min) | wall / user / sys s | ntt / adviceMSM / otherMSM / quotient ms | verify ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"]
    for r in rows:
        for label, _, _ in builds:
            s = r[label]
            if "error" in s:
                lines.append(f"| {r['model']} | {label} | failed: {s['error'].splitlines()[-1][:80]} |" + " |" * 13)
                continue
            ph = s["min"]["phases"]
            verify = f"{s['verify_ms_min']:.1f}" if "verify_ms_min" in s else "n/a"
            lines.append(f"| {r['model']} | {label} | {s['lanes_per_row']} | {s['lane_rows']:,} | {s['log2_rows']} | "
                         f"{s['advice_columns']} | {s['lookups']} | {100 * s['utilisation']:.0f}% | {s['committed_area']:,} | "
                         f"{s['proof_body_bytes'] or s['stats_proof_bytes']:,} | {s['vk_bytes']:,} | {s['min']['prove']:.3f} | "
                         f"{s['min']['wall']:.2f} / {s['min']['user']:.2f} / {s['min']['sys']:.2f} | "
                         + " / ".join(f"{1000 * ph.get(k, 0):.0f}" for k in ("ntt", "adviceMSM", "otherMSM", "quotient"))
                         + f" | {verify} |")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
