import FieldArithmetic

/// The bound of an instance column (docs/protocol.md §10): every public value v, read as a signed integer
/// (its representative in (−r/2, r/2)), must satisfy −2^(b−1) ≤ v < 2^(b−1). b = 0 means unbounded.
///
/// Why it exists: a public value is otherwise any element of Fr, and an identity over public values only
/// holds modulo r. With b small (the compiler uses the activation bits B ≤ 32) every fold and gate identity
/// that reads public values is an identity of integers far below r, so a prover cannot move an input along
/// the kernel of a weight matrix modulo r (§17). The checker, and the verifier before any algebra (§15
/// step 1), test it with `contains`.
public struct PublicValueBound: Hashable, Sendable {
    /// b ≤ 253 keeps [−2^(b−1), 2^(b−1)) inside (−r/2, r/2) (r > 2^253), so the signed reading is exact.
    public static let maximumBits = 253

    public let bits: Int
    /// 2^(b−1): v is in range iff v + 2^(b−1), as a canonical integer, is below 2^b (2^b < r, no wrap).
    private let offset: Fr

    public init(bits: Int) {
        precondition((0...Self.maximumBits).contains(bits), "public value bound of \(bits) bits")
        self.bits = bits
        var power = Fr.one
        for _ in 0..<max(0, bits - 1) { power = power + power }
        offset = bits == 0 ? .zero : power
    }

    public var isUnbounded: Bool { bits == 0 }

    public func contains(_ value: Fr) -> Bool {
        guard bits > 0 else { return true }
        let c = (value + offset).canonicalLimbs
        func limb(_ i: Int) -> UInt64 {
            switch i {
            case 0: return c.0
            case 1: return c.1
            case 2: return c.2
            default: return c.3
            }
        }
        let full = bits / 64, partial = bits % 64
        // Every limb from `full` up must be zero, except that limb `full` may hold `partial` bits.
        for i in full..<4 {
            let allowed = i == full ? partial : 0
            if limb(i) >> UInt64(allowed) != 0 { return false }
        }
        return true
    }

    /// "[−2^(b−1), 2^(b−1))", or "unbounded".
    public var description: String { bits == 0 ? "unbounded" : "[−2^\(bits - 1), 2^\(bits - 1))" }
}
