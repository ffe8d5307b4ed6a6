"""ZKInfer and EZKL side by side on the scale ladder (issue 15 item 7). `make bench-scale`.

    python3 bench/scale/bench_scale.py [--only lenet5,dense4m] [--tools zkinfer,ezkl] [--exporter torchscript]
                                       [--ezkl-timeout 300] [--zkinfer-timeout 600] [--step-timeout prove=900]
                                       [--memory-limit-gib 16] [--budget-min 85] [--update-readme]
    python3 bench/scale/bench_scale.py --from-json bench/results/<date>-scale.json [--update-readme]

Generates the ladder first when bench/scale/models/ lacks it (bench/scale/make_ladder.py), then per model,
smallest first: ZKInfer's pipeline, then EZKL's (bench/ezkl's machinery: every step its own measured
process). Each step has a timeout (per tool, overridable per step) and a memory limit; a step that is killed
for either is recorded as such, with how far it got, and that tool stops on that model. A deadline for the
whole run (--budget-min) and for one tool on one model (--model-budget-min) keeps the run bounded; steps
not reached are listed as skipped. Writes bench/results/<date>-scale.{json,md,png}; --update-readme puts
the table and the plot into README.md between <!-- bench-scale:start --> and <!-- bench-scale:end -->.
See bench/scale/README.md.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
EZKL_DIR = os.path.join(BENCH, "ezkl")
sys.path.insert(0, BENCH)
import venv_bootstrap  # noqa: E402

DEFAULT_MODELS = os.path.join(HERE, "models")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models-dir", default=DEFAULT_MODELS, help="the ladder (make_ladder.py --out)")
    p.add_argument("--exporter", default="torchscript", choices=["torchscript", "dynamo"],
                   help="which export both tools read (default torchscript: one file, what ZKInfer imports today)")
    p.add_argument("--only", help="comma-separated ladder models (default: all, smallest first)")
    p.add_argument("--tools", default="zkinfer,ezkl")
    p.add_argument("--configs", default="default", help="EZKL configurations (bench/ezkl: default, db256x4)")
    p.add_argument("--ezkl-timeout", type=float, default=300.0, help="seconds per EZKL step (default 300)")
    p.add_argument("--zkinfer-timeout", type=float, default=600.0, help="seconds per ZKInfer step (default 600)")
    p.add_argument("--step-timeout", action="append", default=[], metavar="[TOOL:]STEP=SECONDS",
                   help="a step's own timeout, e.g. prove=900 or ezkl:setup=600 (repeatable)")
    p.add_argument("--memory-limit-gib", type=float, default=16.0,
                   help="kill a step whose processes' resident memory passes this (default 16 GiB of this 24 GiB, "
                        "shared machine; 0 = no limit)")
    p.add_argument("--budget-min", type=float, default=85.0, help="minutes for the whole run (default 85)")
    p.add_argument("--model-budget-min", type=float, default=25.0,
                   help="most minutes for one tool on one model (default 25); each run also gets at most an equal "
                        "share of what is left of --budget-min, so that the big models are reached")
    p.add_argument("--srs-cache", default=os.path.join(BENCH, "results", "tmp", "ezkl-srs-cache"),
                   help="EZKL SRS files kept between runs, one per logrows (git-ignored; '' = per run). gen_srs of a "
                        "2^21-point SRS takes minutes and is not part of EZKL's per-model cost")
    p.add_argument("--repeats", type=int, default=2, help="prove runs per tool while one takes under a minute")
    p.add_argument("--verify-repeats", type=int, default=3)
    p.add_argument("--no-build", action="store_true", help="do not run `swift build -c release` first")
    p.add_argument("--zkinfer-bin", help="directory holding zkinfer and zkverify")
    p.add_argument("--zkinfer-log2", type=int, help="SRS log2 size when `zkinfer stats --json` gives none")
    p.add_argument("--no-generate", action="store_true", help="do not run make_ladder.py for missing models")
    p.add_argument("--out-dir", default=os.path.join(BENCH, "results"))
    p.add_argument("--keep-work", action="store_true", help="keep keys, proofs and SRS files in bench/results/tmp/")
    p.add_argument("--update-readme", action="store_true")
    p.add_argument("--from-json", help="only render markdown, plot (and README) from a results JSON")
    p.add_argument("--peers-from", metavar="JSON",
                   help="an earlier run's results JSON: its rows for the tools not run now (e.g. EZKL's, hours) are "
                        "carried into this run's table, each marked with the date it was measured")
    p.add_argument("--quiet", action="store_true")
    return p.parse_args()


def step_timeouts(args) -> dict:
    """{"ezkl": {step: s}, "zkinfer": {step: s}} from --step-timeout entries."""
    out = {"ezkl": {}, "zkinfer": {}}
    for entry in args.step_timeout:
        target, _, seconds = entry.partition("=")
        tool, _, step = target.rpartition(":")
        if not step or not seconds:
            raise SystemExit(f"--step-timeout {entry}: expected [TOOL:]STEP=SECONDS")
        for t in ([tool] if tool else ["ezkl", "zkinfer"]):
            if t not in out:
                raise SystemExit(f"--step-timeout {entry}: tool must be ezkl or zkinfer")
            out[t][step] = float(seconds)
    return out


def ladder(args) -> list:
    """(name, folder, facts) of the ladder models to run, smallest first; generates missing ones."""
    stamp_path = os.path.join(args.models_dir, "ladder.json")
    only = args.only.split(",") if args.only else None

    def present():
        try:
            stamp = json.load(open(stamp_path, encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {n: m for n, m in stamp.get("models", {}).items()
                if os.path.isfile(os.path.join(args.models_dir, args.exporter, n, "model.onnx"))
                and args.exporter in m}

    models = present()
    missing = [n for n in only if n not in models] if only else None
    if not args.no_generate and (missing or (only is None and len(models) < 6)):
        command = [sys.executable, os.path.join(HERE, "make_ladder.py"), "--out", args.models_dir]
        if only:
            command += ["--only", ",".join(only)]
        print("generating the ladder: " + " ".join(os.path.relpath(c, ROOT) if os.path.isabs(c) else c for c in command[1:]),
              flush=True)
        subprocess.run(command, check=True)
        models = present()
    if only and set(only) - set(models):
        raise SystemExit(f"not in the ladder: {', '.join(sorted(set(only) - set(models)))} "
                         f"(have: {', '.join(models) or 'none'}; run bench/scale/make_ladder.py)")
    chosen = [(n, m) for n, m in models.items() if not only or n in only]
    chosen.sort(key=lambda nm: nm[1][args.exporter]["params"])
    return [(n, os.path.join(args.models_dir, args.exporter, n), m) for n, m in chosen]


def scrub_paths(value, replacements):
    """`value` with every absolute path of this machine replaced (results are committed): the repository
    becomes relative, the scratch folder "<work>", the home folder "~"."""
    if isinstance(value, dict):
        return {k: scrub_paths(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_paths(v, replacements) for v in value]
    if isinstance(value, str):
        for prefix, replacement in replacements:
            if prefix and prefix in value:
                value = value.replace(prefix, replacement)
        return value
    return value


def path_replacements(work: str, models_dir: str = None) -> list:
    pairs = []
    # A ladder generated elsewhere (--models-dir) is recorded as the default folder it stands for.
    places = [(work, "<work>"), (os.path.join(HERE, "models"), "bench/scale/models")]
    if models_dir:
        places.append((models_dir, "bench/scale/models"))
    for path, short in places + [(ROOT, ".")]:
        for variant in {os.path.realpath(path), os.path.abspath(path)}:
            pairs.append((variant + os.sep, short + "/" if short != "." else ""))
            pairs.append((variant, short))
    home = os.path.expanduser("~")
    if home not in ("", "/"):
        pairs.append((home, "~"))
    return pairs


STEP_ORDER = {
    "ezkl": ["gen_settings", "calibrate_settings", "compile_circuit", "gen_srs", "setup", "gen_witness",
             "pk_load_proxy", "prove", "verify"],
    "zkinfer": ["stats", "compile", "params_dev", "setup", "run", "prove", "verify"],
}


def base_step(name: str) -> str:
    """The step a record belongs to: "prove_2" → "prove", "params_dev_k18" → "params_dev"."""
    if name.startswith("params_dev"):
        return "params_dev"
    head, _, tail = name.rpartition("_")
    return head if head and tail.isdigit() else name


def outcome(tool: str, summary: dict) -> dict:
    """What happened to one tool on one model: status (ok / timeout / memory / killed / failed / skipped),
    the step where it stopped and why, and the steps it never reached."""
    steps = summary.get("steps") or {}
    order = STEP_ORDER[tool]
    for name, record in steps.items():
        if record.get("ok"):
            continue
        if record.get("timed_out"):
            status = "timeout"
        elif record.get("killed_for_memory"):
            status = "memory"
        elif record.get("signal") is not None:
            status = "killed"
        else:
            status = "failed"
        base = base_step(name)
        reached = {base_step(s) for s in steps}
        later = order[order.index(base) + 1:] if base in order else []
        return {"status": status, "step": name, "reason": record.get("error") or "failed", "wall_s": record.get("wall_s"),
                "peak_rss_mb": record.get("peak_rss_mb"), "not_reached": [s for s in later if s not in reached]}
    if summary.get("ok"):
        return {"status": "ok"}
    errors = summary.get("errors") or []
    return {"status": "failed", "step": None, "reason": "; ".join(errors) or "incomplete"}


def compact(tool: str, summary: dict) -> dict:
    """The ladder's figures for one tool on one model (seconds, bytes, MB), from a bench/ezkl summary."""
    steps = summary.get("steps") or {}

    def wall(*names):
        values = [steps[n]["wall_s"] for n in names if n in steps and steps[n].get("ok")]
        return round(sum(values), 4) if values and len(values) == len([n for n in names if n in steps]) else None

    peaks = {n: r.get("peak_rss_mb") for n, r in steps.items() if r.get("peak_rss_mb") is not None}
    if tool == "ezkl":
        compile_s = wall("gen_settings", "calibrate_settings", "compile_circuit")
        setup_s = wall("setup")
        srs_s = wall("gen_srs")
    else:
        compile_s = wall("compile")
        setup_s = wall("setup")
        srs_s = wall(*[n for n in steps if n.startswith("params_dev")]) if any(n.startswith("params_dev") for n in steps) else None
    prove_wall = (summary.get("prove_wall_s") or {}).get("min")
    prove_in = (summary.get("prove_in_process_s") or {}).get("min")
    verify_in = (summary.get("verify_in_process_s") or {}).get("median")
    verify_wall = (summary.get("verify_wall_s") or {}).get("median")
    return {
        "ok": bool(summary.get("ok")), "outcome": outcome(tool, summary),
        "logrows": summary.get("logrows"), "rows": summary.get("rows"),
        "compile_s": compile_s, "setup_s": setup_s, "srs_s": srs_s,
        "prove_s": prove_wall, "prove_in_process_s": prove_in,
        "verify_s": verify_wall, "verify_in_process_s": verify_in,
        "vk_bytes": summary.get("vk_bytes"), "pk_bytes": summary.get("pk_bytes"), "proof_bytes": summary.get("proof_bytes"),
        "peak_rss_mb": max(peaks.values()) if peaks else None, "peak_rss_mb_by_step": peaks,
        "estimated_peak_mb": summary.get("estimated_peak_mb"),
        "estimated_step_peak_mb": summary.get("estimated_step_peak_mb"),
        "max_abs_output_error": summary.get("max_abs_output_error"),
    }


