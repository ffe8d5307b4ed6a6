"""ZKInfer's pipeline for one model through its command line (the contract of issue 8 item 4):

    zkinfer stats <model.onnx> --json                 → padded size (log2 rows) for the SRS
    zkinfer compile <model.onnx> -o <dir>/circuit.zkc
    zkinfer params dev --log2 K -o <srs>              (INSECURE dev SRS, cached per K)
    zkinfer setup <dir>/circuit.zkc --params <srs> -o <dir>     → *.pk, *.vk (found by glob)
    zkinfer prove <dir>/circuit.zkc --pk <pk> <input.json> -o <dir>/proof.bin --timings --json
    zkverify --vk <vk> --proof <dir>/proof.bin --allow-dev-srs --json
    zkinfer run <model.onnx> <input.json> --json     (dequantized output, when prove gives none)

The JSON keys of these commands are not fixed yet, so values are looked up under their likely spellings
(common.find_key) and every figure records the key it came from; a missing command or key is reported
once, clearly, and the rest of the bench goes on.
"""
import glob
import os
import re

import measure
from common import (file_size, find_key, flatten, max_abs_error, max_or_none, normalise, runs_summary,
                    step_record, whole_json)

# Spellings tried, in order of preference, for each figure.
LOG2_KEYS = ["srsLog2", "requiredSRSLog2", "srsLog2Size", "paramsLog2", "log2Rows", "paddedLog2Rows", "log2RowsPadded",
             "logRows", "logrows", "log2Size", "log2"]
ROWS_KEYS = ["rowsUsed", "usedRows", "rows", "totalRows", "rowCount"]
# In-process prove is the total (loading circuit and key, proving, writing the proof), as ezkl.prove's
# figure includes reading its pk; the proving part alone is kept beside it (prove_core_s).
PROVE_TOTAL_KEYS = ["totalSeconds", "total", "proveSeconds", "provingSeconds", "prove", "proving", "seconds"]
PROVE_CORE_KEYS = ["proveSeconds", "provingSeconds"]
VERIFY_TOTAL_KEYS = ["verifySeconds", "verificationSeconds", "totalSeconds", "total", "verify", "seconds"]
PROOF_BYTES_KEYS = ["proofBodyBytes", "bodyBytes", "proofBody", "proofBytes", "proofSize", "proofLength", "proofSizeBytes"]
MEMORY_KEYS = ["estimatedPeakMemoryBytes", "estimatedProverPeakBytes", "peakMemoryEstimateBytes", "estimatedPeakBytes",
               "memoryEstimateBytes", "estimatedMemoryBytes"]
PROFILE_CONTAINERS = ["timings", "profile", "phases", "prover_profile", "proverProfile"]
# Profile columns of issue 9 item 3; a phase name maps to the first column whose word it contains.
PROFILE_COLUMNS = [("load", ("load",)), ("witness", ("witness",)), ("check", ("check",)), ("msm", ("msm", "commit")),
                   ("ntt", ("ntt", "fft", "interpolat")), ("perm/lookup", ("permutation", "lookup", "logup", "grandproduct")),
                   ("quotient", ("quotient",)), ("openings", ("opening", "open", "kzg"))]
# Matched first: "commitWitness" is MSM time and "witnessCheck" the checker, not witness generation.
MATCH_FIRST = ("msm", "check")


def profile_column(phase: str):
    n = normalise(phase)
    for column, words in sorted(PROFILE_COLUMNS, key=lambda cw: cw[0] not in MATCH_FIRST):
        if any(w in n for w in words):
            return column
    return None


