import FieldArithmetic

/// An integer matrix M with `powers` rows and `outputs` columns. Folded at a challenge ρ it gives the row
/// vector u = (ρ^0, ρ^1, …, ρ^(powers−1)) · M, i.e. u_j = Σ_i ρ^i · M[i][j] — for a weight matrix W (rows =
/// output neurons) this is u = ρᵀW of the folded linear argument (docs/protocol.md §11).
///
/// Entries are small signed integers (quantized weights, biases, ±1): the verifier recomputes the fold
/// from them on every verification, so they live in the verifying key as integers, not field elements.
public struct FoldMatrix: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public let power: Int
        public let output: Int
        public let value: Int64
        public init(power: Int, output: Int, value: Int64) {
            self.power = power
            self.output = output
            self.value = value
        }
    }

    public enum Storage: Hashable, Sendable {
        /// Row-major, `powers × outputs` values.
        case dense([Int64])
        /// Only the non-zero entries, sorted by (power, output); for structured maps such as convolutions.
        case sparse([Entry])
    }

    public let powers: Int
    public let outputs: Int
    public let storage: Storage

    /// A dense matrix, row-major (`values[i * outputs + j]` is M[i][j]).
    public init(powers: Int, outputs: Int, dense values: [Int64]) throws {
        guard powers >= 1, outputs >= 1, values.count == powers * outputs else {
            throw ConstraintSystemError.invalidFoldMatrix(
                "dense matrix \(powers)×\(outputs) needs \(powers * outputs) values, got \(values.count)")
        }
        self.powers = powers
        self.outputs = outputs
        self.storage = .dense(values)
    }

    /// A sparse matrix; entries must be in range and not repeated (zeros are dropped).
    public init(powers: Int, outputs: Int, entries: [Entry]) throws {
        guard powers >= 1, outputs >= 1 else {
            throw ConstraintSystemError.invalidFoldMatrix("sparse matrix needs at least 1×1, got \(powers)×\(outputs)")
        }
        for e in entries {
            guard (0..<powers).contains(e.power), (0..<outputs).contains(e.output) else {
                throw ConstraintSystemError.invalidFoldMatrix(
                    "entry (\(e.power), \(e.output)) outside \(powers)×\(outputs)")
            }
        }
        // Repeats are adjacent once sorted. Keys arrive sorted (the encoder writes them so), and checking
        // that in one pass avoids hashing every entry: decoding a key with ~50k weights spent most of its
        // time in a Set.
        func before(_ a: Entry, _ b: Entry) -> Bool { (a.power, a.output) < (b.power, b.output) }
        var ordered = true
        for i in entries.indices.dropFirst() where !before(entries[i - 1], entries[i]) {
            ordered = false
            break
        }
        let sorted = ordered ? entries : entries.sorted(by: before)
        for i in sorted.indices.dropFirst() where !before(sorted[i - 1], sorted[i]) {
            throw ConstraintSystemError.invalidFoldMatrix("entry (\(sorted[i].power), \(sorted[i].output)) given twice")
        }
        self.powers = powers
        self.outputs = outputs
        self.storage = .sparse(sorted.contains { $0.value == 0 } ? sorted.filter { $0.value != 0 } : sorted)
    }

    /// u_j = scale · ρ^(firstPower + j) for j < count: a column of challenge powers (e.g. −ρ^i against the
    /// outputs y_i of a folded layer).
    public static func powers(count: Int, firstPower: Int = 0, scale: Int64 = 1) throws -> FoldMatrix {
        guard count >= 1, firstPower >= 0 else {
            throw ConstraintSystemError.invalidFoldMatrix("powers(count: \(count), firstPower: \(firstPower))")
        }
        return try FoldMatrix(
            powers: firstPower + count, outputs: count,
            entries: (0..<count).map { Entry(power: firstPower + $0, output: $0, value: scale) })
    }

    /// The number of stored non-zero entries (the verifier's work for the fold is about one multiply each).
    public var nonZeroCount: Int {
        switch storage {
        case .dense(let values): return values.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        case .sparse(let entries): return entries.count
        }
    }

    /// u = (ρ^0 … ρ^(powers−1)) · M, given those powers.
    public func fold(powersOfChallenge p: [Fr]) -> [Fr] {
        precondition(p.count >= powers, "fold needs \(powers) powers of the challenge")
        var u = [Fr](repeating: .zero, count: outputs)
        switch storage {
        case .dense(let values):
            for i in 0..<powers {
                let rowStart = i * outputs
                for j in 0..<outputs where values[rowStart + j] != 0 {
                    u[j] = u[j] + p[i] * Fr(signed: values[rowStart + j])
                }
            }
        case .sparse(let entries):
            for e in entries { u[e.output] = u[e.output] + p[e.power] * Fr(signed: e.value) }
        }
        return u
    }
}

