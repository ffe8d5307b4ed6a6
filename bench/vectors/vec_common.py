"""Shared helpers for the BN254 vector generators: deterministic randomness, byte/decimal formatting,
and square roots (py_ecc's bn128 fields have none), each result verified before it is written."""
import hashlib

from py_ecc import bn128

Q = bn128.field_modulus  # base field Fq
R = bn128.curve_order  # scalar field Fr, order of G1 and of the G2 subgroup
BN_X = 4965661367192848881  # BN parameter: p = 36x^4 + 36x^3 + 24x^2 + 6x + 1

assert Q == 36 * BN_X**4 + 36 * BN_X**3 + 24 * BN_X**2 + 6 * BN_X + 1
assert R == 36 * BN_X**4 + 36 * BN_X**3 + 18 * BN_X**2 + 6 * BN_X + 1


class Drbg:
    """SHA-256 counter-mode byte stream: the same seed gives the same vectors on every Python version
    (unlike `random`, whose algorithms are not promised to stay fixed)."""

    def __init__(self, seed: str):
        self._seed = seed.encode()
        self._counter = 0

    def bytes(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(self._seed + self._counter.to_bytes(8, "little")).digest()
            self._counter += 1
        return out[:n]

    def bits(self, k: int) -> int:
        return int.from_bytes(self.bytes((k + 7) // 8), "little") & ((1 << k) - 1)

    def below(self, n: int) -> int:
        """Uniform in [0, n) by rejection."""
        k = n.bit_length()
        while True:
            v = self.bits(k)
            if v < n:
                return v

    def field_value(self, p: int, i: int) -> int:
        """Values that exercise different carry paths, chosen by case index i: uniform, small,
        just below p, and limb patterns of all-ones/zero 64-bit words."""
        kind = i % 6
        if kind in (0, 1, 2):
            return self.below(p)
        if kind == 3:
            return self.bits(64)
        if kind == 4:
            return p - 1 - self.bits(64)
        limbs = []
        for _ in range(4):
            choice = self.below(3)
            limbs.append(0 if choice == 0 else (1 << 64) - 1 if choice == 1 else self.bits(64))
        return sum(limb << (64 * j) for j, limb in enumerate(limbs)) % p


def dec(v: int) -> str:
    return str(v)


def le_hex(v: int, n: int) -> str:
    return v.to_bytes(n, "little").hex()


def legendre(a: int, p: int) -> int:
    a %= p
    if a == 0:
        return 0
    return 1 if pow(a, (p - 1) // 2, p) == 1 else -1


def sqrt_mod(a: int, p: int):
    """A square root of a mod p (Tonelli-Shanks), or None for a non-residue. Checked by squaring."""
    a %= p
    if a == 0:
        return 0
    if legendre(a, p) != 1:
        return None
    s, t = 0, p - 1
    while t % 2 == 0:
        s, t = s + 1, t // 2
    z = 2
    while legendre(z, p) != -1:
        z += 1
    m, c, x, b = s, pow(z, t, p), pow(a, (t + 1) // 2, p), pow(a, t, p)
    while b != 1:
        i, b2 = 0, b
        while b2 != 1:
            b2, i = b2 * b2 % p, i + 1
        f = pow(c, 1 << (m - i - 1), p)
        m, c, x, b = i, f * f % p, x * f % p, b * f * f % p
    assert x * x % p == a
    return x


def small_root(root: int, p: int) -> int:
    """Of the two roots ±root, the one whose canonical value is <= (p-1)/2 (a fixed choice for the
    vectors; tests should accept either root anyway)."""
    return min(root % p, (-root) % p)


# ---- Fq2 = Fq[u]/(u^2 + 1), elements as (c0, c1) int pairs ----

def fq2_mul(a, b):
    return ((a[0] * b[0] - a[1] * b[1]) % Q, (a[0] * b[1] + a[1] * b[0]) % Q)


def fq2_legendre(a) -> int:
    """Quadratic character over Fq2 = character over Fq of the norm c0^2 + c1^2."""
    return legendre(a[0] * a[0] + a[1] * a[1], Q)


def fq2_sqrt(a):
    """A square root in Fq2 via the norm (q = 3 mod 4), or None for a non-residue. Checked by squaring."""
    a0, a1 = a[0] % Q, a[1] % Q
    if fq2_legendre((a0, a1)) == -1:
        return None
    if a1 == 0:
        r = sqrt_mod(a0, Q)
        root = (r, 0) if r is not None else (0, sqrt_mod(-a0, Q))
    else:
        alpha = sqrt_mod(a0 * a0 + a1 * a1, Q)
        half = pow(2, Q - 2, Q)
        delta = (a0 + alpha) * half % Q
        if legendre(delta, Q) != 1:
            delta = (a0 - alpha) * half % Q
        x0 = sqrt_mod(delta, Q)
        x1 = a1 * pow(2 * x0, Q - 2, Q) % Q
        root = (x0, x1)
    assert fq2_mul(root, root) == (a0, a1)
    return root


def sgn0_fq2(c) -> int:
    """RFC 9380 sgn0 for Fq2: parity of c0, or of c1 when c0 = 0."""
    return (c[0] & 1) if c[0] != 0 else (c[1] & 1)
