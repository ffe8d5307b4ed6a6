"""Thin ctypes access to MCL through the PyPI package `mclbn256` (which ships libmclbn256.so).

We call the C functions directly instead of the package's Python classes: those memoize pairings and add
Python overhead, which would distort timings. MCL is initialised for one curve at a time:
  - "snark": MCL's CurveSNARK1, the same curve as ours (alt_bn128 / "BN254" of Ethereum, EIP-197);
  - "bn254b": MCL's default CurveFp254BNb (Nogami et al.), a different BN curve of the same size with a
    sparser loop parameter; the figures quoted in issue 3 were measured on it.
"""
import ctypes

from mclbn256 import mclbn256 as _m

CURVES = {"bn254b": 0, "snark": 4}  # mclBn_CurveFp254BNb, mclBn_CurveSNARK1
LIB = _m.lib
G1T, G2T, GTT, FRT = _m.mclBnG1_bytes, _m.mclBnG2_bytes, _m.mclBnGT_bytes, _m.mclBnFr_bytes


class Mcl:
    def __init__(self, curve: str = "snark"):
        if LIB.mclBn_init(CURVES[curve], _m.MCLBN_COMPILED_TIME_VAR) != 0:
            raise RuntimeError(f"mclBn_init failed for {curve}")
        self.curve = curve
        self._buf = ctypes.create_string_buffer(8192)

    # ---- construction ----
    def fr(self, k: int):
        v = FRT()
        s = str(k).encode()
        if LIB.mclBnFr_setStr(v, s, len(s), 10) != 0:
            raise ValueError("MCL rejected the scalar")
        return v

    def g1(self, pt):
        v = G1T()
        s = f"1 {pt[0]} {pt[1]}".encode()
        if LIB.mclBnG1_setStr(v, s, len(s), 10) != 0:
            raise ValueError("MCL rejected the G1 point")
        return v

    def g2(self, pt):
        v = G2T()
        (x0, x1), (y0, y1) = pt
        s = f"1 {x0} {x1} {y0} {y1}".encode()
        if LIB.mclBnG2_setStr(v, s, len(s), 10) != 0:
            raise ValueError("MCL rejected the G2 point")
        return v

    def hashed_points(self, msg: bytes = b"zkinfer-bench"):
        """Points usable on either curve (MCL has no default base point for CurveFp254BNb)."""
        p, q = G1T(), G2T()
        if LIB.mclBnG1_hashAndMapTo(p, msg, len(msg)) or LIB.mclBnG2_hashAndMapTo(q, msg, len(msg)):
            raise RuntimeError("MCL hash-to-curve failed")
        return p, q

    # ---- reading back ----
    def ints(self, getter, v):
        n = getter(self._buf, len(self._buf), v, 10)
        if n == 0:
            raise RuntimeError("MCL getStr failed")
        return [int(t) for t in self._buf.value.decode().split()]

    def affine(self, group: str, v):
        t = self.ints(LIB.mclBnG1_getStr if group == "G1" else LIB.mclBnG2_getStr, v)
        if t == [0]:
            return None
        assert t[0] == 1
        return (t[1], t[2]) if group == "G1" else ((t[1], t[2]), (t[3], t[4]))

    # ---- operations used for cross-checks ----
    def mul(self, group: str, pt, k: int):
        if group == "G1":
            out = G1T()
            LIB.mclBnG1_mul(out, self.g1(pt), self.fr(k))
        else:
            out = G2T()
            LIB.mclBnG2_mul(out, self.g2(pt), self.fr(k))
        return self.affine(group, out)

    def pairing_tower(self, p, q):
        """e(P, Q) as MCL computes it, 12 Fq values in tower order
        [c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1]."""
        out = GTT()
        LIB.mclBn_pairing(out, self.g1(p), self.g2(q))
        return self.ints(LIB.mclBnGT_getStr, out)