def carry_peer_rows(path: str, tools: list, entries: dict, meta: dict) -> None:
    """Copies an earlier run's rows of the tools not run now into `entries`, each marked `from_run` (its date):
    EZKL's ladder takes hours, ZKInfer's minutes, so a new ZKInfer build can be set beside EZKL's last figures
    without hiding that they were measured on another day (the table and the notes say so)."""
    earlier = json.load(open(path, encoding="utf-8"))
    date = earlier["meta"]["date"]
    carried = []
    for name, old in (earlier.get("models") or {}).items():
        if name not in entries:
            # A model not run now (--only) keeps all its earlier rows.
            entries[name] = {k: v for k, v in old.items() if k not in ("results", "scale", "load_average_1min")}
            entries[name].update(results={}, scale={}, load_average_1min={})
            run_now = set()
        else:
            run_now = set(tools)
        entry = entries[name]
        for label, scale in (old.get("scale") or {}).items():
            if label.split("/")[0] in run_now:
                continue
            # A row the earlier run had carried itself keeps its own date.
            when = scale.get("from_run") or date
            entry["scale"][label] = dict(scale, from_run=when)
            entry["results"][label] = dict(old["results"].get(label) or {}, from_run=when)
            carried.append(f"{name} {label}" + (f" ({when})" if when != date else ""))
    shown = os.path.relpath(os.path.abspath(path), ROOT)
    meta["peers_from"] = {"file": shown, "date": date, "rows": carried}
    meta["notes"].append(peer_note(earlier["meta"], shown, carried))


