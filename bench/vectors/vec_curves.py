"""Known-answer vectors for G1 and G2 (g1.json, g2.json): group operations computed with py_ecc's
optimized_bn128 and re-checked with py_ecc's plain bn128 (and MCL when installed), plus encodings per
docs/encodings.md and byte strings a strict decoder must reject, each re-checked by a reference decoder."""
from py_ecc import bn128
from py_ecc import optimized_bn128 as opt

from vec_common import Q, R, Drbg, dec, fq2_legendre, fq2_mul, fq2_sqrt, le_hex, legendre
from vec_encoding import GROUPS, DecodeError, decode, encode_compressed, encode_uncompressed

# ---- affine points as ints: G1 (x, y); G2 ((x0, x1), (y0, y1)); None is the point at infinity ----


def to_opt(group, pt):
    if pt is None:
        return opt.Z1 if group == "G1" else opt.Z2
    if group == "G1":
        return (opt.FQ(pt[0]), opt.FQ(pt[1]), opt.FQ(1))
    return (opt.FQ2(list(pt[0])), opt.FQ2(list(pt[1])), opt.FQ2([1, 0]))


def from_opt(group, p):
    if opt.is_inf(p):
        return None
    x, y = opt.normalize(p)
    if group == "G1":
        return (int(x), int(y))
    return (tuple(int(c) for c in x.coeffs), tuple(int(c) for c in y.coeffs))


def to_plain(group, pt):
    if pt is None:
        return None
    if group == "G1":
        return (bn128.FQ(pt[0]), bn128.FQ(pt[1]))
    return (bn128.FQ2(list(pt[0])), bn128.FQ2(list(pt[1])))


def from_plain(group, p):
    if p is None:
        return None
    if group == "G1":
        return (p[0].n, p[1].n)
    return (tuple(c.n for c in p[0].coeffs), tuple(c.n for c in p[1].coeffs))


def point_json(group, pt):
    if pt is None:
        zero = "0" if group == "G1" else ["0", "0"]
        return {"infinity": True, "x": zero, "y": zero}
    if group == "G1":
        return {"infinity": False, "x": dec(pt[0]), "y": dec(pt[1])}
    return {"infinity": False, "x": [dec(c) for c in pt[0]], "y": [dec(c) for c in pt[1]]}


class Ops:
    """Group operations through optimized_bn128, each result re-computed with plain bn128."""

    def __init__(self, group, mcl=None):
        self.group = group
        self.mcl = mcl
        self.gen = from_opt(group, opt.G1 if group == "G1" else opt.G2)

    def add(self, a, b):
        v = from_opt(self.group, opt.add(to_opt(self.group, a), to_opt(self.group, b)))
        assert v == from_plain(self.group, bn128.add(to_plain(self.group, a), to_plain(self.group, b)))
        return v

    def double(self, a):
        v = from_opt(self.group, opt.double(to_opt(self.group, a)))
        assert v == from_plain(self.group, bn128.double(to_plain(self.group, a)))
        return v

    def neg(self, a):
        v = from_opt(self.group, opt.neg(to_opt(self.group, a)))
        assert v == from_plain(self.group, bn128.neg(to_plain(self.group, a)))
        return v

    def mul(self, a, k):
        v = from_opt(self.group, opt.multiply(to_opt(self.group, a), k))
        # plain bn128 G2 multiplication is slow: re-check it only for scalars below r
        if self.group == "G1" or k < R:
            assert v == from_plain(self.group, bn128.multiply(to_plain(self.group, a), k))
        if self.mcl is not None and a is not None and k % R != 0:
            assert self.mcl.mul(self.group, a, k % R) == v
        return v


