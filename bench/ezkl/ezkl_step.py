"""One EZKL pipeline step in its own process (run by bench_peers.py under the venv's python).

    python ezkl_step.py <step> '<json arguments>'

Prints one JSON line: {"ok", "seconds", "result", "error"}. `seconds` is perf_counter around the ezkl call
alone (the in-process figure; `import ezkl` happens before the clock starts); the parent measures the
whole process (interpreter start-up, import, key loading, writing files) and its peak RSS.
"""
import asyncio
import json
import sys
import time
import traceback

import ezkl


def _settle(value):
    # Some ezkl releases return awaitables from calibrate/gen_witness; 23.0.5 returns plain values.
    if hasattr(value, "__await__"):
        async def wait():
            return await value
        return asyncio.run(wait())
    return value


def _run_args(overrides: dict):
    args = ezkl.PyRunArgs()
    for name, value in overrides.items():
        if not hasattr(args, name):
            raise ValueError(f"PyRunArgs has no field '{name}'")
        setattr(args, name, value)
    return args


STEPS = {
    "import_only": lambda a: True,
    "gen_settings": lambda a: ezkl.gen_settings(a["model"], a["settings"], py_run_args=_run_args(a.get("run_args", {}))),
    "calibrate_settings": lambda a: ezkl.calibrate_settings(a["data"], a["model"], a["settings"], a.get("target", "resources")),
    "compile_circuit": lambda a: ezkl.compile_circuit(a["model"], a["compiled"], a["settings"]),
    "gen_srs": lambda a: ezkl.gen_srs(a["srs"], int(a["logrows"])),
    "setup": lambda a: ezkl.setup(a["compiled"], a["vk"], a["pk"], srs_path=a["srs"]),
    "gen_witness": lambda a: ezkl.gen_witness(a["data"], a["compiled"], a["witness"], vk_path=a.get("vk"), srs_path=a.get("srs")),
    "prove": lambda a: ezkl.prove(a["witness"], a["compiled"], a["pk"], a["proof"], srs_path=a["srs"]),
    "verify": lambda a: ezkl.verify(a["proof"], a["settings"], a["vk"], srs_path=a["srs"]),
    # Deserialising the pk alone (the baseline's pk_load_proxy): how much of prove is key loading.
    "pk_load": lambda a: ezkl.gen_vk_from_pk_single(a["pk"], a["settings"], a["vk_out"]),
}


def main() -> int:
    step, arguments = sys.argv[1], json.loads(sys.argv[2])
    if step not in STEPS:
        print(json.dumps({"ok": False, "seconds": 0.0, "result": None, "error": f"unknown step {step}"}))
        return 2
    start = time.perf_counter()
    try:
        result = _settle(STEPS[step](arguments))
        seconds = time.perf_counter() - start
        # prove/verify/setup return True on success; gen_witness returns the witness dict (not echoed).
        ok = result is not False
        shown = result if isinstance(result, (bool, int, float, str)) or result is None else type(result).__name__
        print(json.dumps({"ok": ok, "seconds": seconds, "result": shown, "error": None if ok else f"{step} returned False"}))
        return 0 if ok else 1
    except Exception as error:  # report any ezkl failure as data; the parent records it per step
        seconds = time.perf_counter() - start
        detail = f"{type(error).__name__}: {error}"
        print(json.dumps({"ok": False, "seconds": seconds, "result": None, "error": detail}))
        print(traceback.format_exc(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
