"""Known-answer vectors for the prime fields Fr, Fq (fr.json, fq.json) computed with py_ecc's field
classes, every result also checked against plain Python integer arithmetic."""
from py_ecc import bn128
from py_ecc.fields.field_elements import FQ as _PyEccPrimeField

from vec_common import R, Drbg, dec, le_hex, legendre, small_root, sqrt_mod

N_RANDOM = 22  # random cases per operation, on top of the edge cases


class PyEccFr(_PyEccPrimeField):
    field_modulus = R


PY_ECC_CLASS = {"Fq": bn128.FQ, "Fr": PyEccFr}


def edge_values(p: int):
    return {
        "zero": 0,
        "one": 1,
        "two": 2,
        "p_minus_1": p - 1,
        "p_minus_2": p - 2,
        "half_p_minus_1": (p - 1) // 2,
        "half_p_plus_1": (p + 1) // 2,
        "two_pow_255_minus_1_mod_p": ((1 << 255) - 1) % p,
        "two_pow_256_minus_1_mod_p": ((1 << 256) - 1) % p,
    }


def _binary_inputs(drbg: Drbg, p: int):
    e = edge_values(p)
    pairs = [
        (0, 0), (0, e["p_minus_1"]), (1, e["p_minus_1"]), (e["p_minus_1"], e["p_minus_1"]),
        (e["p_minus_1"], e["p_minus_2"]), (e["half_p_minus_1"], e["half_p_plus_1"]),
        (e["half_p_plus_1"], e["half_p_plus_1"]), (e["two_pow_256_minus_1_mod_p"], e["p_minus_1"]),
        (e["two_pow_255_minus_1_mod_p"], 2),
    ]
    for i in range(N_RANDOM):
        pairs.append((drbg.field_value(p, i), drbg.field_value(p, i + 1)))
    return pairs


def _unary_inputs(drbg: Drbg, p: int, nonzero: bool = False):
    vals = [v for v in edge_values(p).values() if not (nonzero and v == 0)]
    for i in range(N_RANDOM):
        v = drbg.field_value(p, i)
        vals.append(v if v != 0 or not nonzero else 1)
    return vals


def _sqrt_cases(drbg: Drbg, p: int, extra_residues, extra_non_residues):
    cases = []
    residues = [0, 1, 4] + extra_residues
    for i in range(10):
        x = drbg.field_value(p, i)
        residues.append(x * x % p)
    for a in residues:
        root = sqrt_mod(a, p)
        cases.append({"a": dec(a), "is_square": True, "root": dec(small_root(root, p))})
    non_residues = list(extra_non_residues)
    while len(non_residues) < 8:
        a = drbg.below(p)
        if legendre(a, p) == -1:
            non_residues.append(a)
    for a in non_residues:
        assert sqrt_mod(a, p) is None
        cases.append({"a": dec(a), "is_square": False, "root": None})
    return cases


