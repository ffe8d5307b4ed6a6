"""Verifying-key bytes, proof-body bytes and verify time of two builds on every model in circuits/ (top level,
zoo/ and seq/, every export), for the key-size work of issues 15 and 17 (limits: key ≤ 64 KiB, body ≤ 16 KiB,
verify ≤ 20 ms as `zkverify --json` reports it).

    python3 bench/keys/compare_keys.py prepare --bin <bin dir> --tag old --work <dir>   # compile, setup, prove once
    python3 bench/keys/compare_keys.py prepare --bin .build/release --tag new --work <dir>
    python3 bench/keys/compare_keys.py measure --work <dir> --repeat 5 --out bench/results/<name> \
        [--old-label ...] [--new-label ...]

`prepare` is the slow part and may run at any time (each build on its own); `measure` then runs `zkverify --json`
alternately for the two builds, --repeat rounds, so both see the same load, and reports the minimum of
verify_seconds. Development SRS; a model a build cannot compile, set up or prove is reported with its error.
"""
import argparse, glob, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from zkinfer_steps import compile_and_setup, prove, verify_json  # noqa: E402


def models():
    found = []
    for d in sorted(glob.glob("circuits/*/model.onnx") + glob.glob("circuits/*/*/*/model.onnx")):
        found.append(os.path.dirname(d))
    return found


def prepare(a):
    bindir = a.bin
    zkinfer = os.path.join(bindir, "zkinfer")
    base = os.path.join(a.work, a.tag)
    os.makedirs(base, exist_ok=True)
    srs_cache = {}
    for m in (a.models.split(",") if a.models else models()):
        ident = m.replace("circuits/", "").replace("/", "--")
        work = os.path.join(base, ident)
        done = os.path.join(work, "prepared.json")
        if os.path.exists(done):
            continue
        os.makedirs(work, exist_ok=True)
        info = {"model": m.replace("circuits/", "")}
        try:
            nice = ("nice", "-n", "19")
            log2 = compile_and_setup(zkinfer, m, work, srs_cache, prefix=nice)
            prove(zkinfer, m, work, prefix=nice)
            info.update(log2_rows=log2, vk_bytes=os.path.getsize(os.path.join(work, "vk.bin")))
        except Exception as e:  # reported, not hidden
            info["error"] = str(e)
        json.dump(info, open(done, "w"))
        print(a.tag, info, file=sys.stderr, flush=True)


def measure(a):
    bins = {"old": a.old_bin, "new": a.new_bin}
    old = os.path.join(a.work, "old")
    idents = sorted(d for d in os.listdir(old) if os.path.isdir(os.path.join(old, d)))  # not the cached SRS files
    rows = []
    for ident in idents:
        row = {}
        for tag in ("old", "new"):
            p = os.path.join(a.work, tag, ident, "prepared.json")
            row[tag] = json.load(open(p)) if os.path.exists(p) else {"error": "not prepared"}
            row[tag]["verify_ms"] = []
        row["model"] = row["old"]["model"]
        rows.append(row)
    for _ in range(a.repeat):
        for row in rows:
            for tag in ("old", "new"):
                r = row[tag]
                if "error" in r:
                    continue
                ident = row["model"].replace("/", "--")
                valid, body, ms = verify_json(os.path.join(bins[tag], "zkverify"), os.path.join(a.work, tag, ident))
                r["valid"] = r.get("valid", True) and valid
                r["proof_body_bytes"] = body
                r["verify_ms"].append(ms)
    for row in rows:
        for tag in ("old", "new"):
            if row[tag]["verify_ms"]:
                row[tag]["verify_ms_min"] = min(row[tag]["verify_ms"])
    with open(a.out + ".json", "w") as f:
        # Labels, not paths: committed results name no machine path (BenchResultsTests).
        json.dump({"old": a.old_label, "new": a.new_label, "repeat": a.repeat, "loadavg": os.getloadavg(), "rows": rows}, f, indent=1)
    def cell(r, key, fmt):
        if "error" in r:
            return "—"
        v = r.get(key)
        return "—" if v is None else fmt(v)
    lines = ["| model | 2^k | vk bytes old → new | proof body old → new | verify ms (min) old → new | within limits (new) |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        o, n = row["old"], row["new"]
        ok = ("error" not in n and n.get("valid") and n["vk_bytes"] <= 65536 and n["proof_body_bytes"] <= 16384
              and n["verify_ms_min"] <= 20)
        limits = "yes" if ok else ("error: " + n["error"][:80] if "error" in n else "no")
        lines.append(f"| {row['model']} | {cell(o, 'log2_rows', str)} → {cell(n, 'log2_rows', str)} | "
                     f"{cell(o, 'vk_bytes', '{:,}'.format)} → {cell(n, 'vk_bytes', '{:,}'.format)} | "
                     f"{cell(o, 'proof_body_bytes', '{:,}'.format)} → {cell(n, 'proof_body_bytes', '{:,}'.format)} | "
                     f"{cell(o, 'verify_ms_min', '{:.1f}'.format)} → {cell(n, 'verify_ms_min', '{:.1f}'.format)} | {limits} |")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="step", required=True)
    q = sub.add_parser("prepare")
    q.add_argument("--bin", required=True)
    q.add_argument("--tag", required=True, choices=["old", "new"])
    q.add_argument("--work", required=True)
    q.add_argument("--models", default="", help="comma-separated model directories (default: every circuits/ model)")
    q = sub.add_parser("measure")
    q.add_argument("--old-bin", required=True)
    q.add_argument("--new-bin", required=True)
    q.add_argument("--work", required=True)
    q.add_argument("--repeat", type=int, default=5)
    q.add_argument("--out", required=True)
    q.add_argument("--old-label", default="old build")
    q.add_argument("--new-label", default="new build")
    a = p.parse_args()
    prepare(a) if a.step == "prepare" else measure(a)


if __name__ == "__main__":
    main()