/// Where the values of part of a challenge column come from. Each segment uses one challenge.
public struct ChallengeSegment: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// Rows `startRow + j` hold u_j = Σ_i ρ^i · M[i][j] for j < M.outputs.
        case fold(FoldMatrix)
        /// Row `startRow` holds Σ_j u_j · x_j with u = ρᵀM and x_j the public value in `instance` at row
        /// `instanceStart + j`: a layer whose input is public, folded entirely by the verifier.
        case publicFold(FoldMatrix, instance: InstanceColumn, instanceStart: Int)
    }

    public let challenge: Challenge
    public let startRow: Int
    public let source: Source

    public init(challenge: Challenge, startRow: Int, source: Source) {
        self.challenge = challenge
        self.startRow = startRow
        self.source = source
    }

    /// Rows `startRow..<startRow + rowCount` are defined by this segment.
    public var rowCount: Int {
        switch source {
        case .fold(let m): return m.outputs
        case .publicFold: return 1
        }
    }

    public var matrix: FoldMatrix {
        switch source {
        case .fold(let m), .publicFold(let m, _, _): return m
        }
    }

    /// The segment's (row, value) pairs for a challenge value ρ and the public values; rows whose value is
    /// zero are left out (a challenge column is zero wherever no segment says otherwise).
    ///
    /// Work and memory are O(stored entries) — O(powers × outputs) for dense storage, whose entries are all
    /// stored — never O(powers) or O(outputs) alone: both are counts in an untrusted key, and a sparse
    /// matrix with 2^28 powers and no entries costs a few bytes of key (docs/proof-format.md, "Decoder
    /// bounds").
    public func values(challenge rho: Fr, instance: (InstanceColumn, Int) -> Fr) -> [(row: Int, value: Fr)] {
        let m = matrix
        if case .publicFold(_, let column, let start) = source {
            let total = m.foldPublic(challenge: rho) { instance(column, start + $0) }
            return total.isZero ? [] : [(row: startRow, value: total)]
        }
        return m.foldNonZero(challenge: rho).map { (row: startRow + $0.output, value: $0.value) }
    }

    /// The value as a signed integer of magnitude below 2^31, if it is one (so products with matrix entries
    /// below 2^31 stay below 2^62).
    static func smallSigned(_ value: Fr) -> Int64? {
        let c = value.canonicalLimbs
        if c.1 == 0, c.2 == 0, c.3 == 0, c.0 < 1 << 31 { return Int64(c.0) }
        let n = (-value).canonicalLimbs
        if n.1 == 0, n.2 == 0, n.3 == 0, n.0 < 1 << 31 { return -Int64(n.0) }
        return nil
    }
}

extension FoldMatrix {
    /// t = M·x (t_i = Σ_j M[i][j]·x_j) in exact integers, or nil if an entry of M or x is 2^31 or more in
    /// magnitude or a sum overflows Int64 (callers then fall back to field arithmetic).
    public func multiply(_ x: [Int64]) -> [Int64]? {
        precondition(x.count == outputs, "multiply needs \(outputs) values")
        var t = [Int64](repeating: 0, count: powers)
        func accumulate(_ i: Int, _ weight: Int64, _ value: Int64) -> Bool {
            guard weight.magnitude < 1 << 31, value.magnitude < 1 << 31 else { return false }
            let (sum, overflow) = t[i].addingReportingOverflow(weight * value)
            t[i] = sum
            return !overflow
        }
        switch storage {
        case .dense(let values):
            for i in 0..<powers {
                for j in 0..<outputs where values[i * outputs + j] != 0 {
                    guard accumulate(i, values[i * outputs + j], x[j]) else { return nil }
                }
            }
        case .sparse(let entries):
            for e in entries { guard accumulate(e.power, e.value, x[e.output]) else { return nil } }
        }
        return t
    }
}

/// ρ^p for ascending p, stepping from the previous power: one multiplication per step for nearby powers,
/// square-and-multiply across long gaps. Nothing is allocated, so a fold never costs O(powers) memory.
struct ChallengePowerWalk {
    let rho: Fr
    private(set) var power = 0
    private(set) var value = Fr.one

    init(_ rho: Fr) { self.rho = rho }

