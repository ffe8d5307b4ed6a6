import FieldArithmetic
@testable import ConstraintSystem

/// Deterministic generator (SplitMix64) so that a failing property test reproduces.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly random field element (wide reduction of 64 random bytes).
    mutating func element() -> Fr {
        var bytes: [UInt8] = []
        for _ in 0..<8 { withUnsafeBytes(of: next()) { bytes += $0 } }
        return Fr(wideBytes: bytes)
    }
}

extension Array where Element == ConstraintFailure {
    /// (gate or lookup name, row) of each gate/lookup failure, for compact assertions.
    var namesAndRows: [String] {
        compactMap { failure in
            guard let name = failure.constraintName, let row = failure.row else { return nil }
            return "\(name)@\(row)"
        }
    }
}
