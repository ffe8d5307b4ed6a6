import BN254
import FieldArithmetic

/// Ceremony SRSs the project can identify: their [τ]₂ (with the standard generators [1]₁, [1]₂), hence their
/// identities, are built into every verifier's trust list. Where each point was read, and how it was
/// cross-checked, is in params/README.md ("Built-in trusted ceremonies"); a ceremony that could not be
/// pinned from two independent sources is not here.
public struct KnownCeremony: Sendable {
    /// Short stable name, printed as the reason an identity is trusted.
    public let name: String
    /// What the ceremony is and which files carry it.
    public let summary: String
    public let tauG2: G2Affine

    public var identity: [UInt8] { KZGVerifierKey.identity(g1: .generator, g2: .generator, tauG2: tauG2) }
}

public enum KnownCeremonies {
    /// Coordinates as canonical big-endian hex, x = x.c0 + x.c1·u, y = y.c0 + y.c1·u (docs/encodings.md).
    struct Constant {
        let name: String
        let summary: String
        let x0: String, x1: String, y0: String, y1: String
    }

    static let constants: [Constant] = [
        Constant(
            name: "hermez-ptau",
            summary: "Hermez/Polygon powers of tau (snarkjs powersOfTau28_hez_final_*.ptau, every size; also halo2-kzg-srs 'hermez-raw-k')",
            x0: "30441fd1b5d3370482c42152a8899027716989a6996c2535bc9f7fee8aaef79e",
            x1: "26186a2d65ee4d2f9c9a5b91f86597d35f192cd120caf7e935d8443d1938e23d",
            y0: "054793348f12c0cf5622c340573cb277586319de359ab9389778f689786b1e48",
            y1: "1970ea81dd6992adfbc571effb03503adbbb6a857f578403c6c40e22d65b3c02"),
        Constant(
            name: "ppot-ezkl",
            summary: "Perpetual Powers of Tau as EZKL serves it (halo2-kzg-srs 'perpetual-powers-of-tau-raw-k', `ezkl get-srs`)",
            x0: "17944351223333f260ddc3b4af45191b856689eda9eab5cbcddbbe570ce860d2",
            x1: "186282957db913abd99f91db59fe69922e95040603ef44c0bd7aa3adeef8f5ac",
            y0: "297772d34bc9aa8ae56162486363ffe417b02dc7e8c207fc2cc20203e67a02ad",
            y1: "298adc7396bd3865cbf6d6df91bae406694e6d2215baa893bdeadb63052895f4"),
        Constant(
            name: "ppot-0085",
            summary: "Perpetual Powers of Tau challenge_0085 (Axiom/OpenVM 'kzg_bn254_k.srs')",
            x0: "2ae0c8c3a090f7200ff398ee9845bbae8f8c1445ae7b632212775f60a0e21600",
            x1: "172aa93c41f16e1e04d62ac976a5d945f4be0acab990c6dc19ac4a7cf68bf77b",
            y0: "1459fe6cc8a1222fd4290864ff9e47d4b8cf7a403593c7107c39538ddefd857e",
            y1: "1754a9fc3b7e4da9197c283c7401773208190c5555caf254e644e99c29366704"),
    ]

    /// Every built-in ceremony whose point decodes (on the twist, in the subgroup; `KnownCeremoniesTests`
    /// checks that all of them do).
    public static let all: [KnownCeremony] = constants.compactMap { c in
        guard let x0 = fq(c.x0), let x1 = fq(c.x1), let y0 = fq(c.y0), let y1 = fq(c.y1),
              let point = try? G2Affine(x: Fq2(x0, x1), y: Fq2(y0, y1)), !point.isInfinity, point.isInSubgroup
        else { return nil }
        return KnownCeremony(name: c.name, summary: c.summary, tauG2: point)
    }

    static func fq(_ hex: String) -> Fq? {
        guard let bytes = SRSTrustList.bytes(hex: hex), bytes.count == 32 else { return nil }
        return try? Fq(canonicalBytes: bytes.reversed())
    }
}
