"""Small helpers shared by the EZKL and ZKInfer halves of the peer bench."""
import json
import os
import re
import statistics
import time


class Context:
    """What every step needs: how to measure, how long to wait, where the venv python is. The scale bench
    adds per-step timeouts (`step_timeouts`, by step name: "prove", "setup", …), a memory limit per step
    (killed and reported as such when passed) and a deadline for the whole run (no step runs past it)."""

    def __init__(self, python: str, use_time: bool, timeout_s: float, verbose: bool = True,
                 step_timeouts=None, memory_limit_mb=None, deadline=None):
        self.python = python
        self.use_time = use_time
        self.timeout_s = timeout_s
        self.verbose = verbose
        self.step_timeouts = dict(step_timeouts or {})
        self.memory_limit_mb = memory_limit_mb
        self.deadline = deadline  # time.monotonic() value, or None

    def timeout(self, step: str) -> float:
        """Seconds `step` may take: its own timeout (a numbered repeat "prove_2" uses "prove"'s), else the
        default, never past the deadline (at least 1 s, so that an exhausted budget shows as a timeout)."""
        base = step.rsplit("_", 1)[0] if step.rsplit("_", 1)[-1].isdigit() else step
        seconds = self.step_timeouts.get(step, self.step_timeouts.get(base, self.timeout_s))
        if self.deadline is not None:
            seconds = min(seconds, max(1.0, self.deadline - time.monotonic()))
        return seconds

    def log(self, text: str) -> None:
        if self.verbose:
            print(text, flush=True)


def step_record(measured, in_process_s=None, error=None) -> dict:
    """One step as stored in the results: in-process seconds (when known) beside the whole-process figures."""
    record = measured.summary()
    record["seconds"] = None if in_process_s is None else round(in_process_s, 4)
    if error is not None:
        record["ok"] = False
    record["error"] = error if error is not None else (None if measured.ok else measured.error_text())
    return record


def last_json_line(text: str):
    """The last stdout line that parses as a JSON object (tools may print progress lines before it)."""
    for line in reversed((text or "").strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    return None


def whole_json(text: str):
    """The JSON object on stdout: the whole text, or the longest object that starts at the beginning of a
    line (a command may print progress lines before a pretty-printed JSON document); None if there is none."""
    text = text or ""
    decoder = json.JSONDecoder()
    best, best_span = None, -1
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("{"):
            start = offset + len(line) - len(line.lstrip())
            try:
                value, end = decoder.raw_decode(text, start)
            except json.JSONDecodeError:
                value, end = None, start
            if isinstance(value, dict) and end - start > best_span:
                best, best_span = value, end - start
        offset += len(line)
    return best


def file_size(path: str):
    return os.path.getsize(path) if path and os.path.exists(path) else None


def flatten(values) -> list:
    """Nested lists of numbers (or numeric strings) → one flat list of floats."""
    if isinstance(values, (list, tuple)):
        out = []
        for v in values:
            out.extend(flatten(v))
        return out
    return [float(values)]


def max_abs_error(got, expected):
    """max |got − expected| over matching positions; None when the lengths differ or either is missing."""
    if got is None or expected is None or len(got) != len(expected) or not got:
        return None
    return max(abs(a - b) for a, b in zip(got, expected))


def runs_summary(times) -> dict:
    """min / median / n of a list of seconds (None entries are failed runs and are left out)."""
    good = [t for t in times if t is not None]
    if not good:
        return {"min": None, "median": None, "n": 0}
    return {"min": round(min(good), 4), "median": round(statistics.median(good), 4), "n": len(good)}


def max_or_none(values):
    good = [v for v in values if v is not None]
    return max(good) if good else None


def normalise(key: str) -> str:
    return "".join(ch for ch in key.lower() if ch.isalnum())


def find_key(obj, names, want=(int, float)):
    """Breadth-first search of nested JSON for a key whose normalised name is in `names` (earlier names
    win, then shallower keys) with a value of type `want`; returns (path, value) or (None, None). The
    ZKInfer JSON schemas are not fixed yet, so the bench looks for the likely spellings instead of one
    exact key. Breadth-first so that a total ("rows" at the top or under "totals") beats a per-layer one."""
    wanted = [normalise(n) for n in names]
    found = {}
    level = [("", obj)]
    while level:
        deeper = []
        for path, node in level:
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for k, v in items:
                p = f"{path}[{k}]" if isinstance(node, list) else (f"{path}.{k}" if path else str(k))
                n = normalise(str(k)) if isinstance(node, dict) else None
                if n in wanted and n not in found and isinstance(v, want) and (bool in want or not isinstance(v, bool)):
                    found[n] = (p, v)
                if isinstance(v, (dict, list)):
                    deeper.append((p, v))
        level = deeper
    for n in wanted:
        if n in found:
            return found[n]
    return None, None


def without_machine_paths(value, root: str, work: str = None):
    """`value` (results: dicts, lists, strings) with every absolute path of this machine made relative: inside
    the repository → relative to it ("circuits/mlp_tiny/model.onnx"), inside the run's scratch folder →
    "<work>/…", the home folder → "~/…". Committed results must not record where the bench ran."""
    root = os.path.realpath(root)
    prefixes = []
    if work:
        prefixes.append((os.path.realpath(work), "<work>"))
        prefixes.append((os.path.abspath(work), "<work>"))
    prefixes += [(root, ""), (os.path.abspath(root), "")]
    home = os.path.expanduser("~")
    if home and home != "/":
        prefixes.append((home, "~"))

    def clean(text: str) -> str:
        for prefix, replacement in prefixes:
            if prefix and prefix in text:
                if replacement:
                    text = text.replace(prefix, replacement)
                else:
                    # Inside the repository: drop "<root>/" so the path is relative; the root itself is ".".
                    text = text.replace(prefix + os.sep, "").replace(prefix, ".")
        return text

    if isinstance(value, dict):
        return {k: without_machine_paths(v, root, work) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_machine_paths(v, root, work) for v in value]
    if isinstance(value, str):
        return clean(value)
    return value


def replace_marked_section(path: str, start: str, end: str, section: str) -> None:
    """Replaces the text from the `start` marker to the `end` marker of a file (e.g. README.md's bench table) with
    `section`, which carries both markers again; written to a temporary file first so a failure leaves it whole."""
    text = open(path, encoding="utf-8").read()
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path} has no {start} … {end} section")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(pattern.sub(lambda _: section, text, count=1))
    os.replace(tmp, path)
