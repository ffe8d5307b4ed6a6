#!/usr/bin/env python3
"""Markdown tables from run.py's results JSON: prove time per model and binary, the --timings split, and
prove-batch throughput. usage: table.py results.json"""
import json, sys

r = json.load(open(sys.argv[1]))
tags = list(r["binaries"])
ms = lambda s: f"{s * 1000:.0f}" if s >= 0.1 else f"{s * 1000:.1f}"
print("| model | " + " | ".join(f"{t}: prove s / process wall s / process CPU s" for t in tags) + " |")
print("|---|" + "---:|" * len(tags))
for model, by in r["prove"].items():
    cells = [f"{by[t]['prove_seconds']:.3f} / {by[t]['wall_seconds']:.3f} / {by[t].get('cpu_seconds', float('nan')):.3f}" if t in by
             else "—" for t in tags]
    print(f"| {model} | " + " | ".join(cells) + " |")
print()
split = ["load", "witness", "adviceMSM", "otherMSM", "ntt", "permutationLookup", "quotient", "openings", "witnessCheck",
         "phase_witness", "linearRelation"]
print("Split in ms (min per figure over the rounds; `witness` = inference + assignment, `phase_witness` = the relation's phase callbacks):")
print()
print("| model | binary | " + " | ".join(split) + " |")
print("|---|---|" + "---:|" * len(split))
for model, by in r["prove"].items():
    for t in tags:
        if t in by:
            print(f"| {model} | {t} | " + " | ".join(ms(by[t].get(k + "_seconds", 0)) for k in split) + " |")
if r.get("prove_batch"):
    print()
    print("| prove-batch | " + " | ".join(tags) + " |")
    print("|---|" + "---:|" * len(tags))
    for model, by in r["prove_batch"].items():
        cells = [f"{by[t]['count']} proofs in {by[t]['wall_seconds']:.2f} s ({by[t]['proofs_per_second']:.1f}/s, CPU {by[t].get('cpu_seconds', float('nan')):.1f} s)"
                 if t in by else "—"
                 for t in tags]
        print(f"| {model} | " + " | ".join(cells) + " |")
