"""The scale bench's outputs from its results JSON: markdown table, log-log plots (matplotlib), README section."""
import json
import os
import re

from common import replace_marked_section

README_START = "<!-- bench-scale:start -->"
README_END = "<!-- bench-scale:end -->"
STATUS_WORDS = {"ok": "ok", "timeout": "timed out", "memory": "killed for memory", "killed": "killed",
                "failed": "failed", "skipped": "skipped"}


def save_json(data: dict, path: str, replacements=None, scrub=None) -> None:
    if scrub is not None:
        data = scrub(data, replacements)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)


def _n(x, fmt="{:.2f}", none="—"):
    return none if x is None else fmt.format(x)


def _bytes(x):
    if x is None:
        return "—"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if x >= size:
            return f"{x / size:.1f} {unit}"
    return f"{x} B"


def _params(p):
    return "—" if p is None else (f"{p / 1e6:.2f}M" if p >= 1e6 else f"{p / 1e3:.0f}k")


def _status(s: dict) -> str:
    o = s.get("outcome") or {}
    status = o.get("status", "ok" if s.get("ok") else "failed")
    if status == "ok":
        return "ok"
    text = STATUS_WORDS.get(status, status)
    if o.get("step"):
        text += f" at {o['step']}"
        if o.get("wall_s") is not None and status in ("timeout", "memory", "killed"):
            text += f" ({o['wall_s']:.0f} s"
            text += f", {o['peak_rss_mb'] / 1024:.1f} GiB)" if o.get("peak_rss_mb") else ")"
    if status == "failed" and o.get("reason"):
        reason = re.sub(r"\s+", " ", o["reason"]).replace("|", "/")
        text += ": " + (reason[:140] + "…" if len(reason) > 140 else reason)
    if status == "skipped" and o.get("reason"):
        text += f" ({o['reason']})"
    return text


def rows(data: dict):
    for model, entry in data["models"].items():
        for label, s in (entry.get("scale") or {}).items():
            yield model, entry, label, s


