import FieldArithmetic
import Parallelism
import Synchronization

/// The multiplicative subgroup H = {1, ω, …, ω^(n−1)} of Fr with n = 2^log2Size (log2Size ≤ 28, the
/// two-adicity of r − 1), with what the NTT needs precomputed: the twiddles ω^0 … ω^(n/2−1) and 1/n.
/// Cosets use g = 5 (a generator of Fr*, so g·H ∩ H = ∅ for every such H).
///
/// A domain of 2^k points holds 2^(k−1) twiddles (16·2^k bytes); the inverse transform reuses them (see
/// `NTT.swift`), so there is one table per domain. Domains are immutable and safe to share across threads.
public final class EvaluationDomain: @unchecked Sendable {
    public let log2Size: Int
    public let size: Int
    /// ω, a primitive n-th root of unity.
    public let generator: Fr
    public let generatorInverse: Fr
    public let sizeInverse: Fr
    /// The coset shift g and its inverse.
    public let cosetShift: Fr
    public let cosetShiftInverse: Fr
    /// ω^i for i in 0..<n/2 (empty for n = 1).
    @usableFromInline let twiddles: UnsafeMutableBufferPointer<Fr>
    /// The IFMA stages' twiddles (`NTT+IFMA.swift`), made by the first transform that needs them.
    let ifmaTwiddles = Mutex<UnsafeMutablePointer<UInt64>?>(nil)
    /// g^i and g^(−i)/n for the coset transforms' scalings with vector products (`scaleByCosetPowers`).
    let cosetPowers = Mutex<[UnsafeMutablePointer<Fr>?]>([nil, nil])

    public static let maximumLog2Size = Fr.twoAdicity

    public init(log2Size: Int) throws {
        guard (0...Self.maximumLog2Size).contains(log2Size) else {
            throw PolynomialError.domainTooLarge(log2Size: log2Size, maximum: Self.maximumLog2Size)
        }
        self.log2Size = log2Size
        size = 1 << log2Size
        generator = Fr.rootOfUnity(log2Size: log2Size)
        generatorInverse = generator.inverse()
        sizeInverse = Fr(UInt64(size)).inverse()
        cosetShift = Fr.multiplicativeGenerator
        cosetShiftInverse = cosetShift.inverse()
        let half = size / 2
        twiddles = .allocate(capacity: half)
        Self.fillPowers(twiddles, of: generator, startingAt: .one)
    }

    /// The smallest domain with at least `count` points.
    public convenience init(atLeast count: Int) throws {
        var log2 = 0
        while (1 << log2) < count {
            log2 += 1
            if log2 > Self.maximumLog2Size {
                throw PolynomialError.domainTooLarge(log2Size: log2, maximum: Self.maximumLog2Size)
            }
        }
        try self.init(log2Size: log2)
    }

    deinit {
        twiddles.deallocate()
        ifmaTwiddles.withLock { $0?.deallocate() }
        cosetPowers.withLock { tables in for table in tables { table?.deallocate() } }
    }

    /// ω^i for any i ≥ 0.
    public func element(_ i: Int) -> Fr {
        let reduced = i & (size - 1)
        if reduced < size / 2 { return twiddles[reduced] }
        return -twiddles[reduced - size / 2]  // ω^(n/2) = −1
    }

    /// All n elements 1, ω, …, ω^(n−1).
    public var elements: [Fr] {
        var out = [Fr](repeating: .zero, count: size)
        out.withUnsafeMutableBufferPointer { Self.fillPowers($0, of: generator, startingAt: .one) }
        return out
    }

    /// Z_H(x) = x^n − 1.
    public func evaluateVanishing(at x: Fr) -> Fr {
        var power = x
        for _ in 0..<log2Size { power = power.squared() }
        return power - .one
    }

    /// Writes start·base^i into out[i], in parallel chunks that each begin with one exponentiation.
    @inlinable
    public static func fillPowers(_ out: UnsafeMutableBufferPointer<Fr>, of base: Fr, startingAt start: Fr) {
        Parallel.forEachChunk(of: out.count, minimumChunk: 4096) { range in
            var value = start * base.power(UInt64(range.lowerBound))
            for i in range {
                out[i] = value
                value *= base
            }
        }
    }
}

/// Why a polynomial operation could not be done.
public enum PolynomialError: Error, Equatable, CustomStringConvertible, Sendable {
    case domainTooLarge(log2Size: Int, maximum: Int)
    case sizeMismatch(expected: Int, actual: Int)
    case notDivisible
    case repeatedPoint(index: Int)
    case pointInDomain

    public var description: String {
        switch self {
        case .domainTooLarge(let log2Size, let maximum):
            return "evaluation domain of 2^\(log2Size) points is larger than Fr allows (2^\(maximum))"
        case .sizeMismatch(let expected, let actual):
            return "expected \(expected) values for this domain, got \(actual)"
        case .notDivisible:
            return "polynomial is not divisible by the vanishing polynomial of the domain"
        case .repeatedPoint(let index):
            return "interpolation points repeat (point \(index))"
        case .pointInDomain:
            return "point lies in the evaluation domain; use the value at that index instead"
        }
    }
}
