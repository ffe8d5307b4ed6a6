#!/usr/bin/env python3
"""Writes Tests/KZGTests/Fixtures/selfmade-power4.ptau: a SELF-MADE snarkjs Powers-of-Tau file.

No independent .ptau writer is installable here (snarkjs is an npm package; only Debian and PyPI are
reachable), so this file is written from the published layout of the format (snarkjs's binary "ptau"
container) with py_ecc doing the group arithmetic; it is labelled self-made wherever it is used.
Layout: "ptau", u32 version 1, u32 number of sections, then sections (u32 type, u64 size, data):
  1 header: u32 n8 = 32, q (32 bytes LE), u32 power, u32 ceremony power
  2 tauG1: [tau^i]1 for i < 2*2^power - 1      3 tauG2: [tau^i]2 for i < 2^power
  4 alphaTauG1, 5 betaTauG1: 2^power points    6 betaG2: 1 point      7 contributions: u32 count = 0
Points: uncompressed, each coordinate 32 bytes little-endian in Montgomery form (x * 2^256 mod q);
G2 coordinates c0 then c1.

Before writing, the script cross-checks the pairing structure with py_ecc: e([tau]1, [1]2) = e([1]1, [tau]2)
and e([tau^2]1, [1]2) = e([tau]1, [tau]2). Tau, alpha, beta are fixed small constants: this file is a test
fixture, never an SRS for proofs.

Run from the repository root:  bench/.venv/bin/python bench/vectors/make_ptau_fixture.py
"""
import os
import struct

from py_ecc import optimized_bn128 as bn

POWER = 4
TAU, ALPHA, BETA = 0x1234567, 0x89ABC, 0xDEF01
q = bn.field_modulus
r = bn.curve_order
R = pow(2, 256, q)


def fq_mont(v):
    return ((int(v) * R) % q).to_bytes(32, "little")


def g1_bytes(p):
    x, y = bn.normalize(p)
    return fq_mont(x) + fq_mont(y)


def g2_bytes(p):
    x, y = bn.normalize(p)
    return fq_mont(x.coeffs[0]) + fq_mont(x.coeffs[1]) + fq_mont(y.coeffs[0]) + fq_mont(y.coeffs[1])


def section(kind, data):
    return struct.pack("<IQ", kind, len(data)) + data


n = 1 << POWER
tau_g1 = [bn.multiply(bn.G1, pow(TAU, i, r)) for i in range(2 * n - 1)]
tau_g2 = [bn.multiply(bn.G2, pow(TAU, i, r)) for i in range(n)]

# Cross-check of the pairing structure before anything is written.
assert bn.pairing(bn.G2, tau_g1[1]) == bn.pairing(tau_g2[1], bn.G1)
assert bn.pairing(bn.G2, tau_g1[2]) == bn.pairing(tau_g2[1], tau_g1[1])

header = struct.pack("<I", 32) + q.to_bytes(32, "little") + struct.pack("<II", POWER, POWER)
sections = [
    section(1, header),
    section(2, b"".join(g1_bytes(p) for p in tau_g1)),
    section(3, b"".join(g2_bytes(p) for p in tau_g2)),
    section(4, b"".join(g1_bytes(bn.multiply(bn.G1, ALPHA * pow(TAU, i, r) % r)) for i in range(n))),
    section(5, b"".join(g1_bytes(bn.multiply(bn.G1, BETA * pow(TAU, i, r) % r)) for i in range(n))),
    section(6, g2_bytes(bn.multiply(bn.G2, BETA))),
    section(7, struct.pack("<I", 0)),
]
out = os.path.join("Tests", "KZGTests", "Fixtures", f"selfmade-power{POWER}.ptau")
with open(out, "wb") as f:
    f.write(b"ptau" + struct.pack("<II", 1, len(sections)) + b"".join(sections))
# The expected [tau]1 for the test, in canonical decimal.
x, y = bn.normalize(tau_g1[1])
print(f"wrote {out}; [tau]1 = ({int(x)}, {int(y)})")
