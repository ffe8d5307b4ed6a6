#!/usr/bin/env python3
"""Writes Tests/KZGTests/Fixtures/ezkl-k8.srs with the `ezkl` package's own SRS generator.

This is the independent writer of the halo2/EZKL KZG params format (u32le k, 2^k G1 powers, 2^k Lagrange G1
points, [1]2, [tau]2; coordinates little-endian in Montgomery form). ZKInfer's importer is tested against
it, including that its Lagrange half equals the one ZKInfer computes from the powers.

Run from the repository root:  bench/.venv/bin/python bench/vectors/make_ezkl_srs.py
(create the venv with: python3 -m venv bench/.venv && bench/.venv/bin/pip install ezkl==23.0.5)
The SRS is random on every run (ezkl draws tau itself); the committed file is the one the tests use.
"""
import os
import sys

import ezkl

K = 8
out = os.path.join("Tests", "KZGTests", "Fixtures", f"ezkl-k{K}.srs")
ezkl.gen_srs(out, K)
size = os.path.getsize(out)
expected = 4 + (1 << K) * 64 * 2 + 2 * 128
if size != expected:
    sys.exit(f"unexpected size {size}, expected {expected}")
print(f"wrote {out} ({size} bytes) with ezkl {ezkl.__version__}")