def field_vectors(name: str, p: int, seed: str) -> dict:
    drbg = Drbg(seed)
    F = PY_ECC_CLASS[name]
    assert F.field_modulus == p

    def binop(op, check):
        out = []
        for a, b in _binary_inputs(drbg, p):
            v = op(F(a), F(b)).n
            assert v == check(a, b) % p
            out.append({"a": dec(a), "b": dec(b), "out": dec(v)})
        return out

    def unop(op, check, nonzero=False):
        out = []
        for a in _unary_inputs(drbg, p, nonzero):
            v = op(F(a)).n
            assert v == check(a) % p
            out.append({"a": dec(a), "out": dec(v)})
        return out

    cases = {
        "add": binop(lambda x, y: x + y, lambda a, b: a + b),
        "sub": binop(lambda x, y: x - y, lambda a, b: a - b),
        "mul": binop(lambda x, y: x * y, lambda a, b: a * b),
        "square": unop(lambda x: x * x, lambda a: a * a),
        "double": unop(lambda x: x + x, lambda a: 2 * a),
        "neg": unop(lambda x: -x, lambda a: -a),
        "inverse": unop(lambda x: F(1) / x, lambda a: pow(a, p - 2, p), nonzero=True),
    }

    pow_cases = []
    exps = [0, 1, 2, 3, 5, 65535, 65536, (1 << 64) + 1, p - 2, (p - 1) // 2, p - 1]
    exps += [drbg.bits(16) for _ in range(N_RANDOM)]
    for i, e in enumerate(exps):
        a = drbg.field_value(p, i) or 2
        v = (F(a) ** e).n
        assert v == pow(a, e, p)
        pow_cases.append({"a": dec(a), "e": dec(e), "out": dec(v)})
    cases["pow"] = pow_cases

    extra_res, extra_non = [], []
    if p % 4 == 3:
        extra_non.append(p - 1)  # -1 is a non-residue when p = 3 mod 4
    else:
        extra_res.append(p - 1)
    roots = roots_of_unity(p) if name == "Fr" else None
    if roots:
        omega = int(roots["cases"][-1]["root"])  # order 2^28: a non-residue whose square is a residue
        extra_res.append(omega * omega % p)
        extra_non.append(omega)
    cases["sqrt"] = _sqrt_cases(drbg, p, extra_res, extra_non)

    leg = []
    for i, a in enumerate([0, 1, p - 1] + [drbg.field_value(p, i) for i in range(N_RANDOM)]):
        leg.append({"a": dec(a), "out": legendre(a, p)})
    cases["legendre"] = leg

    doc = {
        "field": name,
        "modulus": dec(p),
        "generated_by": "bench/vectors/generate_bn254.py",
        "source": "py_ecc 8.0.0 field classes (bn128.FQ for Fq; py_ecc.fields.FQ with modulus r for Fr), "
                  "cross-checked against Python integers",
        "edge_values": {k: dec(v) for k, v in edge_values(p).items()},
        "cases": cases,
        "reduce": reduce_cases(p),
        "wide_reduce": wide_cases(drbg, p),
        "bytes": bytes_cases(drbg, p),
        "non_canonical_bytes": non_canonical_cases(p),
    }
    if roots:
        doc["roots_of_unity"] = roots
    return doc


def reduce_cases(p: int):
    """Integers in [0, 2^256) given as 32 LE bytes, reduced mod p (not a canonical decoding)."""
    ins = [0, 1, p - 1, p, p + 1, 2 * p, (1 << 254) - 1, (1 << 255) - 1, (1 << 256) - 1, 5 * p + 7]
    return [{"in": dec(x), "bytes": le_hex(x, 32), "out": dec(x % p)} for x in ins]


def wide_cases(drbg: Drbg, p: int):
    """64 bytes read little-endian, mapped to x mod p (docs/encodings.md, wide reduction)."""
    ins = [b"\x00" * 64, b"\xff" * 64, p.to_bytes(64, "little"), (p << 256).to_bytes(64, "little"),
           ((1 << 256) - 1).to_bytes(64, "little"), (1 << 256).to_bytes(64, "little")]
    ins += [drbg.bytes(64) for _ in range(14)]
    return [{"bytes": b.hex(), "out": dec(int.from_bytes(b, "little") % p)} for b in ins]


def bytes_cases(drbg: Drbg, p: int):
    """Canonical 32-byte little-endian encodings."""
    vals = list(edge_values(p).values()) + [drbg.below(p) for _ in range(6)]
    return [{"a": dec(v), "bytes": le_hex(v, 32)} for v in vals]


def non_canonical_cases(p: int):
    """Byte strings a canonical decoder must reject."""
    out = []
    for v, why in [(p, "value equals the modulus"), (p + 1, "value p+1 >= modulus"),
                   ((1 << 254) - 1, "value 2^254-1 >= modulus"),
                   ((1 << 256) - 1, "value 2^256-1 >= modulus (all bytes 0xff)")]:
        out.append({"bytes": le_hex(v, 32), "error": "non_canonical", "reason": why})
    out.append({"bytes": "00" * 31, "error": "wrong_length", "reason": "31 bytes, expected 32"})
    out.append({"bytes": "00" * 33, "error": "wrong_length", "reason": "33 bytes, expected 32"})
    out.append({"bytes": "", "error": "wrong_length", "reason": "0 bytes, expected 32"})
    return out


def roots_of_unity(p: int):
    """Fr has 2-adicity 28. A root of order 2^k is g^((r-1)/2^k) for a quadratic non-residue g; we give
    it for g = 5 and g = 7 (both are used by libraries) so tests can pin whichever the code chose."""
    s = 0
    while (p - 1) % (1 << (s + 1)) == 0:
        s += 1
    assert s == 28
    cases = []
    for g in (7, 5):
        assert legendre(g, p) == -1
        for k in (1, 2, 3, 16, 28):
            root = pow(g, (p - 1) >> k, p)
            assert pow(root, 1 << k, p) == 1 and pow(root, 1 << (k - 1), p) != 1
            cases.append({"g": dec(g), "k": k, "root": dec(root)})
    # the last case (g = 5, k = 28) is used above for the sqrt edge cases
    return {"two_adicity": s, "cases": cases}