class ZKInferRun:
    def __init__(self, ctx, model: str, model_dir: str, work_root: str, bin_dir: str, srs_dir: str, log2_override=None):
        self.ctx = ctx
        self.model = model
        self.onnx = os.path.join(model_dir, "model.onnx")
        self.data = os.path.join(model_dir, "input.json")
        self.dir = os.path.join(work_root, model, "zkinfer")
        os.makedirs(self.dir, exist_ok=True)
        self.zkinfer = os.path.join(bin_dir, "zkinfer")
        self.zkverify = os.path.join(bin_dir, "zkverify")
        self.srs_dir = srs_dir
        self.log2_override = log2_override
        self.circuit = os.path.join(self.dir, "circuit.zkc")
        self.proof = os.path.join(self.dir, "proof.bin")
        self.pk = self.vk = self.srs = None
        self.steps, self.prove_runs, self.verify_runs, self.errors, self.notes = {}, [], [], [], []
        self.stats = self.run_json = self.last_prove_json = self.last_verify_json = None
        self.log2 = self.srs_log2 = self.rows = None
        self.ready = False

    label = "zkinfer"
    long_out_only = set()

    def _step(self, name: str, command: list, in_process=None):
        # Issue 8 writes `-o`; a command without the short form gets `--out` (learnt once per subcommand).
        sub = os.path.basename(command[0]) + " " + (command[1] if len(command) > 1 else "")
        if sub in ZKInferRun.long_out_only:
            command = ["--out" if c == "-o" else c for c in command]
        measured = measure.run(command, self.ctx.use_time, self.ctx.timeout(name), memory_limit_mb=self.ctx.memory_limit_mb)
        if (measured.returncode == 2 and "-o" in command
                and re.search(r"unknown option '?-o'?", measured.stderr or "")):
            ZKInferRun.long_out_only.add(sub)
            self.notes.append(f"`{sub}` takes --out, not -o")
            return self._step(name, command, in_process)
        reply = whole_json(measured.stdout) or whole_json(measured.stderr)
        seconds = in_process(reply) if (in_process and reply) else None
        record = step_record(measured, seconds)
        if not measured.ok:
            record["error"] = f"`{' '.join(os.path.basename(c) if i == 0 else c for i, c in enumerate(command))}` " \
                              f"failed ({self._why(measured)})"
            self.errors.append(f"{name}: {record['error']}")
        self.steps[name] = record
        tag = "ok" if record["ok"] else f"FAILED: {record['error']}"
        self.ctx.log(f"  {self.model} zkinfer {name}: {record['wall_s']:.3f} s whole-process, "
                     f"{record['peak_rss_mb']} MB peak — {tag}")
        return record, reply, measured

    @staticmethod
    def _why(measured) -> str:
        if measured.timed_out or measured.memory_killed or measured.signal is not None:
            return measured.error_text()  # timed out / killed for memory / killed by a signal, with when
        text = (measured.stderr or measured.stdout or "").strip()
        first = text.splitlines()[-1] if text else ""
        hint = ""
        if measured.returncode == 2 and re.search(r"unknown (sub)?command|no such command|unrecognized|usage", text, re.I):
            hint = " — the command or an option does not exist in this build yet"
        if measured.returncode == 127:
            hint = " — binary not found (not built yet?)"
        return f"exit {measured.returncode}: {first[:300]}{hint}"

    # -- one-time preparation ------------------------------------------------------------------------
    def prepare(self) -> bool:
        for binary in (self.zkinfer, self.zkverify):
            if not os.path.exists(binary):
                self.errors.append(f"{binary} does not exist (is it built on this branch?)")
                self.ctx.log(f"  {self.model} zkinfer: {self.errors[-1]}")
        if not os.path.exists(self.zkinfer):
            return False
        record, stats, _ = self._step("stats", [self.zkinfer, "stats", self.onnx, "--json"])
        self.stats = stats
        key, k = find_key(stats, LOG2_KEYS, want=(int,)) if stats else (None, None)
        if self.log2_override is not None:
            k, key = self.log2_override, "--zkinfer-log2"
        if k is None:
            self.errors.append("no SRS size: `zkinfer stats --json` gave no key among " + ", ".join(LOG2_KEYS)
                               + " (pass --zkinfer-log2 K to override)")
            self.ctx.log(f"  {self.model} zkinfer: {self.errors[-1]}")
            return False
        self.log2 = self.srs_log2 = k
        self.notes.append(f"log2 size from {key}")
        rows_key, self.rows = find_key(stats, ROWS_KEYS, want=(int,)) if stats else (None, None)
        if rows_key:
            self.notes.append(f"rows from stats {rows_key}")
        if not self._step("compile", [self.zkinfer, "compile", self.onnx, "-o", self.circuit])[0]["ok"]:
            return False
        if not self._setup(k):
            # One retry with a twice-larger SRS, only when setup's complaint is about the SRS size.
            why = (self.steps.get("setup") or {}).get("error") or ""
            if not re.search(r"(srs|params|powers).*(small|size|few|need)|(small|size|few|need).*(srs|params|powers)", why, re.I):
                return False
            self.notes.append(f"setup rejected the 2^{k} SRS; retried with 2^{k + 1}")
            if not self._setup(k + 1):
                return False
            self.srs_log2 = k + 1
        self.run_json = self._step("run", [self.zkinfer, "run", self.onnx, self.data, "--json"])[1]
        self.ready = True
        return True

    def _setup(self, k: int) -> bool:
        self.srs = os.path.join(self.srs_dir, f"zkinfer-dev-k{k}.srs")
        if not os.path.exists(self.srs):
            if not self._step(f"params_dev_k{k}", [self.zkinfer, "params", "dev", "--log2", str(k), "--out", self.srs])[0]["ok"]:
                return False
        for pattern in ("*.pk", "*.vk", "*pk*.bin", "*vk*.bin"):
            for old in glob.glob(os.path.join(self.dir, pattern)):
                os.remove(old)
        record, reply, _ = self._step("setup", [self.zkinfer, "setup", self.circuit, "--params", self.srs, "-o", self.dir, "--json"],
                                      in_process=lambda j: find_key(j, ["setupSeconds", "seconds", "total"])[1])
        if not record["ok"]:
            return False
        pks, vks = self._keys(reply)
        if len(pks) != 1 or len(vks) != 1:
            self.errors.append(f"setup wrote {len(pks)} proving and {len(vks)} verifying key files in {self.dir} "
                               "(named in its --json, else *.pk / *.vk / pk*.bin / vk*.bin); expected one each")
            self.ctx.log(f"  {self.model} zkinfer: {self.errors[-1]}")
            return False
        self.pk, self.vk = pks[0], vks[0]
        self.errors = [e for e in self.errors if not e.startswith("setup:")]  # a successful retry clears it
        return True

    def _keys(self, reply):
        """The key files setup wrote: named in its JSON when it says, else found by glob in the output dir."""
        _, pk = find_key(reply, ["provingKey", "pk", "pkPath", "provingKeyPath"], want=(str,)) if reply else (None, None)
        _, vk = find_key(reply, ["verifyingKey", "vk", "vkPath", "verifyingKeyPath"], want=(str,)) if reply else (None, None)
        if pk and vk and os.path.exists(pk) and os.path.exists(vk):
            return [pk], [vk]
        for pk_glob, vk_glob in (("*.pk", "*.vk"), ("pk*.bin", "vk*.bin"), ("*pk*", "*vk*")):
            pks = sorted(glob.glob(os.path.join(self.dir, pk_glob)))
            vks = sorted(glob.glob(os.path.join(self.dir, vk_glob)))
            if pks or vks:
                return pks, vks
        return [], []

    # -- repeated measurements -----------------------------------------------------------------------
    def prove_once(self) -> dict:
        name = f"prove_{len(self.prove_runs) + 1}"
        record, reply, _ = self._step(name, [self.zkinfer, "prove", self.circuit, "--pk", self.pk, self.data,
                                             "-o", self.proof, "--timings", "--json"], in_process=self._prove_seconds)
        if reply:
            self.last_prove_json = reply
            record["profile"] = self.profile(reply)
            timings = self._timings(reply)
            record["prove_core_s"] = find_key(timings, PROVE_CORE_KEYS)[1] if timings is not None else None
        self.prove_runs.append(record)
        return record

    def verify_once(self) -> dict:
        name = f"verify_{len(self.verify_runs) + 1}"
        record, reply, _ = self._step(name, [self.zkverify, "--vk", self.vk, "--proof", self.proof, "--allow-dev-srs", "--json"],
                                      in_process=self._verify_seconds)
        if reply:
            self.last_verify_json = reply
        self.verify_runs.append(record)
        return record

    @staticmethod
    def _timings(reply):
        for name in PROFILE_CONTAINERS:
            for k, v in (reply or {}).items():
                if normalise(k) == normalise(name) and isinstance(v, (dict, list)):
                    return v
        return None

    def _prove_seconds(self, reply):
        timings = self._timings(reply)
        value = find_key(timings, PROVE_TOTAL_KEYS)[1] if timings is not None else None
        return value if value is not None else find_key(reply, PROVE_TOTAL_KEYS)[1]

    def _verify_seconds(self, reply):
        timings = self._timings(reply)
        value = find_key(timings, VERIFY_TOTAL_KEYS)[1] if timings is not None else None
        return value if value is not None else find_key(reply, VERIFY_TOTAL_KEYS)[1]

    def profile(self, reply) -> dict:
        """Phase → seconds from the prove --timings JSON (a {name: seconds} object or a list of
        {name, seconds} entries), grouped into the columns of issue 9 item 3 plus the raw phases."""
        timings = self._timings(reply)
        phases = {}
        if isinstance(timings, dict):
            for k, v in timings.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    phases[k] = float(v)
                elif isinstance(v, dict):
                    _, s = find_key(v, ["seconds", "total", "wall"])
                    if s is not None:
                        phases[k] = float(s)
        elif isinstance(timings, list):
            for entry in timings:
                if isinstance(entry, dict):
                    _, label = find_key(entry, ["name", "phase", "step"], want=(str,))
                    _, s = find_key(entry, ["seconds", "wall", "time"])
                    if label and s is not None:
                        phases[label] = float(s)
        columns, unmapped = {}, {}
        totals = [normalise(k) for k in PROVE_TOTAL_KEYS]
        for phase, seconds in phases.items():
            column = profile_column(phase)
            if normalise(phase) in totals:
                continue
            if column:
                columns[column] = columns.get(column, 0.0) + seconds
            else:
                unmapped[phase] = seconds
        return {"columns": columns, "unmapped": unmapped, "phases": phases}

    # -- results ---------------------------------------------------------------------------------------
    def _outputs(self):
        """Dequantized outputs: prove's JSON, else zkverify's, else `zkinfer run --json` (same settings)."""
        for source, reply in (("prove --json", self.last_prove_json), ("zkverify --json", self.last_verify_json),
                              ("run --json", self.run_json)):
            _, outputs = find_key(reply, ["outputs"], want=(list,)) if reply else (None, None)
            if isinstance(outputs, list) and outputs:
                try:
                    values = [flatten(o.get("values")) if isinstance(o, dict) else flatten(o) for o in outputs]
                    return [v for group in values for v in group], source
                except (TypeError, ValueError, AttributeError):
                    continue
        return None, None

    def summary(self, reference) -> dict:
        ok_proves = [r for r in self.prove_runs if r["ok"]]
        ok_verifies = [r for r in self.verify_runs if r["ok"]]
        key, body = find_key(self.last_prove_json, PROOF_BYTES_KEYS, want=(int,)) if self.last_prove_json else (None, None)
        if body is None:
            body, source = file_size(self.proof), "proof.bin file size (prove --json reported no body size)"
        else:
            source = f"prove --json {key}"
        outputs, output_source = self._outputs()
        setup = self.steps.get("setup") or {}
        profiles = [r.get("profile", {}).get("columns") for r in ok_proves if r.get("profile", {}).get("columns")]
        return {
            "tool": "zkinfer", "config": "default",
            "ok": self.ready and bool(ok_proves) and bool(ok_verifies) and len(ok_verifies) == len(self.verify_runs),
            "logrows": self.log2, "rows": self.rows, "srs_log2": self.srs_log2,
            "setup_s": setup.get("seconds"), "setup_wall_s": setup.get("wall_s"),
            "setup_peak_rss_mb": setup.get("peak_rss_mb"),
            "compile_wall_s": (self.steps.get("compile") or {}).get("wall_s"),
            "compile_peak_rss_mb": (self.steps.get("compile") or {}).get("peak_rss_mb"),
            "verify_peak_rss_mb": max_or_none([r.get("peak_rss_mb") for r in ok_verifies]),
            "estimated_step_peak_mb": self._estimated_step_peaks_mb(),
            "prove_wall_s": runs_summary([r["wall_s"] for r in ok_proves]),
            "prove_in_process_s": runs_summary([r["seconds"] for r in ok_proves]),
            "prove_core_s": runs_summary([r.get("prove_core_s") for r in ok_proves]),
            "prove_runs_wall_s": [r["wall_s"] for r in self.prove_runs],
            "prove_runs_in_process_s": [r["seconds"] for r in self.prove_runs],
            "prove_peak_rss_mb": max_or_none([r["peak_rss_mb"] for r in ok_proves]),
            "prove_cpu_s": runs_summary([r["cpu_s"] for r in ok_proves]),
            "verify_in_process_s": runs_summary([r["seconds"] for r in ok_verifies]),
            "verify_wall_s": runs_summary([r["wall_s"] for r in ok_verifies]),
            "verify_ok": bool(ok_verifies) and len(ok_verifies) == len(self.verify_runs),
            "proof_bytes": body, "proof_bytes_source": source, "proof_file_bytes": file_size(self.proof),
            "pk_bytes": file_size(self.pk), "vk_bytes": file_size(self.vk),
            "estimated_peak_mb": self._estimated_peak_mb(),
            "outputs": outputs, "outputs_source": output_source,
            "max_abs_output_error": max_abs_error(outputs, reference),
            # The profile of the fastest whole-process prove run (the one the table's min comes from).
            "profile": self._best_profile(ok_proves) if profiles else None,
            "stats": self.stats, "notes": self.notes, "steps": self.steps, "errors": self.errors,
        }

    def _estimated_peak_mb(self):
        """`zkinfer stats` predicts the prover's peak memory (issue 8 item 3); the bench checks it."""
        _, value = find_key(self.stats, MEMORY_KEYS) if self.stats else (None, None)
        return None if value is None else round(value / 2**20, 1)

    def _estimated_step_peaks_mb(self):
        """`zkinfer stats` estimates every step's peak memory (issue 15 item 5); the bench checks each one."""
        totals = (self.stats or {}).get("totals") or {}
        keys = {"compile": "estimatedCompilePeakBytes", "setup": "estimatedSetupPeakBytes",
                "prove": "estimatedProverPeakBytes", "verify": "estimatedVerifierPeakBytes"}
        return {step: round(totals[key] / 2**20, 1) for step, key in keys.items() if isinstance(totals.get(key), int)} or None

    @staticmethod
    def _best_profile(ok_proves):
        best = min((r for r in ok_proves if r.get("profile")), key=lambda r: r["wall_s"])
        return best["profile"]
