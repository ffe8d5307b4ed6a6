"""ONNX node-case conformance of `zkinfer run`, in both paths, and the crash test of hostile models.

Run from the repository root after a release build (`make test` does both):

    python3 bench/conformance/run.py [--zkinfer .build/release/zkinfer] [--update] [--only SUBSTRING]

It re-executes itself in bench/.venv-test (pinned onnx, onnxruntime, numpy: bench/requirements-test.txt),
builds the node cases of every operator `zkinfer operators --json` lists as computed or resolved (node_cases.py) and the
hostile models (hostile_cases.py) under .build/onnx-conformance/, and runs each through the real binary as a
subprocess, so that a trap is seen as a signal:

- `zkinfer run model.onnx input.json --float --json` must match the wheel's reference within
  FLOAT_RTOL·|ref| + FLOAT_ATOL, or refuse cleanly;
- `zkinfer run model.onnx input.json --json` (fixed point, default settings) must match the reference
  within the bound the direct path predicts for that run (docs/fixed-point.md §9, the `bound` it reports)
  plus the float tolerance, with every element inside its own bound (`withinBounds`), or refuse cleanly.

A clean refusal is exit 1 or 2 with a message on stderr; its reason is recorded. A signal, a hang, any other
exit status, a refusal without a message, or a wrong answer is a failure, and the script exits 1. Hostile
models are checked for the exit status only (0, 1 or 2, never a signal).

The coverage table is rendered to .build/onnx-conformance/onnx-coverage.md and compared with the committed
docs/onnx-coverage.md: a difference is reported (with the command that refreshes it), never a failure, so
that a change of coverage is a reviewed commit (`--update` writes the committed table).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import venv_bootstrap  # noqa: E402

venv_bootstrap.ensure_test_venv()

import node_cases  # noqa: E402
import hostile_cases  # noqa: E402
import onnx  # noqa: E402

# Float path vs the wheel's float32 reference: the float path computes in Double from the same float32
# inputs, so the two differ by the reference's own float32 rounding and accumulation (~1e-7 relative);
# the absolute floor covers results near 0 that come out of cancellation (e.g. a difference of values ~10,
# whose float32 rounding is ~1e-6).
FLOAT_RTOL = 1e-5
FLOAT_ATOL = 1e-6
TIMEOUT_SECONDS = 120
TABLE = os.path.join(ROOT, "docs", "onnx-coverage.md")


def run_zkinfer(binary, folder, float_path):
    arguments = [binary, "run", os.path.join(folder, "model.onnx"), os.path.join(folder, "input.json"), "--json"]
    if float_path:
        arguments.append("--float")
    return run_tool(arguments, folder)


def run_tool(arguments, folder):
    """One process: 'ran' (exit 0, JSON on stdout if any), 'refused' (exit 1/2 with a message), or a failure."""
    try:
        done = subprocess.run(arguments, capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return {"status": "hang", "detail": f"no answer within {TIMEOUT_SECONDS} s"}
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode < 0:
        return {"status": "crash", "detail": f"signal {-done.returncode}; stderr: {stderr.strip()[-300:]}"}
    if done.returncode in (1, 2):
        if not stderr.strip():
            return {"status": "crash", "detail": f"exit {done.returncode} without a message"}
        return {"status": "refused", "exit": done.returncode, "reason": refusal_reason(stderr, folder)}
    if done.returncode != 0:
        return {"status": "crash", "detail": f"exit status {done.returncode}; stderr: {stderr.strip()[-300:]}"}
    try:
        return {"status": "ran", "result": json.loads(done.stdout) if "--json" in arguments else None}
    except ValueError:
        return {"status": "crash", "detail": "exit 0 without valid JSON on stdout"}


def refusal_reason(stderr, folder):
    """One reason per refusal: the first unsupported node's reason, else the message, without paths and names."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    node = next((line for line in lines if line.startswith("- ")), None)
    if node:
        text = node[2:]
        text = re.sub(r"^\w+ node '[^']*': ", "", text)
        text = re.sub(r" \(suggestion: .*\)$", "", text)
    else:
        text = lines[-1]
        text = re.sub(r"^zkinfer: ", "", text)
    text = text.replace(os.path.join(folder, "model.onnx") + ": ", "").replace(os.path.join(folder, "input.json") + ": ", "")
    text = text.replace(folder + "/", "")
    text = re.sub(r"node '[^']*' \((\w+)\): ", "", text)
    text = re.sub(r"'[^']*'", "'…'", text)
    # One group per kind of reason, not per number in it.
    text = re.sub(r"has batch size \d+", "has batch size > 1", text)
    text = re.sub(r"has element type \d+", "has an integer element type", text)
    text = re.sub(r"got \[[\d, ]*\]", "got another count", text)
    text = re.sub(r"\(ratio [\d.]+\)", "(ratio > 0)", text)
    text = re.sub(r" at byte \d+", "", text)
    return text