def group_vectors(group: str, seed: str, mcl=None) -> dict:
    drbg = Drbg(seed)
    ops = Ops(group, mcl)
    G = ops.gen
    rand_pts = [ops.mul(G, drbg.below(R)) for _ in range(5)]
    P1, P2, P3, P4, P5 = rand_pts

    add_in = [(P1, P2), (P3, P4), (P1, P1), (P2, ops.neg(P2)), (P1, None), (None, P2), (None, None),
              (G, ops.double(G)), (G, G), (P5, G), (ops.neg(P4), P3), (P5, P1)]
    add = [{"a": point_json(group, a), "b": point_json(group, b), "out": point_json(group, ops.add(a, b))}
           for a, b in add_in]
    dbl = [{"a": point_json(group, a), "out": point_json(group, ops.double(a))}
           for a in [G, P1, P2, None, ops.neg(P3), P5]]
    neg = [{"a": point_json(group, a), "out": point_json(group, ops.neg(a))} for a in [G, P1, None, P2]]

    big = [drbg.bits(256) | (1 << 255) for _ in range(2)]  # full 256-bit, above r
    scalars_g = [0, 1, 2, 3, R - 1, R, R + 1, (1 << 256) - 1] + big + [drbg.below(R)]
    scalars_p = [0, R - 1, R, drbg.bits(256), drbg.below(R)]
    mul = []
    for base, scalars in [(G, scalars_g), (P1, scalars_p)]:
        for k in scalars:
            mul.append({"point": point_json(group, base), "scalar": dec(k), "scalar_mod_r": dec(k % R),
                        "out": point_json(group, ops.mul(base, k))})

    # every distinct point in the cases, with both encodings
    seen, enc = set(), []
    for pt in [None, G] + rand_pts + [p for a, b in add_in for p in (a, b, ops.add(a, b))] + \
            [ops.double(a) for a in [G, P1, P2, ops.neg(P3), P5]] + [ops.neg(a) for a in [G, P1, P2]] + \
            [ops.mul(base, k) for base, ks in [(G, scalars_g), (P1, scalars_p)] for k in ks]:
        if pt in seen:
            continue
        seen.add(pt)
        c, u = encode_compressed(group, pt), encode_uncompressed(group, pt)
        assert decode(group, "compressed", c) == pt and decode(group, "uncompressed", u) == pt
        enc.append({"point": point_json(group, pt), "compressed": c.hex(), "uncompressed": u.hex()})

    outside = non_subgroup_points(drbg, 2) if group == "G2" else []
    doc = {
        "group": group,
        "order": dec(R),
        "generator_point": point_json(group, G),
        "generated_by": "bench/vectors/generate_bn254.py",
        "source": "py_ecc 8.0.0 optimized_bn128 (add/double/neg/multiply), re-checked with py_ecc bn128; "
                  "the generator also checks scalar multiplications against MCL (mclbn256) unless --no-mcl",
        "cases": {"add": add, "double": dbl, "mul": mul, "neg": neg},
        "encodings": enc,
        "bad": bad_encodings(group, drbg, ops, rand_pts, outside),
    }
    if group == "G2":
        doc["twist_b"] = [dec(c.n) for c in bn128.b2.coeffs]
        doc["not_in_subgroup"] = [{"point": point_json(group, pt), "on_twist": True} for pt in outside]
    return doc


# ---- bad encodings ----

def _twist_rhs(x):
    b2 = tuple(c.n for c in bn128.b2.coeffs)
    x3 = fq2_mul(fq2_mul(x, x), x)
    return ((x3[0] + b2[0]) % Q, (x3[1] + b2[1]) % Q)


def non_subgroup_points(drbg: Drbg, n: int):
    """Points on the twist y^2 = x^3 + 3/(9+u) whose order is not r (the twist has cofactor 2q - r)."""
    out = []
    while len(out) < n:
        x = (drbg.below(Q), drbg.below(Q))
        y = fq2_sqrt(_twist_rhs(x))
        if y is None:
            continue
        pt = (x, y)
        assert bn128.is_on_curve(to_plain("G2", pt), bn128.b2)
        assert not opt.is_inf(opt.multiply(to_opt("G2", pt), R))
        out.append(pt)
    return out


def _set_byte(b: bytes, i: int, value: int) -> bytes:
    return b[:i] + bytes([value]) + b[i + 1:]


