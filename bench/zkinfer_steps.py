"""The command-line steps that the side-by-side build comparisons share (bench/layout/compare.py,
bench/committed/compare.py, bench/keys/compare_keys.py): compile and set up a model with one build on a
development SRS cached per size, and read back `zkinfer prove`'s and `zkverify --json`'s figures.
"""
import json
import os
import re
import subprocess


def run(cmd):
    """Runs a command; a non-zero exit raises with the tail of its stderr (a failure is reported, not hidden)."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return r.stdout + r.stderr


def seconds(value, unit):
    return float(value) / (1000 if unit == "ms" else 1)


def proved_in(prove_output):
    """The "proved in" figure of `zkinfer prove` (witness excluded), in seconds."""
    m = re.search(r"proved in ([\d.]+) (ms|s)", prove_output)
    return seconds(*m.groups())


def compile_and_setup(zkinfer, model_dir, work, srs_cache, setup_args=(), prefix=()):
    """compile → (development SRS, cached per log2 in srs_cache) → setup into work; returns the circuit's log2 rows.
    `--private-weights` needs an SRS one power of two larger. `prefix` runs the slow steps under e.g. `nice`."""
    os.makedirs(work, exist_ok=True)
    circuit = os.path.join(work, "circuit.zkc")
    out = run([*prefix, zkinfer, "compile", os.path.join(model_dir, "model.onnx"), "-o", circuit])
    log2 = int(re.search(r"2\^(\d+) rows", out).group(1))
    srs_log2 = log2 + (1 if "--private-weights" in setup_args else 0)
    srs = srs_cache.get(srs_log2)
    if srs is None:
        srs = os.path.join(os.path.dirname(os.path.abspath(work)), f"dev-{srs_log2}.srs")
        run([zkinfer, "params", "dev", "--log2", str(srs_log2), "--out", srs])
        srs_cache[srs_log2] = srs
    run([*prefix, zkinfer, "setup", circuit, "--params", srs, "-o", work, *setup_args])
    return log2


def prove(zkinfer, model_dir, work, extra=(), prefix=()):
    """`zkinfer prove` of the model's input.json with the key in work; returns its output."""
    return run([*prefix, zkinfer, "prove", os.path.join(work, "circuit.zkc"), "--pk", os.path.join(work, "pk.bin"),
                os.path.join(model_dir, "input.json"), "-o", os.path.join(work, "proof.bin"), *extra])


def verify_json(zkverify, work):
    """`zkverify --json` of work's proof against work's key (development SRS allowed): (valid, body bytes, ms)."""
    r = subprocess.run([zkverify, "--vk", os.path.join(work, "vk.bin"), "--proof", os.path.join(work, "proof.bin"),
                        "--allow-dev-srs", "--json"], capture_output=True, text=True)
    v = json.loads(r.stdout)
    return v["valid"], v.get("proof_body_bytes"), v["verify_seconds"] * 1000
