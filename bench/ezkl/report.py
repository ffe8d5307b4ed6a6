"""Markdown from a results JSON (bench/results/<date>.json) and the README's marked section."""
import os
import re

from common import replace_marked_section

README_START = "<!-- bench-peers:start -->"
README_END = "<!-- bench-peers:end -->"
PROFILE_ORDER = ["load", "witness", "check", "msm", "ntt", "perm/lookup", "quotient", "openings"]


def _num(x, fmt="{:.3f}", none="—"):
    return none if x is None else fmt.format(x)


def _runs(r: dict, key: str, scale=1.0, fmt="{:.3f}") -> str:
    s = (r or {}).get(key) or {}
    if not s.get("n"):
        return "—"
    return f"{fmt.format(s['min'] * scale)} / {fmt.format(s['median'] * scale)} ({s['n']})"


def _ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def _setup(r: dict) -> str:
    """In-process setup seconds, else the whole-process figure marked (w)."""
    if r.get("setup_s") is not None:
        return f"{r['setup_s']:.2f}"
    return "—" if r.get("setup_wall_s") is None else f"{r['setup_wall_s']:.2f} (w)"


def best_ezkl(results: dict):
    """EZKL's best configuration for a model: the successful one with the lowest whole-process prove min."""
    candidates = [(k, r) for k, r in results.items() if r.get("tool") == "ezkl" and r.get("ok")
                  and (r.get("prove_wall_s") or {}).get("min") is not None]
    if not candidates:
        return None, None
    return min(candidates, key=lambda kr: kr[1]["prove_wall_s"]["min"])


def comparison(results: dict) -> dict:
    """Ratios EZKL best / ZKInfer (> 1: ZKInfer ahead) for one model; None entries where a side is missing."""
    key, ez = best_ezkl(results)
    zk = results.get("zkinfer")
    if ez is None or not zk or not zk.get("ok"):
        missing = [side for side, gone in (("EZKL", ez is None), ("ZKInfer", not zk or not zk.get("ok"))) if gone]
        return {"ezkl_best": key, "available": False, "missing": " and ".join(missing) + " result missing"}

    def ratio(field, stat=None):
        a, b = ez.get(field), zk.get(field)
        if stat:
            a, b = (a or {}).get(stat), (b or {}).get(stat)
        return None if a is None or b is None or b == 0 else round(a / b, 3)

    default = results.get("ezkl/default") or {}
    return {
        "ezkl_best": key, "available": True,
        "prove_wall_min": ratio("prove_wall_s", "min"), "prove_in_process_min": ratio("prove_in_process_s", "min"),
        "verify_in_process_median": ratio("verify_in_process_s", "median"),
        "verify_wall_median": ratio("verify_wall_s", "median"),
        "proof_bytes": ratio("proof_bytes"), "prove_peak_rss": ratio("prove_peak_rss_mb"),
        "error_ezkl_default": default.get("max_abs_output_error"), "error_zkinfer": zk.get("max_abs_output_error"),
    }


def machine_line(meta: dict) -> str:
    m, v = meta.get("machine", {}), meta.get("versions", {})
    tools = ", ".join(f"{k} {v[k]}" for k in ("zkinfer", "ezkl", "onnxruntime", "onnx", "numpy", "python") if v.get(k))
    return (f"Machine: {m.get('logical_cores')} cores, {m.get('cpu')}, {m.get('mem_gib')} GiB RAM ({m.get('os')}). "
            f"Tools: {tools}.")