def bad_encodings(group: str, drbg: Drbg, ops: Ops, pts, outside):
    g = GROUPS[group]
    G = ops.gen
    fb = g["flag_byte"]
    cases = []

    def add(form, data: bytes, error, reason):
        try:
            decode(group, form, data)
        except DecodeError as e:
            assert e.kind == error, (group, form, reason, e.kind, error)
        else:
            raise AssertionError(f"reference decoder accepted a bad {group} case: {reason}")
        cases.append({"form": form, "bytes": data.hex(), "error": error, "reason": reason})

    if group == "G1":
        found = 0
        x = 0
        while found < 2:
            if legendre(x ** 3 + 3, Q) == -1:
                c = le_hex(x, 32)
                add("compressed", bytes.fromhex(c), "off_curve",
                    f"x = {x}: x^3 + 3 is not a square" + (" (all-zero bytes are not infinity)" if x == 0 else ""))
                found += 1
            x += 1
        x = drbg.below(Q)
        while legendre(x ** 3 + 3, Q) != -1:
            x = drbg.below(Q)
        add("compressed", _set_byte(bytes.fromhex(le_hex(x, 32)), fb, bytes.fromhex(le_hex(x, 32))[fb] | 0x40),
            "off_curve", "random x with x^3 + 3 not a square, y-odd flag set")
        add("uncompressed", bytes.fromhex(le_hex(1, 32) + le_hex(3, 32)), "off_curve", "(1, 3) is not on y^2 = x^3 + 3")
        add("uncompressed", bytes(64), "off_curve", "all-zero bytes: (0, 0) is not on the curve (infinity needs the flag)")
        P = pts[0]
        add("uncompressed", encode_uncompressed(group, (P[0], (P[1] + 1) % Q)), "off_curve", "valid x, y + 1")
        add("compressed", bytes.fromhex(le_hex(Q + 1, 32)), "non_canonical", "x = q + 1 (x = 1 would be valid)")
        add("compressed", bytes.fromhex(le_hex(Q, 32)), "non_canonical", "x = q")
        add("uncompressed", bytes.fromhex(le_hex(Q + 1, 32) + le_hex(2, 32)), "non_canonical",
            "x = q + 1, y = 2 (reduces to the generator)")
        add("uncompressed", bytes.fromhex(le_hex(1, 32) + le_hex(Q + 2, 32)), "non_canonical",
            "y = q + 2 (reduces to the generator)")
        add("uncompressed", bytes.fromhex(le_hex((1 << 254) - 1, 32) + le_hex(2, 32)), "non_canonical",
            "x = 2^254 - 1 (flag bits clear)")
    else:
        x = (drbg.below(Q), drbg.below(Q))
        while fq2_legendre(_twist_rhs(x)) != -1:
            x = (drbg.below(Q), drbg.below(Q))
        add("compressed", bytes.fromhex(le_hex(x[0], 32) + le_hex(x[1], 32)), "off_curve",
            "x^3 + 3/(9+u) is not a square in Fq2")
        if fq2_legendre(_twist_rhs((0, 0))) == -1:
            add("compressed", bytes(64), "off_curve",
                "all-zero bytes: x = 0 and 3/(9+u) is not a square (infinity needs the flag)")
        P = pts[0]
        add("uncompressed", encode_uncompressed(group, (P[0], ((P[1][0] + 1) % Q, P[1][1]))), "off_curve",
            "valid x, y.c0 + 1")
        add("uncompressed", bytes(128), "off_curve", "all-zero bytes: (0, 0) is not on the twist")
        # non-canonical coordinates: pick points whose coordinate + q still fits below 2^254
        limit = (1 << 254) - Q
        cands = [G] + pts + [ops.mul(G, k) for k in range(2, 40)]
        for coord, idx, label in [(0, 0, "x.c0"), (0, 1, "x.c1"), (1, 0, "y.c0"), (1, 1, "y.c1")]:
            pt = next(p for p in cands if p[coord][idx] < limit)
            raw = bytearray(encode_uncompressed(group, pt))
            off = 64 * coord + 32 * idx
            raw[off:off + 32] = (pt[coord][idx] + Q).to_bytes(32, "little")
            add("uncompressed", bytes(raw), "non_canonical", f"{label} + q (reduces to a valid point)")
            if coord == 0:
                comp = bytearray(encode_compressed(group, pt))
                sign = comp[fb] & 0x40
                comp[off:off + 32] = (pt[coord][idx] + Q).to_bytes(32, "little")
                comp[fb] |= sign  # keep the sign flag when x.c1 (which holds it) is rewritten
                add("compressed", bytes(comp), "non_canonical", f"{label} + q (reduces to a valid point)")
        for pt in outside:
            add("compressed", encode_compressed(group, pt), "not_in_subgroup",
                "on the twist but [r]P != O (twist cofactor 2q - r)")
            add("uncompressed", encode_uncompressed(group, pt), "not_in_subgroup",
                "on the twist but [r]P != O (twist cofactor 2q - r)")

    inf_c, inf_u = encode_compressed(group, None), encode_uncompressed(group, None)
    gc, gu = encode_compressed(group, G), encode_uncompressed(group, G)
    add("compressed", _set_byte(inf_c, fb, 0xC0), "invalid_flags", "infinity flag together with the sign flag")
    add("compressed", _set_byte(inf_c, 0, 0x01), "invalid_flags", "infinity flag with a stray bit in byte 0")
    add("compressed", _set_byte(gc, fb, gc[fb] | 0x80), "invalid_flags", "infinity flag on the generator's x")
    add("uncompressed", _set_byte(inf_u, len(inf_u) - 1, 0x01), "invalid_flags",
        "infinity flag with a stray bit in the last byte (y)")
    add("uncompressed", _set_byte(inf_u, fb, 0xC0), "invalid_flags", "infinity with bit 6 set on an uncompressed encoding")
    add("uncompressed", _set_byte(gu, fb, gu[fb] | 0x40), "invalid_flags", "bit 6 (sign) set on an uncompressed point")
    add("uncompressed", _set_byte(gu, fb, gu[fb] | 0xC0), "invalid_flags", "both flags set on an uncompressed point")
    add("uncompressed", _set_byte(gu, fb, gu[fb] | 0x80), "invalid_flags", "infinity flag on the generator")
    nc, nu = g["compressed_len"], g["uncompressed_len"]
    for form, enc, n in [("compressed", gc, nc), ("uncompressed", gu, nu)]:
        add(form, b"", "wrong_length", f"0 bytes, expected {n}")
        add(form, enc[:-1], "wrong_length", f"{n - 1} bytes (last byte dropped), expected {n}")
        add(form, enc + b"\x00", "wrong_length", f"{n + 1} bytes (zero appended), expected {n}")
    add("compressed", gu, "wrong_length", f"an uncompressed encoding ({nu} bytes) given to the compressed decoder")
    add("uncompressed", gc, "wrong_length", f"a compressed encoding ({nc} bytes) given to the uncompressed decoder")
    return cases
