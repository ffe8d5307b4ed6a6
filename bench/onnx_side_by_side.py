"""Side-by-side latency of `zkinfer run` (fixed-point and float paths) and onnxruntime, same run.

For every model in circuits/ it reports, as medians:
  - in-process latency: onnxruntime `session.run` vs zkinfer's own timing of one inference
    (`zkinfer run --repeat N`, which times input quantization + integer interpreter + dequantization
    on an already loaded and quantized model, like session.run on a created session);
  - whole-process latency: a fresh process that loads the model and runs it once
    (`python -c ...onnxruntime...` vs `zkinfer run ... --json`);
  - ratios zkinfer / onnxruntime, and zkinfer's max abs output error vs onnxruntime.

Usage (from the repository root, after `swift build -c release`):
    python3 bench/onnx_side_by_side.py [--repeat 2001] [--process-runs 11] [--markdown]
Creates bench/.venv with onnxruntime on first use; nothing here is needed by the tests.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "bench", ".venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")


def ensure_venv():
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(VENV_PYTHON):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([VENV_PYTHON, "-m", "pip", "install", "-q", "onnxruntime", "numpy", "onnx"])
    os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)


ORT_ONCE = """
import json, sys, numpy as np, onnxruntime as ort
s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
i = s.get_inputs()[0]
x = np.array(json.load(open(sys.argv[2]))["input_data"][0], dtype=np.float32).reshape(i.shape)
print(json.dumps(s.run(None, {i.name: x})[0].flatten().tolist()))
"""


def median_process_time(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ensure_venv()
    import numpy as np
    import onnxruntime as ort

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2001)
    parser.add_argument("--process-runs", type=int, default=11)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    zkinfer = os.path.join(ROOT, ".build", "release", "zkinfer")
    if not os.path.exists(zkinfer):
        sys.exit("build first: swift build -c release")
    circuits = os.path.join(ROOT, "circuits")
    rows = []
    for name in sorted(os.listdir(circuits)):
        model = os.path.join(circuits, name, "model.onnx")
        data = os.path.join(circuits, name, "input.json")
        if not os.path.exists(model):
            continue
        session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        info = session.get_inputs()[0]
        x = np.array(json.load(open(data))["input_data"][0], dtype=np.float32).reshape(info.shape)
        feeds = {info.name: x}
        for _ in range(50):
            session.run(None, feeds)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            session.run(None, feeds)
            times.append(time.perf_counter() - start)
        ort_in = statistics.median(times)
        reference = session.run(None, feeds)[0].flatten()

        fixed = json.loads(subprocess.check_output([zkinfer, "run", model, data, "--json", "--repeat", str(args.repeat)]))
        floating = json.loads(subprocess.check_output([zkinfer, "run", model, data, "--json", "--float", "--repeat", str(args.repeat)]))
        error = float(np.max(np.abs(np.array(fixed["outputs"][0]["values"]) - reference)))

        ort_proc = median_process_time([VENV_PYTHON, "-c", ORT_ONCE, model, data], args.process_runs)
        fixed_proc = median_process_time([zkinfer, "run", model, data, "--json"], args.process_runs)
        float_proc = median_process_time([zkinfer, "run", model, data, "--json", "--float"], args.process_runs)
        rows.append({
            "model": name,
            "ort_in_us": ort_in * 1e6, "fixed_in_us": fixed["medianSeconds"] * 1e6, "float_in_us": floating["medianSeconds"] * 1e6,
            "fixed_in_ratio": fixed["medianSeconds"] / ort_in, "float_in_ratio": floating["medianSeconds"] / ort_in,
            "ort_proc_ms": ort_proc * 1e3, "fixed_proc_ms": fixed_proc * 1e3, "float_proc_ms": float_proc * 1e3,
            "fixed_proc_ratio": fixed_proc / ort_proc, "float_proc_ratio": float_proc / ort_proc,
            "max_abs_error": error, "settings": fixed["settings"],
        })

    if args.markdown:
        print("| model | ort in-process µs | fixed µs (ratio) | float µs (ratio) | ort process ms | fixed ms (ratio) | float ms (ratio) | fixed max abs err vs ort |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print("| %s | %.1f | %.1f (%.2f×) | %.1f (%.2f×) | %.0f | %.0f (%.2f×) | %.0f (%.2f×) | %.2e |" % (
                r["model"], r["ort_in_us"], r["fixed_in_us"], r["fixed_in_ratio"], r["float_in_us"], r["float_in_ratio"],
                r["ort_proc_ms"], r["fixed_proc_ms"], r["fixed_proc_ratio"], r["float_proc_ms"], r["float_proc_ratio"],
                r["max_abs_error"]))
    else:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
