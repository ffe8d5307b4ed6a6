"""Whole-process `zkinfer prove` wall and CPU time, side by side (issue 15 item 5: no slower than before on the
small models). For each model and each build: compile → setup on a development SRS, then --repeat rounds in which
every build proves once (builds alternate, so each sees the same load). CPU = user + system of the prove process
from wait4's rusage (microsecond resolution; /usr/bin/time rounds to 10 ms, too coarse for ~50 ms proofs).

    python3 bench/small/prove_cpu.py --build old=path/zkinfer --build new=path/zkinfer \\
        --models circuits/mlp_tiny,circuits/mlp_mnist --repeat 7 --out /tmp/x

Writes <out>.json and <out>.md: per model and build the minimum and median wall and CPU in ms. Run under nice -n 19.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from zkinfer_steps import compile_and_setup  # noqa: E402


def prove_once(zkinfer, model_dir, work):
    cmd = [zkinfer, "prove", os.path.join(work, "circuit.zkc"), "--pk", os.path.join(work, "pk.bin"),
           os.path.join(model_dir, "input.json"), "-o", os.path.join(work, "proof.bin")]
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {err[-500:]}")
    return {"wall_ms": 1000 * wall, "cpu_ms": 1000 * (usage.ru_utime + usage.ru_stime)}


def name_of(model_dir):
    d = model_dir.rstrip("/")
    base = os.path.basename(d)
    return os.path.basename(os.path.dirname(d)) if base in ("dynamo", "torchscript") else base


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", action="append", required=True, help="label=path/to/zkinfer")
    p.add_argument("--models", required=True)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    builds = [tuple(b.split("=", 1)) for b in a.build]
    rows = []
    load = [os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        caches = {label: {} for label, _ in builds}
        for model_dir in a.models.split(","):
            name = name_of(model_dir)
            row = {"model": name, "path": model_dir}
            for label, zkinfer in builds:
                work = os.path.join(tmp, label, name)
                try:
                    row[label] = {"log2": compile_and_setup(zkinfer, model_dir, work, caches[label]), "runs": []}
                except (RuntimeError, ValueError, AttributeError) as e:
                    row[label] = {"error": str(e)[-300:]}
                    print(name, label, "failed:", str(e)[-300:], file=sys.stderr)
            for _ in range(a.repeat):
                for label, zkinfer in builds:
                    if "error" not in row[label]:
                        row[label]["runs"].append(prove_once(zkinfer, model_dir, os.path.join(tmp, label, name)))
            for label, _ in builds:
                s = row[label]
                if "error" in s:
                    continue
                for k in ("wall_ms", "cpu_ms"):
                    values = [r[k] for r in s["runs"]]
                    s[k] = {"min": min(values), "median": statistics.median(values)}
            load.append(os.getloadavg())
            rows.append(row)
            print(name, {label: {k: row[label].get(k) for k in ("log2", "wall_ms", "cpu_ms", "error")} for label, _ in builds},
                  file=sys.stderr)
    with open(a.out + ".json", "w") as f:
        json.dump({"builds": [label for label, _ in builds], "repeat": a.repeat, "loadavg": load, "rows": rows}, f, indent=1)
    labels = [label for label, _ in builds]
    head = "| model | 2^k | " + " | ".join(f"{l} wall min / med ms" for l in labels) + " | " + \
        " | ".join(f"{l} CPU min / med ms" for l in labels) + " |"
    lines = [head, "|---|---:|" + "---:|" * (2 * len(labels))]
    for r in rows:
        cells = []
        for k in ("wall_ms", "cpu_ms"):
            for l in labels:
                s = r[l]
                cells.append("failed" if "error" in s else f"{s[k]['min']:.1f} / {s[k]['median']:.1f}")
        log2 = next((r[l]["log2"] for l in labels if "log2" in r[l]), "?")
        lines.append(f"| {r['model']} | {log2} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("load average (1/5/15 min) before and after each model: "
                 + "; ".join("/".join(f"{x:.1f}" for x in l) for l in load))
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