def compare(expected, result, extra_tolerance):
    """None when every output matches the reference, else what differs."""
    outputs = result.get("outputs", [])
    if len(outputs) != len(expected):
        return f"{len(outputs)} outputs, reference has {len(expected)}"
    for want, got in zip(expected, outputs):
        if want["values"] is None:
            return f"output {want['name']} has no numeric reference"
        if want["shape"] != got["shape"]:
            return f"output {want['name']} has shape {got['shape']}, reference {want['shape']}"
        worst = None
        for index, (ref, value) in enumerate(zip(want["values"], got["values"])):
            if value is None:  # zkinfer writes a non-finite real as null
                return f"output {want['name']}[{index}] is not finite, reference {ref!r}"
            allowed = FLOAT_RTOL * abs(ref) + FLOAT_ATOL + extra_tolerance
            if not abs(value - ref) <= allowed:
                excess = abs(value - ref) - allowed
                if worst is None or excess > worst[0]:
                    worst = (excess, index, value, ref, allowed)
        if worst:
            _, index, value, ref, allowed = worst
            return f"output {want['name']}[{index}] = {value!r}, reference {ref!r} (allowed ±{allowed:.3g})"
    return None


def check_case(binary, root, entry):
    folder = os.path.join(root, entry["folder"])
    outcome = {"name": entry["name"], "op": entry["op"], "kind": entry["kind"], "opset": entry["opset"],
               "attributes": entry.get("attributes", {})}
    expected = None
    if entry["kind"] == "node":
        with open(os.path.join(folder, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)["outputs"]
    for path in ("float", "fixed"):
        run = run_zkinfer(binary, folder, float_path=path == "float")
        if run["status"] == "ran":
            if expected is None:
                run = {"status": "pass"}
            else:
                result = run["result"]
                if path == "float":
                    problem = compare(expected, result, 0.0)
                else:
                    error = result.get("errorVsFloat", {})
                    if error.get("bound", 0.0) is None:  # JSON null: an infinite bound, which claims nothing
                        problem = "the direct path predicts no finite error bound"
                    else:
                        problem = compare(expected, result, error.get("bound", 0.0))
                    if problem is None and error.get("withinBounds") is False:
                        problem = "an element's fixed-point error exceeds its predicted bound"
                    outcome["fixedOutputs"] = [o.get("fixed") for o in result["outputs"]]
                run = {"status": "wrong", "detail": problem} if problem else {"status": "pass"}
        outcome[path] = run
    # The other model commands on the same file: any exit but a signal (or a hang) is fine here.
    model = os.path.join(folder, "model.onnx")
    for command in (["check"], ["stats"], ["compile", "-o", os.path.join(folder, "circuit.zkc")]):
        run = run_tool([binary, command[0], model] + command[1:], folder)
        if run["status"] in ("crash", "hang"):
            outcome[command[0]] = run
        elif run["status"] == "refused" and command[0] == "compile":
            outcome["compileRefusal"] = run["reason"]
    return outcome


def prove_case(binary, verifier, srs, root, outcome):
    """compile → setup → prove → zkverify for one case that passed in fixed point: the verified output must be
    `zkinfer run`'s integers. A compile refusal (e.g. a model that computes nothing) is recorded, not a failure."""
    folder = os.path.join(root, outcome["name"])
    circuit, keys = os.path.join(folder, "circuit.zkc"), os.path.join(folder, "keys")
    proof = os.path.join(folder, "proof.bin")
    steps = [
        [binary, "compile", os.path.join(folder, "model.onnx"), "-o", circuit],
        [binary, "setup", circuit, "--params", srs, "-o", keys],
        [binary, "prove", circuit, "--pk", os.path.join(keys, "pk.bin"), os.path.join(folder, "input.json"), "-o", proof],
        [verifier, "--vk", os.path.join(keys, "vk.bin"), "--proof", proof, "--allow-dev-srs", "--json"],
    ]
    for index, arguments in enumerate(steps):
        run = run_tool(arguments, folder)
        if run["status"] == "refused" and index == 0:
            return {"status": "refused", "reason": run["reason"]}
        if run["status"] != "ran":
            return {"status": "crash" if run["status"] in ("crash", "hang") else "wrong",
                    "detail": f"{os.path.basename(arguments[0])} {arguments[1]}: {run.get('detail') or run.get('reason')}"}
    verified = run["result"]
    fixed = [o["fixed"] for o in verified.get("outputs", [])]
    if not verified.get("valid") or fixed != outcome["fixedOutputs"]:
        return {"status": "wrong", "detail": "the verified output is not zkinfer run's"}
    return {"status": "pass"}


def prove_one_case_per_operator(binary, root, outcomes, jobs):
    """For each operator, the first case (by name) that passed in fixed point and compiles (a single Reshape
    or Concat computes nothing to prove), proved and verified."""
    picks = {}
    for o in sorted(outcomes, key=lambda o: o["name"]):
        if o["kind"] != "node" or o["fixed"]["status"] != "pass":
            continue
        current = picks.get(o["op"])
        if current is not None and current[1]:
            continue
        compiled = os.path.exists(os.path.join(root, o["name"], "circuit.zkc"))
        if current is None or compiled:
            picks[o["op"]] = (o, compiled)
    chosen = {}
    for op, (o, compiled) in picks.items():
        if compiled:
            chosen[op] = o
        else:
            o["proof"] = {"status": "refused", "reason": o.get("compileRefusal") or "the model computes nothing to prove (data movement only)"}
    if not chosen:
        return
    verifier = os.path.join(os.path.dirname(binary), "zkverify")
    log2 = 8
    for o in chosen.values():
        stats = run_tool([binary, "stats", os.path.join(root, o["name"], "model.onnx"), "--json"], root)
        if stats["status"] == "ran":
            log2 = max(log2, stats["result"]["totals"]["log2Rows"])
    srs = os.path.join(root, f"dev-k{log2}.srs")
    subprocess.run([binary, "params", "dev", "--log2", str(log2), "--out", srs], check=True, capture_output=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(lambda o: prove_case(binary, verifier, srs, root, o), chosen.values())
        for o, result in zip(chosen.values(), results):
            o["proof"] = result


def failures(outcomes):
    result = []
    for o in outcomes:
        for path in ("float", "fixed", "check", "stats", "compile", "proof"):
            if path in o and o[path]["status"] in ("crash", "hang", "wrong"):
                result.append((o, path))
    return result


def percent(n, total):
    return f"{100.0 * n / total:.1f}%" if total else "–"


def render_table(outcomes, onnx_version, operators):
    nodes = [o for o in outcomes if o["kind"] == "node"]
    hostile = [o for o in outcomes if o["kind"] == "hostile"]
    total = len(nodes)
    float_pass = sum(o["float"]["status"] == "pass" for o in nodes)
    fixed_pass = sum(o["fixed"]["status"] == "pass" for o in nodes)
    lines = [
        "# ONNX node-case coverage",
        "",
        "<!-- Generated by bench/conformance/run.py; do not edit. Refresh: python3 bench/conformance/run.py --update -->",
        "",
        f"The ONNX project's own node test cases (onnx {onnx_version}, `onnx.backend.test.case.node.collect_testcases()`)",
        "for every operator ZKInfer computes (`zkinfer operators`), each with every graph input but the first",
        "turned into an initializer, run through `zkinfer run --float` (must match the reference within",
        f"{FLOAT_RTOL:g}·|ref| + {FLOAT_ATOL:g}) and `zkinfer run` in fixed point at the default settings (must match",
        "within the bound the direct path predicts, docs/fixed-point.md §9). Anything else must be a clean refusal",
        "(exit 1 or 2 with a message); `make test` fails on a crash, a hang or a wrong answer. `check`, `stats` and",
        "`compile` run on every case too (no signal allowed), and one passing case per operator is compiled, set",
        "up, proved and verified (the verified output must be `zkinfer run`'s integers). How it runs:",
        "bench/conformance/README.md.",
        "",
        f"**{total} cases: {float_pass} pass in float ({percent(float_pass, total)}), {fixed_pass} pass in fixed point "
        f"({percent(fixed_pass, total)}), {total - fixed_pass} refused in fixed point, 0 crashes, 0 wrong answers.** "
        f"{len(hostile)} hostile models and input files are refused cleanly in both paths.",
        "",
        "| operator | cases | pass float | pass fixed | refused (fixed) | proved and verified (one case) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    by_op = {}
    for o in nodes:
        by_op.setdefault(o["op"], []).append(o)
    for op in sorted(operators):
        group = by_op.get(op, [])
        fl = sum(o["float"]["status"] == "pass" for o in group)
        fx = sum(o["fixed"]["status"] == "pass" for o in group)
        proved = next((o for o in group if "proof" in o), None)
        if proved is None:
            proof = "–"
        elif proved["proof"]["status"] == "pass":
            proof = f"`{proved['name']}`"
        elif proved["proof"]["status"] == "refused":
            proof = f"`{proved['name']}`: not proved: {proved['proof']['reason']}"
        else:
            proof = f"**{proved['proof']['status'].upper()}**"
        lines.append(f"| {op} | {len(group)} | {fl} | {fx} | {len(group) - fx} | {proof.replace('|', '/')} |")
    lines += ["", "## Attributes by operator", "",
              "What each operator's node cases set, attribute by attribute (the default applies where an attribute is",
              "absent): the values of the cases that pass in fixed point, then those of the refused ones that no",
              "passing case shares (their reasons are below).", "",
              "| operator | attributes of passing cases | only in refused cases |", "|---|---|---|"]
    for op in sorted(operators):
        group = by_op.get(op, [])
        passing, refused = {}, {}
        for o in group:
            target = passing if o["fixed"]["status"] == "pass" else refused
            for name, value in (o.get("attributes") or {}).items():
                target.setdefault(name, set()).add(value)

        def listed(attributes, minus=None):
            parts = []
            for name in sorted(attributes):
                values = sorted(attributes[name] - (minus or {}).get(name, set()))
                if values:
                    parts.append(f"{name} = " + " / ".join(f"`{v}`" for v in values))
            return "; ".join(parts).replace("|", "\\|") or "–"

        lines.append(f"| {op} | {listed(passing)} | {listed(refused, passing)} |")
    lines += ["", "## Refusals by reason", "",
              "Fixed-point refusals (a case refused in float is refused in fixed point for the same reason).", "",
              "| reason | cases |", "|---|---|"]
    reasons = {}
    for o in nodes:
        run = o["fixed"]
        if run["status"] == "refused":
            reasons.setdefault(run["reason"], []).append(o["name"])
        elif run["status"] != "pass":
            reasons.setdefault(f"FAILED ({run['status']})", []).append(o["name"])
    for reason, names in sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0])):
        cell = reason.replace("|", "\\|")
        lines.append(f"| {cell} | {len(names)}: " + ", ".join(f"`{n}`" for n in names) + " |")
    lines += ["", "## Every case", "", "| operator | case | opset | float | fixed point |", "|---|---|---:|---|---|"]

    def cell(run):
        if run["status"] == "pass":
            return "pass"
        if run["status"] == "refused":
            return "refused"
        return "**" + run["status"].upper() + "**"

    for o in sorted(nodes, key=lambda o: (o["op"], o["name"])):
        lines.append(f"| {o['op']} | `{o['name']}` | {o['opset']} | {cell(o['float'])} | {cell(o['fixed'])} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--zkinfer", default=os.path.join(ROOT, ".build", "release", "zkinfer"))
    parser.add_argument("--out", default=os.path.join(ROOT, ".build", "onnx-conformance"))
    parser.add_argument("--update", action="store_true", help="write docs/onnx-coverage.md")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--verbose", action="store_true", help="print every case's outcome")
    parser.add_argument("--no-prove", action="store_true", help="skip proving one case per operator")
    parser.add_argument("--mutations", type=int, default=300, help="seeded attribute/initializer mutations of node cases")
    args = parser.parse_args()

    started = time.monotonic()
    binary = os.path.abspath(args.zkinfer)
    if not os.access(binary, os.X_OK):
        sys.exit(f"conformance: {binary} is not built (swift build -c release)")
    listing = json.loads(subprocess.run([binary, "operators", "--json"], check=True, capture_output=True).stdout)
    # Operators resolved at import (Loop, If, sequences, CastLike) have node cases too.
    operators = set(listing["computed"]) | set(listing.get("resolved", []))

    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    entries = []
    warnings = []
    for op, case in node_cases.collect(operators):
        entry = node_cases.write_case(args.out, op, case)
        problem = node_cases.cross_check_with_onnxruntime(os.path.join(args.out, entry["folder"]))
        if problem and "training" not in case.name:  # onnxruntime's dropout draws its own random mask
            warnings.append(f"{case.name}: {problem}")
        entries.append(entry)
    entries += hostile_cases.write_all(args.out)
    entries += hostile_cases.write_mutations(args.out, [e["folder"] for e in entries if e["kind"] == "node"], args.mutations)
    if args.only:
        entries = [e for e in entries if args.only in e["name"]]
    generated = time.monotonic()

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(lambda e: check_case(binary, args.out, e), entries))
    ran = time.monotonic()
    if not args.no_prove:
        prove_one_case_per_operator(binary, args.out, outcomes, args.jobs)
    finished = time.monotonic()

    if args.verbose:
        for o in outcomes:
            print(f"{o['name']}: float {o['float'].get('status')} {o['float'].get('reason', '')} | "
                  f"fixed {o['fixed'].get('status')} {o['fixed'].get('reason', '')}")
    for warning in warnings:
        print(f"conformance: warning: {warning}")
    failed = failures(outcomes)
    for o, path in failed:
        print(f"conformance: FAILED {o['name']} ({path} path): {o[path]['status']}: {o[path].get('detail', '')}")

    nodes = [o for o in outcomes if o["kind"] == "node"]
    hostile = [o for o in outcomes if o["kind"] == "hostile"]
    float_pass = sum(o["float"]["status"] == "pass" for o in nodes)
    fixed_pass = sum(o["fixed"]["status"] == "pass" for o in nodes)
    print(f"conformance: {len(nodes)} node cases of {len(operators)} operators: float {float_pass} pass "
          f"({percent(float_pass, len(nodes))}), fixed point {fixed_pass} pass ({percent(fixed_pass, len(nodes))}); "
          f"{len(hostile)} hostile models/inputs; generation {generated - started:.1f} s, runs {ran - generated:.1f} s, "
          f"proofs {finished - ran:.1f} s ({sum('proof' in o for o in outcomes)} cases)")

    if not args.only and not args.no_prove:
        table = render_table(outcomes, onnx.__version__, operators)
        rendered = os.path.join(args.out, "onnx-coverage.md")
        with open(rendered, "w", encoding="utf-8") as f:
            f.write(table)
        if args.update:
            with open(TABLE, "w", encoding="utf-8") as f:
                f.write(table)
            print(f"conformance: wrote {os.path.relpath(TABLE, ROOT)}")
        else:
            committed = open(TABLE, encoding="utf-8").read() if os.path.exists(TABLE) else ""
            if committed != table:
                print(f"conformance: note: docs/onnx-coverage.md differs from this run's table ({rendered}); "
                      "refresh it with `python3 bench/conformance/run.py --update` and commit it")
    cases = len(outcomes)
    print(f"conformance: {cases - len({o['name'] for o, _ in failed})} passed, {len({o['name'] for o, _ in failed})} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
