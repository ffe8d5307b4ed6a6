"""ZKInfer and EZKL side by side on the same models, same machine, same run (issue 9). `make bench-peers`.

    python3 bench/ezkl/bench_peers.py [model_dir ...] [--only mlp_tiny,cnn_small] [--repeats 3]
                                      [--tools ezkl,zkinfer] [--no-build] [--update-readme]
    python3 bench/ezkl/bench_peers.py --from-json bench/results/<date>.json --update-readme

Every model folder in circuits/ (plus any folder given) needs model.onnx and input.json. Writes
bench/results/<date>.json and .md; --update-readme puts the table into README.md's marked section.
Runs under bench/.venv (made on first use from bench/requirements.txt). See bench/ezkl/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import venv_bootstrap  # noqa: E402  (re-executes this script under bench/.venv with the pinned packages)

ONE_MINUTE = 60.0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dirs", nargs="*", help="extra model folders (model.onnx + input.json) besides circuits/*")
    p.add_argument("--only", help="comma-separated model names to run (default: all)")
    p.add_argument("--repeats", type=int, default=3, help="prove runs per tool while a prove takes under a minute (≥ 3 for the record)")
    p.add_argument("--verify-repeats", type=int, default=5, help="verify runs per tool (the baseline used 5)")
    p.add_argument("--tools", default="ezkl,zkinfer", help="ezkl, zkinfer or both (default both)")
    p.add_argument("--configs", default="default,db256x4", help="EZKL configurations (default,db256x4)")
    p.add_argument("--no-build", action="store_true", help="do not run `swift build -c release` first")
    p.add_argument("--zkinfer-bin", help="directory holding zkinfer and zkverify (default: swift build --show-bin-path)")
    p.add_argument("--zkinfer-log2", type=int, help="SRS log2 size for ZKInfer when `zkinfer stats --json` does not give one")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds before one step is killed")
    p.add_argument("--out-dir", default=os.path.join(BENCH, "results"))
    p.add_argument("--keep-work", action="store_true", help="keep keys, proofs and SRS files in bench/results/tmp/")
    p.add_argument("--srs-cache", default="",
                   help="folder of EZKL SRS files kept between runs, one per logrows (as bench/scale's; default: a "
                        "fresh one per run). gen_srs of a 2^20-point SRS takes ~10 minutes and is not a per-model cost")
    p.add_argument("--update-readme", action="store_true", help="replace README.md's bench-peers section with this run's table")
    p.add_argument("--from-json", help="only render the markdown (and README with --update-readme) from a results JSON")
    p.add_argument("--quiet", action="store_true")
    return p.parse_args()


def model_folders(args) -> list:
    circuits = os.path.join(ROOT, "circuits")
    dirs = [os.path.join(circuits, d) for d in sorted(os.listdir(circuits))
            if os.path.isfile(os.path.join(circuits, d, "model.onnx"))]
    dirs += [os.path.abspath(d) for d in args.model_dirs]
    only = set(args.only.split(",")) if args.only else None
    chosen, seen = [], set()
    for d in dirs:
        # circuits/zoo/<model>/<exporter> is named "zoo/<model>/<exporter>" (its basename alone repeats).
        inside = os.path.relpath(os.path.normpath(d), circuits)
        name = inside if not inside.startswith("..") else os.path.basename(os.path.normpath(d))
        if (only and name not in only) or name in seen:
            continue
        if not (os.path.isfile(os.path.join(d, "model.onnx")) and os.path.isfile(os.path.join(d, "input.json"))):
            raise SystemExit(f"{d}: needs model.onnx and input.json")
        seen.add(name)
        chosen.append((name, d))
    if only and seen != only:
        raise SystemExit(f"unknown model(s): {', '.join(sorted(only - seen))}")
    return chosen


def reference(model_dir: str):
    """onnxruntime float32 outputs for the model's input.json, flattened over all outputs, and the parameter count."""
    import numpy as np
    import onnx
    import onnxruntime as ort
    path = os.path.join(model_dir, "model.onnx")
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    data = json.load(open(os.path.join(model_dir, "input.json"), encoding="utf-8"))["input_data"]
    feeds = {}
    for i, spec in enumerate(session.get_inputs()):
        shape = [d if isinstance(d, int) and d > 0 else 1 for d in spec.shape]
        dtype = {"tensor(int64)": np.int64, "tensor(int32)": np.int32}.get(spec.type, np.float32)  # token ids
        feeds[spec.name] = np.array(data[i], dtype=dtype).reshape(shape)
    outputs = [float(v) for o in session.run(None, feeds) for v in np.asarray(o).flatten()]
    params = sum(int(np.prod(t.dims)) for t in onnx.load(path, load_external_data=False).graph.initializer)
    return outputs, params


def machine() -> dict:
    cpu = None
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {"cpu": cpu or platform.processor(), "logical_cores": os.cpu_count(), "mem_gib": mem,
            "os": platform.platform(), "RAYON_NUM_THREADS": os.environ.get("RAYON_NUM_THREADS")}


