"""Known-answer pairing vectors (pairing.json): py_ecc's optimized_bn128.pairing (optimal ate Miller
loop, then f^((q^12 - 1)/r)), checked once against py_ecc's plain bn128.pairing and, when MCL is
installed, against MCL (which applies a different but fixed hard-part exponent; see README)."""
from py_ecc import bn128
from py_ecc import optimized_bn128 as opt

from vec_common import BN_X, Q, R, Drbg, dec
from vec_curves import from_opt, point_json, to_opt
from vec_ext import fq12_json, pyecc_to_tower_flat

FC_EXPONENT = 2 * BN_X * (6 * BN_X * BN_X + 3 * BN_X + 1)  # Fuentes-Castaneda hard part multiple
ONE = opt.FQ12.one()


def g1(k):
    return from_opt("G1", opt.multiply(opt.G1, k))


def g2(k):
    return from_opt("G2", opt.multiply(opt.G2, k))


def e(p, q):
    """Reduced pairing with py_ecc's argument order pairing(Q in G2, P in G1)."""
    return opt.pairing(to_opt("G2", q), to_opt("G1", p))


def miller(p, q):
    return opt.pairing(to_opt("G2", q), to_opt("G1", p), final_exponentiate=False)


def neg1(p):
    return None if p is None else (p[0], (-p[1]) % Q)


def pairing_vectors(seed: str, mcl=None) -> dict:
    drbg = Drbg(seed)
    pairs = []
    for a, b in [(1, 1), (2, 1), (drbg.below(R), drbg.below(R)), (drbg.below(R), drbg.below(R))]:
        p, q = g1(a), g2(b)
        v = e(p, q)
        fc = v ** FC_EXPONENT
        if a == 1 and b == 1:
            plain = bn128.pairing(bn128.G2, bn128.G1)
            assert [c.n for c in plain.coeffs] == [int(c) for c in v.coeffs]
        if mcl is not None:
            assert mcl.pairing_tower(p, q) == pyecc_to_tower_flat(fc)
        pairs.append({"a": dec(a), "b": dec(b), "p": point_json("G1", p), "q": point_json("G2", q),
                      "e": fq12_json(v), "e_fc": fq12_json(fc)})
    degenerate = []
    for p, q in [(None, g2(1)), (g1(1), None)]:
        v = e(p, q)
        assert v == ONE
        degenerate.append({"p": point_json("G1", p), "q": point_json("G2", q), "e": fq12_json(v)})

    bilinear = []
    for _ in range(2):
        s, t, a, b = (drbg.below(R) for _ in range(4))
        p, q = g1(s), g2(t)
        e_pq = e(p, q)
        ap, bq = from_opt("G1", opt.multiply(to_opt("G1", p), a)), from_opt("G2", opt.multiply(to_opt("G2", q), b))
        e_ab = e(ap, bq)
        holds = e_ab == e_pq ** (a * b % R)
        assert holds
        bilinear.append({"p": point_json("G1", p), "q": point_json("G2", q), "a": dec(a), "b": dec(b),
                         "ab_mod_r": dec(a * b % R), "ap": point_json("G1", ap), "bq": point_json("G2", bq),
                         "e_pq": fq12_json(e_pq), "e_ap_bq": fq12_json(e_ab), "holds": holds})

    products = []
    a, b, s, t = (drbg.below(R) for _ in range(4))
    P, Qp = g1(s), g2(t)
    cases = [
        ("e(aG1, G2) * e(-G1, aG2) = 1", [(g1(a), g2(1)), (neg1(g1(1)), g2(a))]),
        ("e(aP, bQ) * e(-(ab)P, Q) = 1",
         [(from_opt("G1", opt.multiply(to_opt("G1", P), a)), from_opt("G2", opt.multiply(to_opt("G2", Qp), b))),
          (neg1(from_opt("G1", opt.multiply(to_opt("G1", P), a * b % R))), Qp)]),
        ("e(aP, Q) * e(bP, Q) * e(-(a+b)P, Q) = 1",
         [(from_opt("G1", opt.multiply(to_opt("G1", P), k)), Qp) for k in (a, b)]
         + [(neg1(from_opt("G1", opt.multiply(to_opt("G1", P), (a + b) % R))), Qp)]),
        ("e(aG1, G2) * e(-G1, (a+1)G2) != 1 (tampered)", [(g1(a), g2(1)), (neg1(g1(1)), g2(a + 1))]),
    ]
    for label, prs in cases:
        prod = ONE
        f = ONE
        for p, q in prs:
            prod = prod * e(p, q)
            f = f * miller(p, q)
        assert opt.final_exponentiate(f) == prod  # one final exponentiation of the Miller-loop product
        products.append({"label": label,
                         "pairs": [{"p": point_json("G1", p), "q": point_json("G2", q)} for p, q in prs],
                         "is_one": prod == ONE})
    assert [c["is_one"] for c in products] == [True, True, True, False]

    return {
        "function": "py_ecc.optimized_bn128.pairing(Q, P) with Q in G2, P in G1 (py_ecc 8.0.0): optimal "
                    "ate Miller loop over 6x+2 = 29793968203157093288 (signed-digit form) with the two "
                    "Frobenius line steps, then f^((q^12 - 1)/r) computed as one plain exponentiation. "
                    "Identical to py_ecc.bn128.pairing (checked for e(G1, G2)).",
        "representation": "GT elements are py_ecc FQ12 coefficient lists [c0..c11] (see fq12.json)",
        "e_fc": "e^(2x(6x^2+3x+1)) with x = 4965661367192848881: the value produced by a final "
                "exponentiation whose hard part is the Fuentes-Castaneda multiple (MCL does this); the "
                "generator checks it against MCL (mclbn256, CurveSNARK1) unless --no-mcl",
        "generated_by": "bench/vectors/generate_bn254.py",
        "pairs": pairs,
        "degenerate": degenerate,
        "bilinearity": bilinear,
        "products": products,
    }