def table(data: dict) -> list:
    lines = ["| model | params | tool | compile s | setup s | prove s (in-process) | verify ms (whole process) | "
             "verifying key | proof | peak RSS (step) | status |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for model, entry, label, s in rows(data):
        peaks = s.get("peak_rss_mb_by_step") or {}
        top = max(peaks, key=peaks.get) if peaks else None
        peak = f"{peaks[top] / 1024:.2f} GiB ({top})" if top else "—"
        prove = "—" if s.get("prove_s") is None else f"{s['prove_s']:.2f} ({_n(s.get('prove_in_process_s'))})"
        vi, vw = s.get("verify_in_process_s"), s.get("verify_s")
        verify = "—" if vi is None and vw is None else f"{_n(vi, '{:.1f}', '—') if vi is None else f'{vi * 1000:.1f}'} ({_n(vw, '{:.0f}', '—') if vw is None else f'{vw * 1000:.0f}'})"
        tool = label + (f" ({s['from_run']})" if s.get("from_run") else "")
        lines.append(f"| {model} | {_params(entry.get('params'))} | {tool} | {_n(s.get('compile_s'))} | "
                     f"{_n(s.get('setup_s'))} | {prove} | {verify} | {_bytes(s.get('vk_bytes'))} | "
                     f"{_bytes(s.get('proof_bytes'))} | {peak} | {_status(s)} |")
    return lines


def memory_estimates(data: dict) -> list:
    """`zkinfer stats`' estimate of each step's peak beside the measured peak (issue 15 item 5: within 2×)."""
    lines = []
    for model, entry, label, s in rows(data):
        estimates = s.get("estimated_step_peak_mb") or {}
        if label != "zkinfer" or not estimates:
            continue
        peaks = s.get("peak_rss_mb_by_step") or {}
        cells = []
        for step in ("compile", "setup", "prove", "verify"):
            measured = [v for k, v in peaks.items() if k == step or k.startswith(step + "_")]
            est, got = estimates.get(step), (max(measured) if measured else None)
            ratio = "—" if est is None or got is None or est == 0 else f"{got / est:.2f}×"
            cells.append("—" if est is None else f"{est:.0f} / {_n(got, '{:.0f}', '—')} ({ratio})")
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    if not lines:
        return []
    return ["Each cell: `zkinfer stats` estimate MB / measured peak RSS MB (measured / estimate).", "",
            "| model | compile | setup | prove | verify |", "|---|---:|---:|---:|---:|"] + lines


def failures(data: dict) -> list:
    out = []
    for model, entry, label, s in rows(data):
        o = s.get("outcome") or {}
        if o.get("status", "ok") == "ok":
            continue
        reason = re.sub(r"\s+", " ", o.get("reason") or "").strip()
        line = f"- **{model} / {label}**" + (f" ({s['from_run']} run)" if s.get("from_run") else "") + ": " + f"{STATUS_WORDS.get(o.get('status'), o.get('status'))}"
        if o.get("step"):
            line += f" at `{o['step']}`"
        line += f" — {reason[:500]}" if reason else ""
        if o.get("not_reached"):
            line += f" (not reached: {', '.join(o['not_reached'])})"
        out.append(line)
    return out


def machine_line(meta: dict) -> str:
    m, v = meta.get("machine", {}), meta.get("versions", {})
    tools = ", ".join(f"{k} {v[k]}" for k in ("zkinfer", "ezkl", "torch", "onnxruntime", "onnx") if v.get(k))
    return (f"Machine: {m.get('logical_cores')} cores, {m.get('cpu')}, {m.get('mem_gib')} GiB RAM, shared with other "
            f"builds (load average in the notes): timings are rough. Tools: {tools}.")


def limits_line(meta: dict) -> str:
    t = meta.get("timeouts_s", {})
    per_step = "; ".join(f"{tool} {', '.join(f'{k} {v:g} s' for k, v in steps.items())}"
                         for tool, steps in (t.get("per_step") or {}).items() if steps)
    return (f"Limits per step: EZKL {t.get('ezkl', 0):g} s, ZKInfer {t.get('zkinfer', 0):g} s"
            + (f" ({per_step})" if per_step else "")
            + f"; memory {meta.get('memory_limit_gib') or 'unlimited'} GiB (resident, whole process group); "
              f"{meta.get('model_budget_min', 0):g} min per tool per model, {meta.get('budget_min', 0):g} min per run"
            + (f" (this run: {meta['elapsed_min']} min)" if meta.get("elapsed_min") is not None else "") + ".")


def render_markdown(data: dict, png_name: str) -> str:
    meta = data["meta"]
    partial = f"**Partial run — {meta['partial']['reason']}.** " if meta.get("partial") else ""
    out = [f"# Scale ladder: ZKInfer and EZKL side by side — {meta['date']}", "",
           partial + machine_line(meta), "", limits_line(meta), "",
           f"Models: `bench/scale/make_ladder.py` ({meta.get('exporter')} exports). Method: bench/scale/README.md. "
           "Compile = EZKL gen_settings + calibrate_settings + compile_circuit, ZKInfer `compile`; setup excludes "
           "SRS generation; prove = whole-process wall time of the fastest prove (in-process beside it); verify = "
           "in-process median (whole process beside it); verifying key and proof = bytes on disk (EZKL: vk file, "
           "raw proof bytes; ZKInfer: vk.bin, proof body); peak RSS = the largest of any step, and which step.",
           "", "## Results", ""] + table(data)
    estimates = memory_estimates(data)
    if estimates:
        out += ["", "## ZKInfer memory: estimated and measured peaks per step", ""] + estimates
    fails = failures(data)
    if fails:
        out += ["", "## Where each run stopped", ""] + fails
    out += ["", "## Plot", "", f"![prove time, verify time, key size and proof size against parameters]({png_name})"]
    if meta.get("notes"):
        out += ["", "## Notes", ""] + [f"- {n}" for n in meta["notes"]]
    return "\n".join(out) + "\n"


FIGURES = [("prove_s", "prove time (s, whole process)", 1.0), ("verify_in_process_s", "verify time (ms, in-process)", 1000.0),
           ("vk_bytes", "verifying key (bytes)", 1.0), ("proof_bytes", "proof (bytes)", 1.0)]


def plot(data: dict, png_path: str) -> bool:
    """2 × 2 log-log panels against parameter count, one line per tool; a run that stopped is an × at the
    top of each panel, labelled with why. False when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.transforms import blended_transform_factory
    except ImportError:
        return False
    labels = []
    for _, _, label, _ in rows(data):
        if label not in labels:
            labels.append(label)
    styles = {"zkinfer": ("tab:blue", "o", "ZKInfer")}
    palette = ["tab:orange", "tab:red", "tab:green"]
    params = [e["params"] for e in data["models"].values() if e.get("params")]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for (key, title, scale), ax in zip(FIGURES, axes.flat):
        drawn = False
        for i, label in enumerate(labels):
            color, marker, name = styles.get(label, (palette[i % len(palette)], "s", "EZKL" + label[4:].replace("/", " ")))
            carried = sorted({s["from_run"] for _, _, l, s in rows(data) if l == label and s.get("from_run")})
            name += f" (measured {', '.join(carried)})" if carried else ""
            points, stopped = [], []
            for model, entry, l, s in rows(data):
                if l != label or entry.get("params") is None:
                    continue
                value = s.get(key)
                if value is not None:
                    points.append((entry["params"], value * scale, model))
                elif (s.get("outcome") or {}).get("status", "ok") != "ok":
                    stopped.append((entry["params"], (s.get("outcome") or {}).get("status")))
            points.sort()
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker, color=color, label=name)
                drawn = True
            transform = blended_transform_factory(ax.transData, ax.transAxes)
            for j, (x, status) in enumerate(stopped):
                y = 0.96 - 0.07 * i
                ax.plot([x], [y], marker="x", color=color, transform=transform, markersize=8, clip_on=False)
                ax.text(x, y - 0.035, {"memory": "OOM", "timeout": "timeout"}.get(status, status), color=color,
                        transform=transform, fontsize=7, ha="center", va="top")
        ax.set_xscale("log")
        if params:
            ax.set_xlim(min(params) / 2, max(params) * 2)
        if drawn:
            ax.set_yscale("log")
        else:
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no tool got this far", transform=ax.transAxes, ha="center", va="center", color="grey")
        ax.set_title(title)
        ax.set_xlabel("parameters")
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8, loc="lower right")
    meta = data["meta"]
    fig.suptitle(f"Scale ladder {meta['date']} ({meta.get('exporter')} exports; × = stopped: timeout, OOM = killed at "
                 f"the memory limit, failed = refused)", fontsize=10)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)
    plt.close(fig)
    return True


def readme_section(data: dict, md_rel: str, png_rel: str) -> str:
    meta = data["meta"]
    partial = f"**Partial run — {meta['partial']['reason']}.** " if meta.get("partial") else ""
    body = [README_START, "",
            f"Latest `make bench-scale` run: {meta['date']}. " + partial + machine_line(meta) + " " + limits_line(meta),
            f"Full figures, where each run stopped and why: `{md_rel}`.", ""] + table(data)
    body += ["", f"![scale ladder: prove time, verify time, key and proof size against parameters]({png_rel})"]
    return "\n".join(body + ["", README_END])


def update_readme(readme_path: str, section: str) -> None:
    replace_marked_section(readme_path, README_START, README_END, section)


def write_outputs(data: dict, base: str, root: str, update: bool) -> None:
    """<base>.md and <base>.png beside <base>.json; README.md's section when `update`."""
    png = base + ".png"
    have_plot = plot(data, png)
    markdown = render_markdown(data, os.path.basename(png) if have_plot else "(matplotlib missing: no plot)")
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(markdown)
    print("\n" + markdown)
    print(f"wrote {os.path.relpath(base, root)}.{{json,md" + (",png}" if have_plot else "}"))
    if update:
        update_readme(os.path.join(root, "README.md"),
                      readme_section(data, os.path.relpath(base + ".md", root), os.path.relpath(png, root)))
        print("updated README.md")