def results_table(data: dict) -> list:
    lines = ["| model | tool / config | logrows | rows | setup s | prove s, whole process: min / median (n) | "
             "prove s, in-process min | prove CPU s (median) | verify ms in-process / whole (median) | proof bytes | prover peak RSS MB | "
             "max abs error vs float | status |",
             "|---|---|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---|"]
    for model, entry in data["models"].items():
        for label, r in entry.get("results", {}).items():
            vi, vw = (r.get("verify_in_process_s") or {}).get("median"), (r.get("verify_wall_s") or {}).get("median")
            status = "ok" if r.get("ok") else ("failed: " + "; ".join(r.get("errors") or ["incomplete"]))[:160]
            status = status.replace("|", "/").replace("\n", " ")
            bytes_note = "" if r.get("tool") == "ezkl" or "file size" not in (r.get("proof_bytes_source") or "") else " (file)"
            lines.append(
                f"| {model} | {label} | {_num(r.get('logrows'), '{}')} | {_num(r.get('rows'), '{}')} | "
                f"{_setup(r)} | "
                f"{_runs(r, 'prove_wall_s')} | {_num((r.get('prove_in_process_s') or {}).get('min'))} | "
                f"{_num((r.get('prove_cpu_s') or {}).get('median'), '{:.2f}')} | "
                f"{_num(vi, '{:.1f}', '—') if vi is None else f'{vi * 1000:.1f}'} / {'—' if vw is None else f'{vw * 1000:.0f}'} | "
                f"{_num(r.get('proof_bytes'), '{}')}{bytes_note} | {_num(r.get('prove_peak_rss_mb'), '{:.0f}')} | "
                f"{_num(r.get('max_abs_output_error'), '{:.2e}')} | {status} |")
    return lines


