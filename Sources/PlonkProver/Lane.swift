import FieldArithmetic
import PlonkVerifier

/// A value of the numerator on a block of coset points: a constant (challenges, literals) or one value
/// per point. Constants stay scalars so that `β + θ·x` costs one pass over the block, not three.
enum Lane {
    case scalar(Fr)
    case vector([Fr])

    static func map(_ a: [Fr], _ f: (Fr) -> Fr) -> [Fr] {
        [Fr](unsafeUninitializedCapacity: a.count) { out, count in
            a.withUnsafeBufferPointer { a in
                for i in 0..<a.count { (out.baseAddress! + i).initialize(to: f(a[i])) }
            }
            count = a.count
        }
    }

    static func zip(_ a: [Fr], _ b: [Fr], _ f: (Fr, Fr) -> Fr) -> [Fr] {
        precondition(a.count == b.count, "lanes of one block have one length")
        return [Fr](unsafeUninitializedCapacity: a.count) { out, count in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 0..<a.count { (out.baseAddress! + i).initialize(to: f(a[i], b[i])) }
                }
            }
            count = a.count
        }
    }

    static func add(_ x: Lane, _ y: Lane) -> Lane {
        switch (x, y) {
        case (.scalar(let a), .scalar(let b)): return .scalar(a + b)
        case (.vector(let a), .scalar(let b)), (.scalar(let b), .vector(let a)):
            return b.isZero ? .vector(a) : .vector(map(a) { $0 + b })
        case (.vector(let a), .vector(let b)): return .vector(zip(a, b) { $0 + $1 })
        }
    }

    static func subtract(_ x: Lane, _ y: Lane) -> Lane {
        switch (x, y) {
        case (.scalar(let a), .scalar(let b)): return .scalar(a - b)
        case (.vector(let a), .scalar(let b)): return .vector(map(a) { $0 - b })
        case (.scalar(let a), .vector(let b)): return .vector(map(b) { a - $0 })
        case (.vector(let a), .vector(let b)): return .vector(zip(a, b) { $0 - $1 })
        }
    }

    /// Block products go through `Fr.multiply(_:_:into:count:)` (eight at a time with AVX-512 IFMA).
    static func multiply(_ x: Lane, _ y: Lane) -> Lane {
        switch (x, y) {
        case (.scalar(let a), .scalar(let b)): return .scalar(a * b)
        case (.vector(let a), .scalar(let b)), (.scalar(let b), .vector(let a)):
            if b == .one || a.isEmpty { return .vector(a) }
            return .vector([Fr](unsafeUninitializedCapacity: a.count) { out, count in
                a.withUnsafeBufferPointer { Fr.multiply($0.baseAddress!, by: b, into: out.baseAddress!, count: a.count) }
                count = a.count
            })
        case (.vector(let a), .vector(let b)):
            precondition(a.count == b.count, "lanes of one block have one length")
            if a.isEmpty { return .vector(a) }
            return .vector([Fr](unsafeUninitializedCapacity: a.count) { out, count in
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { Fr.multiply(a.baseAddress!, $0.baseAddress!, into: out.baseAddress!, count: a.count) }
                }
                count = a.count
            })
        }
    }

    static func negate(_ x: Lane) -> Lane {
        switch x {
        case .scalar(let a): return .scalar(-a)
        case .vector(let a): return .vector(map(a) { -$0 })
        }
    }

    static func scale(_ x: Lane, _ c: Fr) -> Lane { multiply(x, .scalar(c)) }

    static var algebra: Numerator.Algebra<Lane> {
        Numerator.Algebra<Lane>(
            constant: { .scalar($0) }, add: add, subtract: subtract, multiply: multiply, negate: negate, scale: scale)
    }

    /// The block's values (a scalar repeated).
    func values(count: Int) -> [Fr] {
        switch self {
        case .scalar(let a): return [Fr](repeating: a, count: count)
        case .vector(let a): return a
        }
    }
}