def peer_note(earlier: dict, shown: str, carried: list) -> str:
    """Where the carried rows come from: their run's date, machine and limits, which may differ from this run's."""
    import report_scale
    return (f"Rows marked with a date were not re-run: they are carried from {shown}, whose run ({earlier['date']}) "
            f"had: {report_scale.machine_line(earlier)} {report_scale.limits_line(earlier)} Rows that run had carried "
            f"itself keep their own date (its notes say where they come from). This run's limits and machine apply to "
            f"the other rows only. Carried: {', '.join(carried) or 'none'}.")


def run_tool(run, repeats, verify_repeats, ctx, log):
    """prepare → prove (repeated while under a minute) → verify, stopping at the first failure."""
    if not run.prepare():
        return
    for i in range(max(1, repeats)):
        record = run.prove_once()
        if not record["ok"] or record["wall_s"] >= 60.0:
            break
    if any(p["ok"] for p in run.prove_runs):
        for _ in range(max(1, verify_repeats)):
            if not run.verify_once()["ok"]:
                break


def main():
    venv_bootstrap.ensure_venv()
    args = parse_args()
    sys.path.insert(0, EZKL_DIR)
    sys.path.insert(0, HERE)
    import report_scale

    if args.from_json:
        data = json.load(open(args.from_json, encoding="utf-8"))
        base = os.path.splitext(args.from_json)[0]
        report_scale.write_outputs(data, base, ROOT, args.update_readme)
        return 0

    import bench_peers
    import measure
    from common import Context
    from ezkl_pipeline import EzklRun, SRSCache
    from zkinfer_pipeline import ZKInferRun

    tools = [t for t in args.tools.split(",") if t]
    if set(tools) - {"ezkl", "zkinfer"}:
        raise SystemExit("--tools takes ezkl and/or zkinfer")
    timeouts = step_timeouts(args)
    models = ladder(args)
    use_time = measure.ensure_gnu_time()
    memory_limit_mb = args.memory_limit_gib * 1024 if args.memory_limit_gib > 0 else None
    run_deadline = time.monotonic() + args.budget_min * 60
    contexts = {
        "ezkl": Context(sys.executable, use_time, args.ezkl_timeout, not args.quiet, timeouts["ezkl"], memory_limit_mb),
        "zkinfer": Context(sys.executable, use_time, args.zkinfer_timeout, not args.quiet, timeouts["zkinfer"], memory_limit_mb),
    }
    notes = []
    bin_dir = bench_peers.build_zkinfer(args, notes) if "zkinfer" in tools else None
    started = datetime.datetime.now(datetime.timezone.utc)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    work = os.path.join(args.out_dir, "tmp", "scale-" + stamp)
    os.makedirs(work, exist_ok=True)
    srs_cache = SRSCache(args.srs_cache or os.path.join(work, "ezkl-srs"))
    cached_srs = sorted(f for f in os.listdir(srs_cache.directory) if f.endswith(".srs"))
    meta = {"date": started.strftime("%Y-%m-%d"), "started": started.isoformat(timespec="seconds"),
            "machine": bench_peers.machine(), "versions": bench_peers.versions(bin_dir if "zkinfer" in tools else None),
            "exporter": args.exporter, "tools": tools, "ezkl_configs": args.configs.split(","),
            "timeouts_s": {"ezkl": args.ezkl_timeout, "zkinfer": args.zkinfer_timeout, "per_step": timeouts},
            "memory_limit_gib": args.memory_limit_gib or None, "budget_min": args.budget_min,
            "model_budget_min": args.model_budget_min, "repeats": args.repeats, "verify_repeats": args.verify_repeats,
            "rss_source": "time -v" if use_time else "wait4", "notes": notes,
            "ezkl_srs_cached_before_run": cached_srs}
    if cached_srs:
        notes.append("EZKL SRS files from an earlier run were reused (gen_srs not timed for those logrows): "
                     + ", ".join(cached_srs))
    try:
        import torch
        meta["versions"]["torch"] = torch.__version__
    except ImportError:
        pass
    data = {"meta": meta, "models": {}}
    log = contexts["zkinfer"].log
    log(f"scale ladder ({args.exporter} exports): {', '.join(n for n, _, _ in models)}; "
        f"budget {args.budget_min:g} min, memory limit {args.memory_limit_gib:g} GiB")
    entries, references = {}, {}
    for name, folder, facts in models:
        export = facts[args.exporter]
        # Recorded as the default ladder folder it stands for (a --models-dir elsewhere is this machine's path).
        model_dir = os.path.join("bench/scale/models", os.path.relpath(folder, args.models_dir))
        entries[name] = {"model_dir": model_dir, "params": export["params"],
                         "description": facts.get("description"), "onnx_bytes": export.get("bytes"),
                         "ops": export.get("ops"), "opset": export.get("opset"), "results": {}, "scale": {},
                         "load_average_1min": {}}
        data["models"][name] = entries[name]
        try:
            references[name], _ = bench_peers.reference(folder)
        except Exception as error:  # the tools' own verdicts still count
            references[name] = None
            log(f"  {name}: onnxruntime reference failed: {type(error).__name__}: {error}")
    if args.peers_from:
        carry_peer_rows(args.peers_from, tools, entries, meta)
        for name, entry in entries.items():
            data["models"].setdefault(name, entry)
        data["models"] = dict(sorted(data["models"].items(), key=lambda item: item[1].get("params") or 0))
    # ZKInfer over the whole ladder first (minutes), then EZKL smallest first (hours at the top of the
    # ladder): the budget then cuts EZKL's largest models, which are the ones it cannot finish anyway.
    plan = []
    if "zkinfer" in tools and bin_dir:
        plan += [("zkinfer", None, m) for m in models]
    if "ezkl" in tools:
        plan += [("ezkl", c, m) for m in models for c in args.configs.split(",")]
    for tool, config, (name, folder, facts) in plan:
        entry = entries[name]
        if tool == "zkinfer":
            run = ZKInferRun(contexts["zkinfer"], name, folder, work, bin_dir, os.path.join(work, "zkinfer-srs"),
                             args.zkinfer_log2)
        else:
            run = EzklRun(contexts["ezkl"], name, folder, config, work, srs_cache)
            run.measure_pk_load = False  # bench-peers' extra pk-deserialisation step: minutes and GBs here
        log(f"== {name} ({entry['params']:,} parameters): {run.label}")
        if time.monotonic() >= run_deadline - 10:
            entry["results"][run.label] = {"tool": tool, "ok": False, "steps": {},
                                           "errors": ["skipped: the run's time budget was used up"]}
            entry["scale"][run.label] = {"ok": False, "outcome": {"status": "skipped", "step": None,
                                         "reason": f"not run: the {args.budget_min:g}-minute budget was used up"}}
            log(f"  {name} {run.label}: skipped (budget)")
            continue
        ctx = contexts[tool]
        ctx.deadline = min(run_deadline, time.monotonic() + args.model_budget_min * 60)
        load_before = os.getloadavg()[0]
        run_tool(run, args.repeats, args.verify_repeats, ctx, log)
        entry["load_average_1min"][run.label] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        summary = run.summary(references[name])
        entry["results"][run.label] = summary
        entry["scale"][run.label] = compact(tool, summary)
        o = entry["scale"][run.label]["outcome"]
        if o["status"] == "timeout":
            configured = ctx.step_timeouts.get(base_step(o["step"]), ctx.timeout_s)
            if (o.get("wall_s") or 0) < configured - 2:
                o["cut_by_budget"] = True
                o["reason"] += f" (cut short by the time budget; the step's own timeout is {configured:g} s)"
        log(f"  {name} {run.label}: {o['status']}" + (f" at {o.get('step')}: {o.get('reason')}" if o["status"] != "ok" else ""))
        # Written after every run, so that an interrupted bench still leaves its figures.
        report_scale.save_json(data, os.path.join(args.out_dir, "tmp", "scale-latest-partial.json"),
                               path_replacements(work, args.models_dir), scrub_paths)
        if not args.keep_work:
            import shutil
            shutil.rmtree(run.dir, ignore_errors=True)  # keys and proofs of this run (GBs for EZKL's big ones)
    meta["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    meta["elapsed_min"] = round((time.monotonic() - (run_deadline - args.budget_min * 60)) / 60, 1)
    notes.append("1-minute load average before/after each run (2 cores, shared with other builds): "
                 + ", ".join(f"{n} {label} {a:.1f}/{b:.1f}" for n, m in data["models"].items()
                             for label, (a, b) in m["load_average_1min"].items()))
    if (args.only or len(tools) < 2) and not args.peers_from:
        meta["partial"] = {"reason": f"models {', '.join(data['models'])}; tools {', '.join(tools)}"}
    os.makedirs(args.out_dir, exist_ok=True)
    stem = meta["date"] + "-scale" + ("-partial" if meta.get("partial") else "")
    base = bench_peers.unique_path(args.out_dir, stem)
    data = scrub_paths(data, path_replacements(work, args.models_dir))
    report_scale.save_json(data, base + ".json")
    report_scale.write_outputs(data, base, ROOT, args.update_readme)
    if not args.keep_work:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