    /// ρ^p; `p` must not be below the previous call's.
    mutating func advance(to p: Int) -> Fr {
        let gap = p - power
        if gap <= 64 {
            for _ in 0..<gap { value = value * rho }
        } else {
            value = value * rho.power(UInt64(gap))
        }
        power = p
        return value
    }
}

extension FoldMatrix {
    /// The non-zero u_j of u = ρᵀM, by output j ascending. O(stored entries) time and memory (see
    /// `ChallengeSegment.values`): the output array is only used when it is no larger than a small
    /// multiple of the entries; otherwise the contributions are sorted and merged.
    public func foldNonZero(challenge rho: Fr) -> [(output: Int, value: Fr)] {
        switch storage {
        case .dense(let values):
            // All powers × outputs entries are stored (8 bytes each), so an outputs-sized array is bounded.
            var u = [Fr](repeating: .zero, count: outputs)
            var p = Fr.one
            for i in 0..<powers {
                let rowStart = i * outputs
                for j in 0..<outputs where values[rowStart + j] != 0 { u[j] = u[j] + p * Fr(signed: values[rowStart + j]) }
                p = p * rho
            }
            return u.enumerated().compactMap { $0.element.isZero ? nil : (output: $0.offset, value: $0.element) }
        case .sparse(let entries):
            var walk = ChallengePowerWalk(rho)
            if outputs <= 4 * entries.count + 64 {
                var u = [Fr](repeating: .zero, count: outputs)
                for e in entries { u[e.output] = u[e.output] + walk.advance(to: e.power) * Fr(signed: e.value) }
                return u.enumerated().compactMap { $0.element.isZero ? nil : (output: $0.offset, value: $0.element) }
            }
            var terms = entries.map { e in (output: e.output, value: walk.advance(to: e.power) * Fr(signed: e.value)) }
            terms.sort { $0.output < $1.output }
            var merged: [(output: Int, value: Fr)] = []
            for t in terms {
                if let last = merged.last, last.output == t.output {
                    merged[merged.count - 1].value = last.value + t.value
                } else {
                    merged.append(t)
                }
            }
            return merged.filter { !$0.value.isZero }
        }
    }

    /// Σ_j u_j·x_j with u = ρᵀM, reading x_j only where M has an entry. Public inputs are small integers,
    /// so each power's row M_i·x is summed exactly in Int64 and weighted by ρ^i once — a few nanoseconds per
    /// weight instead of a field multiplication; values or weights of 2^31 or more in magnitude (or an
    /// overflowing sum) go through the field instead, with the same result.
    public func foldPublic(challenge rho: Fr, x: (Int) -> Fr) -> Fr {
        switch storage {
        case .dense:
            // Dense storage holds all powers × outputs entries: reading every x_j is within that bound.
            let xs = (0..<outputs).map(x)
            let integers = xs.compactMap(ChallengeSegment.smallSigned)
            if integers.count == xs.count, let t = multiply(integers) {
                var total = Fr.zero
                for ti in t.reversed() { total = total * rho + Fr(signed: ti) }
                return total
            }
            return zip(foldDense(challenge: rho), xs).reduce(Fr.zero) { $0 + $1.0 * $1.1 }
        case .sparse(let entries):
            // x_j converted once per output when that is cheaper than once per entry.
            let small: [Int64?]? = outputs <= entries.count ? (0..<outputs).map { ChallengeSegment.smallSigned(x($0)) } : nil
            var walk = ChallengePowerWalk(rho)
            var total = Fr.zero
            var i = 0
            while i < entries.count {
                let power = entries[i].power
                var exact: Int64 = 0
                var field = Fr.zero
                while i < entries.count, entries[i].power == power {
                    let e = entries[i]
                    let xj = small.map { $0[e.output] } ?? ChallengeSegment.smallSigned(x(e.output))
                    if let xj, e.value.magnitude < 1 << 31,
                        case let (sum, overflow) = exact.addingReportingOverflow(e.value * xj), !overflow
                    {
                        exact = sum
                    } else {
                        field = field + Fr(signed: e.value) * x(e.output)
                    }
                    i += 1
                }
                total = total + walk.advance(to: power) * (Fr(signed: exact) + field)
            }
            return total
        }
    }

    /// u = ρᵀM for dense storage (all outputs).
    private func foldDense(challenge rho: Fr) -> [Fr] {
        var u = [Fr](repeating: .zero, count: outputs)
        for (j, value) in foldNonZero(challenge: rho) { u[j] = value }
        return u
    }
}
