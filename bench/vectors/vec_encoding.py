"""Reference encoder and strict decoder for G1/G2 points as written in docs/encodings.md. The generator
uses it to check that every good encoding round-trips and every bad one fails for the stated reason."""
from py_ecc import bn128
from py_ecc import optimized_bn128 as opt

from vec_common import Q, R, fq2_mul, fq2_sqrt, legendre, sgn0_fq2, sqrt_mod

GROUPS = {
    "G1": {"coord_len": 32, "compressed_len": 32, "uncompressed_len": 64, "flag_byte": 31},
    "G2": {"coord_len": 64, "compressed_len": 64, "uncompressed_len": 128, "flag_byte": 63},
}
INFINITY, SIGN = 0x80, 0x40


class DecodeError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # wrong_length | invalid_flags | non_canonical | off_curve | not_in_subgroup


def _coord_bytes(group, c) -> bytes:
    if group == "G1":
        return c.to_bytes(32, "little")
    return c[0].to_bytes(32, "little") + c[1].to_bytes(32, "little")


def _sign(group, y) -> int:
    return (y & 1) if group == "G1" else sgn0_fq2(y)


def encode_compressed(group, pt) -> bytes:
    g = GROUPS[group]
    if pt is None:
        out = bytearray(g["compressed_len"])
        out[g["flag_byte"]] = INFINITY
        return bytes(out)
    out = bytearray(_coord_bytes(group, pt[0]))
    if _sign(group, pt[1]):
        out[g["flag_byte"]] |= SIGN
    return bytes(out)


def encode_uncompressed(group, pt) -> bytes:
    g = GROUPS[group]
    if pt is None:
        out = bytearray(g["uncompressed_len"])
        out[g["flag_byte"]] = INFINITY
        return bytes(out)
    return _coord_bytes(group, pt[0]) + _coord_bytes(group, pt[1])


def _read_fq(b: bytes) -> int:
    v = int.from_bytes(b, "little")
    if v >= Q:
        raise DecodeError("non_canonical", "coordinate is not below q")
    return v


def _read_coord(group, b: bytes):
    if group == "G1":
        return _read_fq(b)
    return (_read_fq(b[:32]), _read_fq(b[32:]))


def _rhs(group, x):
    if group == "G1":
        return (x * x * x + 3) % Q
    b2 = tuple(c.n for c in bn128.b2.coeffs)
    x3 = fq2_mul(fq2_mul(x, x), x)
    return ((x3[0] + b2[0]) % Q, (x3[1] + b2[1]) % Q)


def _square(group, y):
    return y * y % Q if group == "G1" else fq2_mul(y, y)


def _neg(group, y):
    return (-y) % Q if group == "G1" else ((-y[0]) % Q, (-y[1]) % Q)


def _check_subgroup(group, pt):
    if group == "G2":
        p = (opt.FQ2(list(pt[0])), opt.FQ2(list(pt[1])), opt.FQ2([1, 0]))
        if not opt.is_inf(opt.multiply(p, R)):
            raise DecodeError("not_in_subgroup", "point is on the twist but not in the order-r subgroup")


def decode(group, form, data: bytes):
    """Point (affine ints) or None for infinity; raises DecodeError with the first failed check."""
    g = GROUPS[group]
    n = g["compressed_len"] if form == "compressed" else g["uncompressed_len"]
    if len(data) != n:
        raise DecodeError("wrong_length", f"{len(data)} bytes, expected {n}")
    fb = g["flag_byte"]
    flags = data[fb] & 0xC0
    if flags & INFINITY:
        if flags != INFINITY or any(data[i] for i in range(n) if i != fb) or data[fb] != INFINITY:
            raise DecodeError("invalid_flags", "infinity flag with other bits set")
        return None
    if form == "uncompressed" and flags & SIGN:
        raise DecodeError("invalid_flags", "sign flag on an uncompressed point")
    body = bytearray(data)
    body[fb] &= 0x3F
    cl = g["coord_len"]
    x = _read_coord(group, bytes(body[:cl]))
    if form == "compressed":
        rhs = _rhs(group, x)
        y = (sqrt_mod(rhs, Q) if legendre(rhs, Q) >= 0 else None) if group == "G1" else fq2_sqrt(rhs)
        if y is None:
            raise DecodeError("off_curve", "x^3 + b is not a square")
        if _sign(group, y) != (1 if flags & SIGN else 0):
            y = _neg(group, y)
    else:
        y = _read_coord(group, bytes(body[cl:]))
        if _square(group, y) != _rhs(group, x):
            raise DecodeError("off_curve", "point is not on the curve")
    pt = (x, y)
    _check_subgroup(group, pt)
    return pt
