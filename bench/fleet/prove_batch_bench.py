"""`zkinfer prove-batch` against one `zkinfer prove` process per input, on N inputs of a shipped model.

    python3 bench/fleet/prove_batch_bench.py [--model mlp_tiny] [--inputs 1000] [--jobs 2] [--bin .build/release]

Makes the keys (development SRS, INSECURE, benchmark only) and N inputs (the model's input.json scaled by
1 − k/N), then measures, each as whole processes:
  - prove-batch over the folder with --jobs J (key loaded once), and with --jobs 1;
  - prove-batch over the same inputs as one JSON Lines file;
  - prove-batch over the first N/10 inputs (peak memory must not grow with N: inputs are streamed);
  - one `zkinfer prove` process per input, J at a time (the key loaded N times).
Throughput is proofs per second of wall time; CPU is user + system seconds of the tool processes; peak RSS
is the largest resident set of one tool process (GNU time). Every proof of each run is checked with `zkverify batch`. Writes bench/results/<date>-prove-batch.json
(paths relative to the repository: no machine paths) and prints a markdown table.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


TIME = "/usr/bin/time"
RSS_DIR = None  # set in main: GNU time writes each measured process's peak RSS (KB) into a file here


def measured(argv):
    """argv under GNU time, its peak RSS written to a fresh file of RSS_DIR. Why not getrusage: a child that
    Python forks (or vforks) keeps Python's own resident size in ru_maxrss across exec."""
    fd, path = tempfile.mkstemp(dir=RSS_DIR, suffix=".rss")
    os.close(fd)
    return [TIME, "-f", "%M", "-o", path] + argv


def peak_rss_mb():
    """The largest RSS recorded since the last call, in MB (and forget the records)."""
    peak = 0
    for name in os.listdir(RSS_DIR):
        with open(os.path.join(RSS_DIR, name)) as f:
            text = f.read().split()
        peak = max(peak, int(text[-1]) if text else 0)
        os.remove(os.path.join(RSS_DIR, name))
    return peak / 1024


def run(argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kw)