def ratio_table(data: dict) -> list:
    lines = ["| model | EZKL best config | prove (whole) | prove (in-process) | verify (in-process) | verify (whole) | "
             "proof bytes | prover peak RSS | error EZKL default / ZKInfer |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for model, entry in data["models"].items():
        c = entry.get("comparison") or {}
        if not c.get("available"):
            lines.append(f"| {model} | {c.get('ezkl_best') or '—'} | — | — | — | — | — | — | {c.get('missing', 'result missing')} |")
            continue
        f = lambda k: "—" if c.get(k) is None else f"{c[k]:.2f}×"
        lines.append(f"| {model} | {c['ezkl_best']} | {f('prove_wall_min')} | {f('prove_in_process_min')} | "
                     f"{f('verify_in_process_median')} | {f('verify_wall_median')} | {f('proof_bytes')} | "
                     f"{f('prove_peak_rss')} | {_num(c.get('error_ezkl_default'), '{:.1e}')} / "
                     f"{_num(c.get('error_zkinfer'), '{:.1e}')} |")
    return lines


def profile_table(data: dict) -> list:
    rows = []
    for model, entry in data["models"].items():
        zk = entry.get("results", {}).get("zkinfer") or {}
        profile = zk.get("profile")
        if not profile:
            continue
        cols = profile.get("columns", {})
        other = profile.get("unmapped", {})
        phases = {k.lower().replace("_", ""): v for k, v in profile.get("phases", {}).items()}
        total = phases.get("totalseconds", phases.get("total"))
        core = phases.get("proveseconds", phases.get("prove"))
        rows.append(f"| {model} | {_num(total)} | {_num(core)} | " + " | ".join(_num(cols.get(c)) for c in PROFILE_ORDER)
                    + " | " + (", ".join(f"{k} {v:.3f}" for k, v in other.items()) or "") + " |")
    if not rows:
        return []
    return ["| model | total | prove | " + " | ".join(PROFILE_ORDER) + " | phases (unmapped) |",
            "|---|---:|---:|" + "---:|" * len(PROFILE_ORDER) + "---|"] + rows


def baseline_table(data: dict) -> list:
    """This run's EZKL figures beside the shared baseline's, to show the method reproduces it."""
    base = data.get("baseline") or {}
    rows = []
    for model, entry in data["models"].items():
        for label, r in entry.get("results", {}).items():
            b = base.get(f"{model}@{r.get('config')}") if r.get("tool") == "ezkl" else None
            if not b:
                continue
            ours = (r.get("prove_cpu_s") or {}).get("median")
            rows.append(f"| {model} | {label} | {b.get('logrows')} / {_num(r.get('logrows'), '{}')} | "
                        f"{b.get('rows')} / {_num(r.get('rows'), '{}')} | {b.get('proof_bytes')} / {_num(r.get('proof_bytes'), '{}')} | "
                        f"{_num(b.get('prove_min_s'))} / {_num((r.get('prove_in_process_s') or {}).get('min'))} | "
                        f"{_num(b.get('prove_cpu_s_median'), '{:.2f}')} / {_num(ours, '{:.2f}')} | "
                        f"{_num(b.get('prove_peak_rss_mb'), '{:.0f}')} / {_num(r.get('prove_peak_rss_mb'), '{:.0f}')} | "
                        f"{_num(b.get('max_abs_output_error'), '{:.2e}')} / {_num(r.get('max_abs_output_error'), '{:.2e}')} |")
    if not rows:
        return []
    return ["Each cell: baseline / this run. Prove = in-process min (the baseline's definition).", "",
            "| model | config | logrows | rows | proof bytes | prove s | prove CPU s | peak RSS MB | max error |",
            "|---|---|---|---|---|---|---|---|---|"] + rows


def memory_table(data: dict) -> list:
    """Every step's estimated peak (`zkinfer stats`) beside the measured one (issue 15: within 2×)."""
    rows = []
    steps = ("compile", "setup", "prove", "verify")
    for model, entry in data["models"].items():
        zk = entry.get("results", {}).get("zkinfer") or {}
        estimates = zk.get("estimated_step_peak_mb") or {}
        if not estimates and zk.get("estimated_peak_mb") is not None:
            estimates = {"prove": zk["estimated_peak_mb"]}  # results written before per-step estimates
        if not estimates:
            continue
        cells = []
        for step in steps:
            est, got = estimates.get(step), zk.get(f"{step}_peak_rss_mb")
            cells.append("–" if est is None else f"{est:.1f} / {_num(got, '{:.1f}')} ({_ratio(got, est)})")
        rows.append(f"| {model} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return ["Each cell: estimated MB / measured peak RSS MB (measured / estimated).", "",
            "| model | compile | setup | prove | verify |", "|---|---:|---:|---:|---:|"] + rows


def partial_label(meta: dict) -> str:
    p = meta.get("partial")
    return f"**Partial run — {p['reason']}.** " if p else ""


def render_markdown(data: dict) -> str:
    meta = data["meta"]
    out = [f"# Peer benchmark: ZKInfer and EZKL side by side — {meta['date']}", "",
           partial_label(meta) + machine_line(meta), "",
           "Method (bench/ezkl/README.md): every step is its own process; the tools alternate "
           "(EZKL default, EZKL db256x4, ZKInfer) and each prove is repeated "
           f"(up to {meta.get('repeats')} times while under a minute). Prove time = whole-process wall time of the "
           "prove command (start-up, loading keys and circuit, proving, writing the proof); in-process time beside it "
           "(EZKL: perf_counter around ezkl.prove; ZKInfer: its --timings total). EZKL proof bytes = raw proof byte "
           "array; ZKInfer = proof body as reported, else the file size (marked). CPU s = user + system time of the "
           "prove process over all its threads, which load from other work on a shared machine inflates far less "
           "than wall time. Error = max |output − onnxruntime float32|.",
           "", "## Results", ""] + results_table(data)
    out += ["", "## Ratios: EZKL's best configuration / ZKInfer (above 1: ZKInfer ahead)", ""] + ratio_table(data)
    profile = profile_table(data)
    if profile:
        out += ["", "## ZKInfer prover profile (seconds, fastest prove run; from `zkinfer prove --timings --json`)", ""] + profile
    baseline = baseline_table(data)
    if baseline:
        out += ["", "## EZKL against the recorded baseline (`../shared/peers/ezkl_results.json`)", ""] + baseline
    memory = memory_table(data)
    if memory:
        out += ["", "## ZKInfer memory estimate (`zkinfer stats`) vs measured prover peak RSS", ""] + memory
    if meta.get("notes"):
        out += ["", "## Notes", ""] + [f"- {n}" for n in meta["notes"]]
    return "\n".join(out) + "\n"


def readme_section(data: dict, results_md_path: str) -> str:
    meta = data["meta"]
    body = [README_START, "",
            f"Latest `make bench-peers` run: {meta['date']}. " + partial_label(meta) + machine_line(meta),
            f"Full figures and method: `{results_md_path}`.", ""] + results_table(data)
    body += ["", "EZKL's best configuration / ZKInfer (above 1: ZKInfer ahead):", ""] + ratio_table(data)
    profile = profile_table(data)
    if profile:
        body += ["", "ZKInfer prover profile (seconds):", ""] + profile
    return "\n".join(body + ["", README_END])


def update_readme(readme_path: str, section: str) -> None:
    replace_marked_section(readme_path, README_START, README_END, section)
