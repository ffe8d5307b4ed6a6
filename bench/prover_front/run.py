#!/usr/bin/env python3
"""Prover front-end benchmark: `zkinfer prove --timings` (and prove-batch) of several binaries side by side.

Every binary compiles and sets up each model itself (its own circuit and keys, one dev SRS), then the
binaries prove in turn, `--reps` rounds, alternating, and the minimum of each figure is kept, so load from
other processes on the machine hits all binaries alike. Run it under `nice -n 19` on a shared machine.

usage: run.py --bin old=/path/zkinfer-old --bin new=.build/release/zkinfer --model name=dir ... --work DIR
              [--reps 3] [--batch name=N] -o results.json
"""
import argparse, json, os, resource, shutil, subprocess, sys, time


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def cpu_seconds():
    """User + system CPU seconds of the finished children so far: on a saturated machine a process's wall
    time mostly measures how long it waited for a core, its CPU time what it did."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def pairs(values):
    return [tuple(v.split("=", 1)) for v in values]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", required=True)
    ap.add_argument("--model", action="append", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--srs", required=True, help="dev SRS large enough for every model")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batch", action="append", default=[], help="name=N: prove-batch N copies of the model's input")
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    bins, models = pairs(a.bin), pairs(a.model)
    ready = {}
    for tag, binary in bins:
        for name, folder in models:
            d = os.path.join(a.work, tag, name)
            os.makedirs(d, exist_ok=True)
            if not os.path.exists(os.path.join(d, "pk.bin")):
                c = run([binary, "compile", os.path.join(folder, "model.onnx"), "-o", os.path.join(d, "circuit.zkc")])
                s = c if c.returncode else run([binary, "setup", os.path.join(d, "circuit.zkc"), "--params", a.srs, "-o", d])
                if s.returncode:
                    print(f"{tag} {name}: {(s.stderr or s.stdout).strip().splitlines()[-1:]}", file=sys.stderr)
                    continue
            ready[(tag, name)] = d
    results = {name: {} for name, _ in models}
    for rep in range(a.reps):
        for name, folder in models:
            for tag, binary in bins:
                d = ready.get((tag, name))
                if d is None:
                    continue
                t0, c0 = time.monotonic(), cpu_seconds()
                p = run([binary, "prove", os.path.join(d, "circuit.zkc"), "--pk", os.path.join(d, "pk.bin"),
                         os.path.join(folder, "input.json"), "-o", os.path.join(d, "proof.bin"), "--timings", "--json"])
                wall, cpu = time.monotonic() - t0, cpu_seconds() - c0
                if p.returncode:
                    print(f"{tag} {name}: prove failed: {p.stderr.strip()[-300:]}", file=sys.stderr)
                    continue
                # "witness_seconds" appears twice (inference + assignment, then the phase callbacks).
                members = json.loads(p.stdout, object_pairs_hook=lambda kv: kv)
                timing = dict(next(v for k, v in members if k == "timings"))
                seen = [v for k, v in next(v for k, v in members if k == "timings") if k == "witness_seconds"]
                timing["witness_seconds"], timing["phase_witness_seconds"] = seen[0], seen[-1]
                timing["wall_seconds"], timing["cpu_seconds"] = wall, cpu
                best = results[name].setdefault(tag, {})
                for k, v in timing.items():
                    best[k] = min(best.get(k, v), v)
                print(f"rep {rep} {name} {tag}: wall {wall:.3f}s cpu {cpu:.3f}s prove {timing['prove_seconds']:.3f}s load {timing['load_seconds']:.3f}s",
                      file=sys.stderr)
        save(a.out, a.reps, bins, results, {})
    batch = {}
    for spec in a.batch:
        name, count = spec.split("=")
        folder = dict(models)[name]
        inputs = os.path.join(a.work, f"batch-{name}.jsonl")
        sample = json.load(open(os.path.join(folder, "input.json")))
        with open(inputs, "w") as f:
            for _ in range(int(count)):
                f.write(json.dumps(sample) + "\n")
        for rep in range(a.reps):
            for tag, binary in bins:
                d = ready.get((tag, name))
                if d is None:
                    continue
                out = os.path.join(d, "batch")
                shutil.rmtree(out, ignore_errors=True)
                t0, c0 = time.monotonic(), cpu_seconds()
                p = run([binary, "prove-batch", os.path.join(d, "circuit.zkc"), "--pk", os.path.join(d, "pk.bin"),
                         "--inputs", inputs, "-o", out])
                wall, cpu = time.monotonic() - t0, cpu_seconds() - c0
                if p.returncode:
                    print(f"{tag} batch {name}: failed: {p.stderr.strip()[-300:]}", file=sys.stderr)
                    continue
                entry = batch.setdefault(name, {}).setdefault(tag, {"count": int(count), "wall_seconds": wall})
                entry["wall_seconds"] = min(entry["wall_seconds"], wall)
                entry["cpu_seconds"] = min(entry.get("cpu_seconds", cpu), cpu)
                entry["proofs_per_second"] = int(count) / entry["wall_seconds"]
                print(f"rep {rep} batch {name} {tag}: {wall:.3f}s, cpu {cpu:.3f}s", file=sys.stderr)
    save(a.out, a.reps, bins, results, batch)


def save(path, reps, bins, results, batch):
    # Written after every round, so an interrupted run keeps what it measured.
    # Binaries by file name only: committed results name no path of the machine (BenchResultsTests).
    json.dump({"reps": reps, "binaries": {t: os.path.basename(b) for t, b in bins}, "prove": results, "prove_batch": batch}, open(path, "w"), indent=1)


if __name__ == "__main__":
    main()