def timed_children(body):
    """Wall seconds of body() and the peak RSS (MB) of the tool processes it ran under `measured` (GNU time);
    their CPU seconds (user + system, from RUSAGE_CHILDREN of a helper process forked per call, so that it
    starts at zero) are left in timed_children.cpu. CPU per proof hardly depends on what else the machine
    runs; wall-clock throughput does (report the load average with it)."""
    peak_rss_mb()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        start = time.perf_counter()
        ok = True
        try:
            body()
        except Exception as e:  # reported by the parent
            print(f"failed: {e}", file=sys.stderr)
            ok = False
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        os.write(write, json.dumps({"ok": ok, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime}).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.waitpid(pid, 0)
    result = json.loads(data)
    if not result["ok"]:
        raise SystemExit("a measured step failed")
    timed_children.cpu = result["cpu"]
    return result["seconds"], peak_rss_mb()


def verify_all(bin_dir, folder, vk, expected):
    r = subprocess.run([os.path.join(bin_dir, "zkverify"), "batch", folder, "--vk", vk, "--allow-dev-srs"],
                       capture_output=True, text=True)
    line = next((l for l in r.stderr.splitlines() if " valid (" in l), "")
    if r.returncode != 0 or not line.startswith(f"{expected} of {expected} valid"):
        raise SystemExit(f"zkverify batch {folder}: {r.stderr}")
    return line


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="mlp_tiny")
    p.add_argument("--inputs", type=int, default=1000)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = p.parse_args()
    bin_dir = os.path.abspath(args.bin)
    zkinfer = os.path.join(bin_dir, "zkinfer")
    model_dir = os.path.join(ROOT, "circuits", args.model)
    n, jobs = args.inputs, args.jobs

    if not os.path.exists(TIME):
        sys.path.insert(0, os.path.join(ROOT, "bench", "ezkl"))
        import measure  # installs Debian's `time` package (root) when missing
        if not measure.ensure_gnu_time():
            raise SystemExit("needs GNU time (/usr/bin/time, Debian package 'time')")
    work = tempfile.mkdtemp(prefix="zkinfer-prove-batch-bench-")
    global RSS_DIR
    RSS_DIR = os.path.join(work, "rss")
    os.mkdir(RSS_DIR)
    try:
        circuit, srs = os.path.join(work, "circuit.zkc"), os.path.join(work, "dev.srs")
        run([zkinfer, "compile", os.path.join(model_dir, "model.onnx"), "-o", circuit])
        k = json.loads(run([zkinfer, "stats", os.path.join(model_dir, "model.onnx"), "--json"]).stdout)["totals"]["log2Rows"]
        run([zkinfer, "params", "dev", "--log2", str(k), "-o", srs])
        run([zkinfer, "setup", circuit, "--params", srs, "-o", work])
        pk, vk = os.path.join(work, "pk.bin"), os.path.join(work, "vk.bin")
        with open(os.path.join(model_dir, "input.json")) as f:
            base = json.load(f)["input_data"]
        inputs = os.path.join(work, "inputs")
        os.mkdir(inputs)
        lines = []
        for i in range(n):
            sample = {"input_data": [[v * (1 - i / n) for v in row] for row in base]}
            with open(os.path.join(inputs, f"x{i:05d}.json"), "w") as f:
                json.dump(sample, f)
            lines.append(json.dumps(sample))
        jsonl = os.path.join(work, "inputs.jsonl")
        with open(jsonl, "w") as f:
            f.write("\n".join(lines) + "\n")
        small = os.path.join(work, "inputs-small")
        os.mkdir(small)
        for i in range(max(1, n // 10)):
            shutil.copy(os.path.join(inputs, f"x{i:05d}.json"), small)

        results = {}

        def batch(name, source, count, j):
            out = os.path.join(work, name)
            seconds, rss = timed_children(lambda: run(measured([zkinfer, "prove-batch", circuit, "--pk", pk, "--inputs", source,
                                                                "-o", out, "--jobs", str(j)])))
            cpu = timed_children.cpu
            with open(os.path.join(out, "summary.json")) as f:
                summary = json.load(f)
            assert summary["proved"] == count and summary["failed"] == 0, summary
            verify_all(bin_dir, out, vk, count)
            # zkverify batch over the same proofs: its memory must not grow with their number either.
            verify_seconds, verify_rss = timed_children(lambda: run(measured([os.path.join(bin_dir, "zkverify"), "batch", out,
                                                                              "--vk", vk, "--allow-dev-srs"])))
            results[name] = {"inputs": count, "jobs": j, "wall_seconds": round(seconds, 3),
                             "proofs_per_second": round(count / seconds, 2), "peak_rss_mb": round(rss, 1),
                             "cpu_ms_per_proof": round(1000 * cpu / count, 2), "key_load_seconds": summary["load_seconds"],
                             "zkverify_batch_seconds": round(verify_seconds, 3), "zkverify_batch_peak_rss_mb": round(verify_rss, 1)}
            print(f"{name}: {count} proofs in {seconds:.2f} s = {count / seconds:.1f}/s, peak RSS {rss:.1f} MB; "
                  f"zkverify batch {verify_seconds:.2f} s, {verify_rss:.1f} MB", file=sys.stderr)
            shutil.rmtree(out)

        batch(f"prove-batch --jobs {jobs}", inputs, n, jobs)
        if jobs != 1:
            batch("prove-batch --jobs 1", inputs, n, 1)
        batch(f"prove-batch JSON Lines --jobs {jobs}", jsonl, n, jobs)
        batch(f"prove-batch {max(1, n // 10)} inputs --jobs {jobs}", small, max(1, n // 10), jobs)

        # One process per input, `jobs` at a time (as a shell loop or xargs -P would run them).
        out = os.path.join(work, "per-process")
        os.mkdir(out)

        def per_process():
            names = sorted(os.listdir(inputs))
            running = []
            for name in names:
                while len(running) >= jobs:
                    running.pop(0).wait()
                running.append(subprocess.Popen(measured([zkinfer, "prove", circuit, "--pk", pk, os.path.join(inputs, name),
                                                          "-o", os.path.join(out, name[:-5] + ".proof")]),
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for process in running:
                process.wait()

        seconds, rss = timed_children(per_process)
        cpu = timed_children.cpu
        for name in os.listdir(out):
            if name.endswith(".output.json"):
                os.remove(os.path.join(out, name))
        verify_all(bin_dir, out, vk, n)
        results[f"zkinfer prove per input, {jobs} at a time"] = {
            "inputs": n, "jobs": jobs, "wall_seconds": round(seconds, 3), "proofs_per_second": round(n / seconds, 2),
            "peak_rss_mb": round(rss, 1), "cpu_ms_per_proof": round(1000 * cpu / n, 2)}
        print(f"per process: {n} proofs in {seconds:.2f} s = {n / seconds:.1f}/s, peak RSS {rss:.1f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    version = run([zkinfer, "version", "--json"]).stdout.strip()
    record = {
        "date": datetime.date.today().isoformat(), "model": f"circuits/{args.model}", "log2_rows": k,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(terse=True),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "zkinfer": json.loads(version)["version"], "results": results,
    }
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"{record['date']}-prove-batch-{args.model}.json")
    with open(path, "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print("| run | inputs | jobs | wall s | proofs/s | CPU ms/proof | peak RSS MB | zkverify batch s / peak RSS MB |\n|---|---:|---:|---:|---:|---:|---:|---|")
    for name, r in results.items():
        verify = f"{r['zkverify_batch_seconds']:.2f} / {r['zkverify_batch_peak_rss_mb']:.1f}" if "zkverify_batch_seconds" in r else "–"
        print(f"| {name} | {r['inputs']} | {r['jobs']} | {r['wall_seconds']:.2f} | {r['proofs_per_second']:.1f} | {r['cpu_ms_per_proof']:.1f} | {r['peak_rss_mb']:.1f} | {verify} |")
    print(f"\nwritten {os.path.relpath(path, ROOT)}; load average at end {record['machine']['load_average_at_end']}")


if __name__ == "__main__":
    main()