def build_zkinfer(args, notes):
    """The directory of the release zkinfer/zkverify binaries, building them first unless --no-build."""
    if args.zkinfer_bin:
        return os.path.abspath(args.zkinfer_bin)
    if not args.no_build:
        print("building ZKInfer: swift build -c release", flush=True)
        if subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT).returncode != 0:
            notes.append("`swift build -c release` failed; the ZKInfer half was skipped")
            return None
    shown = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
    return shown.stdout.strip() if shown.returncode == 0 else None


def zkinfer_version(bin_dir):
    from common import find_key, whole_json
    if not bin_dir or not os.path.exists(os.path.join(bin_dir, "zkinfer")):
        return None
    done = subprocess.run([os.path.join(bin_dir, "zkinfer"), "version", "--json"], capture_output=True, text=True)
    reply = whole_json(done.stdout) or {}
    return find_key(reply, ["version", "zkinfer"], want=(str,))[1] or done.stdout.strip()[:80] or None


def versions(bin_dir) -> dict:
    import ezkl
    import numpy
    import onnx
    import onnxruntime
    return {"python": platform.python_version(), "ezkl": getattr(ezkl, "__version__", None), "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__, "numpy": numpy.__version__, "zkinfer": zkinfer_version(bin_dir)}


def load_baseline() -> dict:
    """The shared EZKL baseline's per-model summary (keys "<model>@<config>"), when this checkout has it."""
    path = os.path.join(ROOT, "..", "shared", "peers", "ezkl_results.json")
    try:
        models = json.load(open(path, encoding="utf-8"))["models"]
    except (OSError, ValueError, KeyError):
        return {}
    kept = ("logrows", "prove_min_s", "prove_median_s", "prove_cpu_s_median", "prove_peak_rss_mb", "proof_bytes",
            "verify_median_ms", "setup_s", "max_abs_output_error")
    out = {}
    for key, entry in models.items():
        model, _, variant = key.partition("@")
        summary = entry.get("summary", {})
        out[f"{model}@{variant or 'default'}"] = dict({k: summary.get(k) for k in kept},
                                                      rows=entry.get("settings", {}).get("num_rows"))
    return out


def unique_path(directory: str, stem: str) -> str:
    """bench/results/<stem>, with -2, -3 … when a run of the same day is already there."""
    candidate, n = stem, 2
    while os.path.exists(os.path.join(directory, candidate + ".json")):
        candidate, n = f"{stem}-{n}", n + 1
    return os.path.join(directory, candidate)


def run_model(ctx, name, model_dir, args, work, srs_cache, bin_dir, tools):
    from ezkl_pipeline import EzklRun
    from zkinfer_pipeline import ZKInferRun
    ctx.log(f"== {name}")
    load_before = os.getloadavg()[0]
    try:
        ref, params = reference(model_dir)
    except Exception as error:  # a model onnxruntime cannot run still gets the tools' own verdicts
        ctx.log(f"  {name}: onnxruntime reference failed ({type(error).__name__}: {error}); no output errors")
        ref, params = None, None
    expected_file = os.path.join(model_dir, "expected_output.json")
    runs = []
    if "ezkl" in tools:
        runs += [EzklRun(ctx, name, model_dir, c, work, srs_cache) for c in args.configs.split(",")]
    if "zkinfer" in tools and bin_dir:
        runs.append(ZKInferRun(ctx, name, model_dir, work, bin_dir, os.path.join(work, "srs"), args.zkinfer_log2))
    ready = [r for r in runs if r.prepare()]
    # Alternating rounds: one prove of each tool per round, so load on this shared machine hits all alike.
    for round_index in range(max(1, args.repeats)):
        for r in ready:
            first = r.prove_runs[0] if r.prove_runs else None
            if round_index > 0 and (first is None or not first["ok"] or first["wall_s"] >= ONE_MINUTE):
                continue
            r.prove_once()
    for _ in range(max(1, args.verify_repeats)):
        for r in ready:
            if any(p["ok"] for p in r.prove_runs):
                r.verify_once()
    # The 1-minute load average around the model's runs: this machine is shared, so it explains outliers.
    entry = {"model_dir": os.path.relpath(model_dir, ROOT), "params": params,
             "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
             "reference": {"source": "onnxruntime float32", "outputs": ref}, "results": {}}
    if os.path.exists(expected_file):
        from common import flatten, max_abs_error
        try:
            stored = json.load(open(expected_file, encoding="utf-8"))
            expected = flatten(stored.get("output_data") or stored.get("outputs"))
            entry["reference"]["max_abs_diff_vs_expected_output_json"] = max_abs_error(ref, expected)
        except (TypeError, ValueError, AttributeError):
            pass
    for r in runs:
        entry["results"][r.label] = r.summary(ref)
    from report import comparison
    entry["comparison"] = comparison(entry["results"])
    return entry


def main():
    venv_bootstrap.ensure_venv()
    args = parse_args()
    sys.path.insert(0, HERE)
    import measure
    import report
    import common
    from common import Context, step_record
    from ezkl_pipeline import SRSCache

    if args.from_json:
        data = common.without_machine_paths(json.load(open(args.from_json, encoding="utf-8")), ROOT)
        for entry in data["models"].values():  # ratios follow the current report code
            entry["comparison"] = report.comparison(entry.get("results", {}))
        md_path = os.path.splitext(args.from_json)[0] + ".md"
        open(md_path, "w", encoding="utf-8").write(report.render_markdown(data))
        print(f"wrote {md_path}")
        if args.update_readme:
            report.update_readme(os.path.join(ROOT, "README.md"), report.readme_section(data, os.path.relpath(md_path, ROOT)))
            print("updated README.md")
        return 0

    tools = [t for t in args.tools.split(",") if t]
    if set(tools) - {"ezkl", "zkinfer"}:
        raise SystemExit("--tools takes ezkl and/or zkinfer")
    models = model_folders(args)
    use_time = measure.ensure_gnu_time()
    ctx = Context(sys.executable, use_time, args.timeout, verbose=not args.quiet)
    notes = []
    bin_dir = build_zkinfer(args, notes) if "zkinfer" in tools else None
    started = datetime.datetime.now(datetime.timezone.utc)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    work = os.path.join(args.out_dir, "tmp", stamp)
    os.makedirs(work, exist_ok=True)
    import_only = measure.run([sys.executable, os.path.join(HERE, "ezkl_step.py"), "import_only", "{}"], use_time)
    meta = {"date": started.strftime("%Y-%m-%d"), "started": started.isoformat(timespec="seconds"),
            "machine": machine(), "versions": versions(bin_dir), "repeats": args.repeats,
            "verify_repeats": args.verify_repeats, "tools": tools, "ezkl_configs": args.configs.split(","),
            "rss_source": "time -v" if use_time else "wait4", "zkinfer_bin": bin_dir,
            "ezkl_import_only": step_record(import_only), "notes": notes, "partial": None}
    ctx.log(f"machine: {meta['machine']['logical_cores']} cores, {meta['machine']['cpu']}; versions: {meta['versions']}")
    srs_cache = SRSCache(args.srs_cache or os.path.join(work, "srs"))
    cached_srs = sorted(f for f in os.listdir(srs_cache.directory) if f.endswith(".srs"))
    if cached_srs and args.srs_cache:
        notes.append("EZKL SRS files from an earlier run were reused (gen_srs not timed for those logrows): "
                     + ", ".join(cached_srs))
    data = {"meta": meta, "models": {}, "baseline": load_baseline() if "ezkl" in tools else {}}
    for name, model_dir in models:
        data["models"][name] = run_model(ctx, name, model_dir, args, work, srs_cache, bin_dir, tools)
    meta["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    zk_ok = any((m["results"].get("zkinfer") or {}).get("ok") for m in data["models"].values())
    if "zkinfer" not in tools or not zk_ok:
        meta["partial"] = {"reason": "EZKL-only partial run (no ZKInfer results)", "tools": ["ezkl"]}
    elif args.only or len(tools) < 2:
        meta["partial"] = {"reason": f"models {', '.join(n for n, _ in models)} only", "tools": tools}
    if meta["partial"]:
        notes.append(meta["partial"]["reason"])
    if "ezkl" in tools and import_only.ok:
        notes.append(f"EZKL's whole-process figures include Python start-up and `import ezkl`: "
                     f"{import_only.wall_s:.3f} s and {import_only.peak_rss_mb:.1f} MB peak for a child that only imports it.")
    loads = {n: m["load_average_1min"] for n, m in data["models"].items()}
    notes.append("1-minute load average before/after each model (2 cores, shared): "
                 + ", ".join(f"{n} {a:.1f}/{b:.1f}" for n, (a, b) in loads.items()))
    zk_errors = sorted({e for m in data["models"].values() for e in (m["results"].get("zkinfer") or {}).get("errors", [])})
    notes += [f"ZKInfer: {e}" for e in zk_errors[:6]]
    os.makedirs(args.out_dir, exist_ok=True)
    stem = meta["date"] + ("-ezkl-only-partial" if meta["partial"] and meta["partial"]["tools"] == ["ezkl"]
                           else "-partial" if meta["partial"] else "")
    base = unique_path(args.out_dir, stem)
    # Results are committed: no path of this machine (repository, scratch folder, home) goes into them.
    data = common.without_machine_paths(data, ROOT, work)
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    markdown = report.render_markdown(data)
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(markdown)
    print("\n" + markdown)
    print(f"wrote {base}.json and {base}.md")
    if args.update_readme:
        report.update_readme(os.path.join(ROOT, "README.md"), report.readme_section(data, os.path.relpath(base + ".md", ROOT)))
        print("updated README.md")
    if not args.keep_work:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
