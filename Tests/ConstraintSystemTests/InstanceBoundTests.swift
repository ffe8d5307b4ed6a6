import FieldArithmetic
import Testing

@testable import ConstraintSystem

/// The bound of an instance column (docs/protocol.md §10): public values read as signed integers must lie
/// in [−2^(b−1), 2^(b−1)); b = 0 is unbounded. Checked at both ends, for limb-boundary widths, and for
/// field elements that are small only modulo r.
struct InstanceBoundTests {
    /// 2^e as a field element.
    func power(_ e: Int) -> Fr {
        var p = Fr.one
        for _ in 0..<e { p = p + p }
        return p
    }

    @Test(arguments: [1, 2, 8, 32, 63, 64, 65, 127, 128, 200, 253])
    func edgesAreExact(_ bits: Int) {
        let bound = PublicValueBound(bits: bits)
        let half = power(bits - 1)
        #expect(bound.contains(.zero))
        #expect(bound.contains(half - .one), "largest value")
        #expect(bound.contains(-half), "smallest value")
        #expect(!bound.contains(half), "2^(b−1) is outside")
        #expect(!bound.contains(-half - .one), "−2^(b−1) − 1 is outside")
        #expect(!bound.contains(half + half), "2^b")
    }

    @Test func unboundedAcceptsEverything() {
        let bound = PublicValueBound(bits: 0)
        #expect(bound.isUnbounded)
        for v in [Fr.zero, Fr.one, -Fr.one, power(252), -power(200) + Fr(7)] { #expect(bound.contains(v)) }
    }

    /// Values that are large field elements (a kernel step modulo r is one) are never taken for small ones.
    @Test func largeFieldElementsAreOutside() {
        let bound = PublicValueBound(bits: 32)
        #expect(!bound.contains(power(120) + Fr(5)))
        #expect(!bound.contains(-power(120)))
        #expect(!bound.contains(power(252)))
        #expect(!bound.contains(-power(252)))
        // (r − 1)/2 and its neighbours: the ends of the signed reading.
        let halfR = -Fr.one * Fr(2).inverse()  // = (r − 1)/2
        #expect(!bound.contains(halfR) && !bound.contains(halfR + .one) && !bound.contains(-halfR))
    }

    @Test func builderRefusesBoundsOutsideTheField() throws {
        var cs = ConstraintSystemBuilder()
        _ = cs.instanceColumn("x", length: 1, bits: 254)
        #expect(throws: ConstraintSystemError.invalidInstanceBound(InstanceColumn(index: 0), bits: 254)) { _ = try cs.build() }
        var ok = ConstraintSystemBuilder()
        _ = ok.instanceColumn("x", length: 1, bits: 253)
        #expect(try ok.build().instanceBits == [253])
    }

    /// The checker reports every public value outside its column's bound, with the column, row and value.
    @Test func checkerReportsOutOfRangePublicValues() throws {
        var cs = ConstraintSystemBuilder()
        let a = cs.adviceColumn("a")
        let x = cs.instanceColumn("x", length: 3, bits: 8)
        let q = cs.fixedColumn("q")
        cs.addGate(name: "eq", selector: q, constraints: [a.cur - x.cur])
        cs.enable(q, rows: 0..<3)
        let circuit = try cs.build()
        var w = Assignment(circuit: circuit)
        for (row, v) in [Int64(127), -128, 128].enumerated() {
            try w.set(a, row: row, v)
            try w.set(x, row: row, v)
        }
        let failures = ConstraintChecker.check(circuit, w)
        #expect(failures == [.publicValueOutOfRange(cell: Cell(x, 2), name: "x", value: Fr(128), bits: 8)])
        #expect(failures[0].description.contains("x[2] = 128 is outside its column's bound [−2^7, 2^7)"))
        // The same witness passes once the column is unbounded: the gate itself is satisfied.
        #expect(ConstraintChecker.check(circuit.withInstanceBits([0]), w).isEmpty)
    }
}
