import TestSupport
import BN254
import ConstraintSystem
import FieldArithmetic
import PlonkVerifier
import Testing

@testable import PlonkProver

/// Batched logUp (docs/protocol.md §9) through the real prover and verifier: four lookups into table A (one
/// multiplicity, running sums [x0 + table], [x1, x2], [x3] at D = 4) and one into table B. Every cheat that
/// moves a value or a count out of place must fail the pairing check.
struct BatchedLookupTests {
    struct Circuit2 {
        let circuit: Circuit
        let x: [AdviceColumn]
        let y: AdviceColumn
        static let rows = 8

        init() throws {
            var cs = ConstraintSystemBuilder()
            x = (0..<4).map { cs.adviceColumn("x\($0)") }
            y = cs.adviceColumn("y")
            let qA = cs.fixedColumn("qA"), qB = cs.fixedColumn("qB")
            let tA = cs.fixedColumn("tA"), tB = cs.fixedColumn("tB")
            for (i, column) in x.enumerated() {
                cs.addLookup(LookupArgument(name: "a\(i)", selector: qA, inputs: [column.cur], table: [tA]))
            }
            cs.addLookup(LookupArgument(name: "b", selector: qB, inputs: [y.cur], table: [tB]))
            // A: 0…15 (and the zero rows below it). B: 100…115 on rows 0…15, 100 below.
            for v in 0..<16 { cs.setFixed(tA, row: v, Int64(v)) }
            for r in 0..<27 { cs.setFixed(tB, row: r, 100 + Int64(min(r, 15))) }
            cs.enable(qA, rows: 0..<Self.rows)
            cs.enable(qB, rows: 0..<Self.rows)
            circuit = try cs.build(log2Rows: 5)
        }

        /// x_i = (3r + i) mod 16 (so equal values appear across lookups), y = 100 + r; `edit` changes cells.
        func assignment(_ edit: (inout [[Int64]], inout [Int64]) -> Void = { _, _ in }) throws -> Assignment {
            var xs = (0..<4).map { i in (0..<Self.rows).map { r in Int64((3 * r + i) % 16) } }
            var ys = (0..<Self.rows).map { 100 + Int64($0) }
            edit(&xs, &ys)
            var w = Assignment(circuit: circuit)
            for r in 0..<Self.rows {
                for i in 0..<4 { try w.set(x[i], row: r, xs[i][r]) }
                try w.set(y, row: r, ys[r])
            }
            return w
        }
    }

    static let fixture = try! Circuit2()
    static let key = try! KeyGeneration.generate(circuit: fixture.circuit, srs: TestSRS.make(log2Size: fixture.circuit.log2Rows))

    func rejected(_ file: ProofFile, _ what: String) {
        #expect(throws: (any Error).self, Comment(rawValue: what)) { try PlonkVerifier.verify(key: Self.key.verifyingKey, proof: file) }
    }

    @Test func batchingAndHonestProof() throws {
        let c = Self.fixture.circuit
        #expect(c.quotientDegree == 4)
        #expect(c.lookupTableGroups == [[0, 1, 2, 3], [4]])
        #expect(c.lookupSums.map(\.lookups) == [[0], [1, 2], [3], [4]])
        let file = try PlonkProver.prove(key: Self.key, circuit: c, assignment: Self.fixture.assignment())
        try PlonkVerifier.verify(key: Self.key.verifyingKey, proof: file)
        #expect(file.body.count == ProofShape(c).bytes)
        #expect(file.body.count == Self.key.verifyingKey.circuit.proofBodyBytes)
        // 5 advice, 2 multiplicities, 4 sums, 3 quotient chunks, 2 openings; 5 + 4 + 2 + 4 at ζ; 4 at ωζ.
        #expect(file.body.count == 32 * (5 + 2 + 4 + 3 + 2 + (5 + 4 + 2 + 4) + 4))
    }

    /// An input outside its table in the sum that carries the table (x0), in the first and in the second
    /// slot of a two-input sum (x1, x2), and in table B (y): each fails, wherever it sits in the batch.
    @Test(arguments: [0, 1, 2, 3, 4])
    func inputOutsideTheTableIsRejected(column: Int) throws {
        let w = try Self.fixture.assignment { xs, ys in
            if column < 4 { xs[column][5] = 16 } else { ys[5] = 99 }
        }
        let file = try PlonkProver.proveUnchecked(key: Self.key, circuit: Self.fixture.circuit, assignment: w)
        rejected(file, "out-of-table input in column \(column)")
    }

    /// A value of table B used in a lookup of table A: the count can only go into B's multiplicity (B's
    /// table holds it), which moves weight between two tables' sums; both sums fail to close.
    @Test func countMovedBetweenTablesIsRejected() throws {
        let w = try Self.fixture.assignment { xs, _ in xs[1][2] = 100 }
        let file = try PlonkProver.proveWithMultiplicities({ table, m in
            if table == 1 { m[0] += .one }  // B's row 0 holds 100
        }, key: Self.key, circuit: Self.fixture.circuit, assignment: w)
        rejected(file, "A-input counted in B")
        // The same move with an honest witness (one count taken from A's row of value 5, given to B's row 0).
        let honest = try Self.fixture.assignment()
        let moved = try PlonkProver.proveWithMultiplicities({ table, m in
            if table == 0 { m[5] -= .one } else { m[0] += .one }
        }, key: Self.key, circuit: Self.fixture.circuit, assignment: honest)
        rejected(moved, "count moved from table A to table B")
    }

    /// Table A's multiplicities shifted down one row (the counts right, their rows wrong), and one count
    /// off by one: both rejected.
    @Test func wrongMultiplicityIsRejected() throws {
        let w = try Self.fixture.assignment()
        let shifted = try PlonkProver.proveWithMultiplicities({ table, m in
            if table == 0 { m = [.zero] + m.dropLast() }
        }, key: Self.key, circuit: Self.fixture.circuit, assignment: w)
        rejected(shifted, "shifted multiplicities")
        let offByOne = try PlonkProver.proveWithMultiplicities({ table, m in
            if table == 0 { m[3] += .one }
        }, key: Self.key, circuit: Self.fixture.circuit, assignment: w)
        rejected(offByOne, "one count too many")
        // The hook itself is honest when it changes nothing.
        let untouched = try PlonkProver.proveWithMultiplicities({ _, _ in }, key: Self.key, circuit: Self.fixture.circuit, assignment: w)
        try PlonkVerifier.verify(key: Self.key.verifyingKey, proof: untouched)
    }

    /// One byte flipped in each multiplicity and running-sum commitment (§14 items 2 and 4).
    @Test func flippedByteInTheLookupCommitmentsIsRejected() throws {
        let c = Self.fixture.circuit
        let file = try PlonkProver.prove(key: Self.key, circuit: c, assignment: Self.fixture.assignment())
        let first = c.adviceNames.count
        let points = c.lookupTableGroups.count + c.permutationChunks + c.lookupSums.count
        for item in first..<(first + points) {
            for byte in [0, 17, 31] {
                var bad = file
                bad.body[32 * item + byte] ^= 0x01
                rejected(bad, "item \(item) byte \(byte)")
            }
        }
    }
}
