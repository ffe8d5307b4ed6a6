import FieldArithmetic

/// The one deterministic generator of the test suites (SplitMix64), so that a failing property test
/// reproduces from its seed. Never used outside tests: product randomness comes from OpenSSL.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly random field element (wide reduction of 64 random bytes).
    public mutating func element() -> Fr {
        var bytes: [UInt8] = []
        for _ in 0..<8 { withUnsafeBytes(of: next()) { bytes += $0 } }
        return Fr(wideBytes: bytes)
    }

    /// A random element from four words (the top one shortened so the reduction is cheap).
    public mutating func fr() -> Fr { Fr(reducing: (next(), next(), next(), next() >> 2)) }

    public mutating func frs(_ count: Int) -> [Fr] { (0..<count).map { _ in fr() } }
}

/// The name some suites use for the same generator.
public typealias SeededGenerator = SeededRandom
