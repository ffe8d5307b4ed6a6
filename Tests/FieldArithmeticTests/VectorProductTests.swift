import TestSupport
import FieldArithmetic
import Testing

/// `Fr.multiply(_:_:into:count:)` and `multiply(_:by:into:count:)` (eight at a time on AVX-512 IFMA) against
/// the scalar product, on random values and the edges 0, 1 and p − 1, every count from 0 to 40 (full blocks of
/// eight and the scalar tail), written over an input, and nothing written past the count.
@Suite(.serialized) struct VectorProductTests {
    static func values(_ count: Int, seed: UInt64) -> [Fr] {
        var rng = SeededRandom(seed: seed)
        var v = rng.frs(count)
        let edges: [Fr] = [.zero, .one, -Fr.one, -Fr(2), Fr(UInt64.max)]
        for (i, e) in edges.enumerated() where i * 3 < count { v[i * 3] = e }
        return v
    }

    @Test(arguments: [true, false]) func productsAgreeWithTheScalarProduct(vector: Bool) {
        Fr.vectorProductsEnabled = vector && Fr.vectorProductsEnabled
        defer { Fr.vectorProductsEnabled = VectorProductTests.available }
        for count in 0...40 {
            // One spare element each, so that count 0 still has pointers to pass.
            let a = Self.values(count + 1, seed: UInt64(count)), b = Self.values(count + 1, seed: UInt64(1000 + count))
            var out = [Fr](repeating: .zero, count: count + 1)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { Fr.multiply(a.baseAddress!, b.baseAddress!, into: $0.baseAddress!, count: count) }
                }
            }
            #expect(Array(out[0..<count]) == zip(a, b).prefix(count).map { $0 * $1 }, "count \(count)")
            #expect(out[count] == .zero, "nothing written past count \(count)")
            let c = Self.values(1, seed: UInt64(7 + count))[0]
            var inPlace = a
            inPlace.withUnsafeMutableBufferPointer { Fr.multiply($0.baseAddress!, by: c, into: $0.baseAddress!, count: count) }
            #expect(inPlace == a.prefix(count).map { $0 * c } + a.suffix(1), "scaled in place, count \(count)")
            for c in [Fr.zero, .one, -Fr.one] {
                var scaled = a
                scaled.withUnsafeMutableBufferPointer { Fr.multiply($0.baseAddress!, by: c, into: $0.baseAddress!, count: count) }
                #expect(scaled == a.prefix(count).map { $0 * c } + a.suffix(1), "scaled by an edge, count \(count)")
            }
        }
    }

    static let available = Fr.vectorProductsEnabled
}
