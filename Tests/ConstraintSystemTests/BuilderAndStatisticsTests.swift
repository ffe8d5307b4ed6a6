import TestSupport
import FieldArithmetic
import Testing

@testable import ConstraintSystem

struct BuilderTests {
    @Test func sizeIsTheSmallestThatLeavesTheReservedRows() throws {
        // 59 usable rows fit 2^6 = 64 − 5; 60 need 2^7.
        for (rows, k) in [(1, 3), (3, 3), (4, 4), (59, 6), (60, 7), (507, 9), (508, 10)] {
            var cs = ConstraintSystemBuilder()
            _ = cs.adviceColumn("a")
            cs.requireRows(rows)
            let circuit = try cs.build()
            #expect(circuit.log2Rows == k, "rows \(rows)")
            #expect(circuit.usableRows == (1 << k) - 5 && circuit.lastRow == circuit.usableRows)
        }
    }

    @Test func tooSmallSizeNamesTheSizeNeeded() throws {
        var cs = ConstraintSystemBuilder()
        let q = cs.fixedColumn("q")
        let a = cs.adviceColumn("a")
        cs.addGate(name: "step", selector: q, constraints: [a.next - a.cur])
        cs.enable(q, rows: 0..<27)  // row 26 reads row 27: 28 usable rows needed, 2^5 leaves 27
        #expect(throws: ConstraintSystemError.tooManyRows(
            rowsNeeded: 28, log2Rows: 5, usableRows: 27, reservedRows: 5, minimumLog2Rows: 6)) {
            try cs.build(log2Rows: 5)
        }
        let error = ConstraintSystemError.tooManyRows(
            rowsNeeded: 28, log2Rows: 5, usableRows: 27, reservedRows: 5, minimumLog2Rows: 6)
        #expect(error.description.contains("use log2 rows ≥ 6"))
        #expect(try cs.build().log2Rows == 6)
        #expect(try cs.build(log2Rows: 8).log2Rows == 8)
        #expect(throws: ConstraintSystemError.unsupportedSize(log2Rows: 29, supported: 3...28)) {
            try cs.build(log2Rows: 29)
        }
    }

    @Test func invalidCircuitsAreRejectedWithTheirReason() throws {
        var base = ConstraintSystemBuilder()
        let q = base.fixedColumn("q")
        let a = base.adviceColumn("a")
        let ghost = AdviceColumn(index: 5)

        var duplicate = base
        duplicate.addGate(name: "g", selector: q, constraints: [a.cur])
        duplicate.addLookup(LookupArgument(name: "g", selector: q, inputs: [a.cur], table: [q]))
        #expect(throws: ConstraintSystemError.duplicateName("g")) { try duplicate.build() }

        var unknown = base
        unknown.addGate(name: "g", selector: q, constraints: [ghost.cur])
        #expect(throws: ConstraintSystemError.unknownColumn(ghost.column, context: "gate \"g\"")) { try unknown.build() }

        var empty = base
        empty.addGate(name: "e", selector: q, constraints: [])
        #expect(throws: ConstraintSystemError.emptyGate("e")) { try empty.build() }

        var arity = base
        arity.addLookup(LookupArgument(name: "l", selector: q, inputs: [a.cur, a.cur], table: [q]))
        #expect(throws: ConstraintSystemError.self) { try arity.build() }

        var challengeCopy = base
        let cc = challengeCopy.challengeColumn("c")
        challengeCopy.copy(cc.at(0), a.at(0))
        #expect(throws: ConstraintSystemError.copyOfChallengeColumn(cc.at(0))) { try challengeCopy.build() }

        var overlap = base
        let rho = overlap.challenge("rho")
        let col = overlap.challengeColumn("u")
        overlap.defineChallengeValues(col, ChallengeSegment(challenge: rho, startRow: 0, source: .fold(try .powers(count: 3))))
        overlap.defineChallengeValues(col, ChallengeSegment(challenge: rho, startRow: 2, source: .fold(try .powers(count: 1))))
        #expect(throws: ConstraintSystemError.overlappingSegments(col, row: 2)) { try overlap.build() }

        var publicRow = base
        let pub = publicRow.instanceColumn("p", length: 2)
        publicRow.copy(pub.at(2), a.at(0))
        #expect(throws: ConstraintSystemError.instanceOutOfRange(pub, row: 2, length: 2)) { try publicRow.build() }

        var phase = base
        _ = phase.adviceColumn("bad", phase: 0)
        #expect(throws: ConstraintSystemError.invalidPhase(name: "bad", phase: 0)) { try phase.build() }
    }

    @Test func assignmentRejectsCellsOutsideTheUsableRows() throws {
        var cs = ConstraintSystemBuilder()
        let a = cs.adviceColumn("a")
        let p = cs.instanceColumn("p", length: 3)
        let circuit = try cs.build(log2Rows: 4)
        var w = Assignment(circuit: circuit)
        try w.set(a, row: 10, 1)
        #expect(throws: ConstraintSystemError.rowOutOfRange(a.at(11), usableRows: 11)) { try w.set(a, row: 11, 1) }
        #expect(throws: ConstraintSystemError.rowOutOfRange(a.at(-1), usableRows: 11)) { try w.set(a, row: -1, 1) }
        #expect(throws: ConstraintSystemError.instanceOutOfRange(p, row: 3, length: 3)) { try w.set(p, row: 3, 1) }
        #expect(throws: ConstraintSystemError.self) { try w.set(AdviceColumn(index: 1), row: 0, 1) }
        #expect(w.assignedAdviceCells == 1)
    }

    @Test func fillAssignsEveryRowOfTheRangeAndChecksItLikeSet() throws {
        var cs = ConstraintSystemBuilder()
        let a = cs.adviceColumn("a")
        let b = cs.adviceColumn("b")
        let circuit = try cs.build(log2Rows: 4)
        var w = Assignment(circuit: circuit)
        try w.fill([a, b], rows: 2..<6, Fr(7))
        #expect(w.assignedAdviceCells == 8)
        #expect(w.value(a, row: 1) == nil && w.value(a, row: 6) == nil)
        #expect((2..<6).allSatisfy { w.value(a, row: $0) == Fr(7) && w.value(b, row: $0) == Fr(7) })
        #expect(throws: ConstraintSystemError.rowOutOfRange(a.at(11), usableRows: 11)) { try w.fill([a], rows: 5..<12, .one) }
        #expect(throws: ConstraintSystemError.rowOutOfRange(a.at(-1), usableRows: 11)) { try w.fill([a], rows: -1..<3, .one) }
        #expect(throws: ConstraintSystemError.self) { try w.fill([AdviceColumn(index: 2)], rows: 0..<1, .one) }
        try w.fill([a], rows: 11..<11, .one)
        #expect(w.assignedAdviceCells == 8)
    }
}

struct StatisticsTests {
    @Test func sampleCircuitStatistics() throws {
        let sample = try SampleCircuit()
        let circuit = sample.circuit
        let stats = CircuitStatistics(circuit, assignment: try sample.witness())
        // Tables occupy rows 0…19 → 20 rows used → 2^5 (27 usable).
        #expect(stats.rowsUsed == 20 && stats.log2Rows == 5 && stats.rowCount == 32 && stats.usableRows == 27)
        #expect(stats.reservedRows == 5)
        #expect(stats.adviceColumns == 3 && stats.fixedColumns == 7 && stats.instanceColumns == 1)
        #expect(stats.publicValues == 1 && stats.challenges == 0 && stats.phases == 1)
        #expect(stats.gates == 2 && stats.lookups == 2 && stats.copies == 2)
        #expect(stats.maxGateDegree == 3)  // q · (a·b − c)
        // d₀ = 4 (logUp with linear inputs); D = 5 keeps the 4n coset and commits one column fewer (§7): the two
        // lookups share a running sum and the three permuted columns one accumulator, for one more quotient chunk.
        #expect(circuit.constraintDegree == 4)
        #expect(stats.quotientDegree == 5)
        #expect(stats.assignedAdviceCells == 20 && stats.adviceCellCapacity == 81)
        #expect(stats.srsPoints == 32)
        // Copies touch a, c (advice) and out (instance): 3 columns in one chunk of D − 2 = 3.
        #expect(circuit.permutationColumns == [sample.a.column, sample.c.column, sample.out.column])
        #expect(circuit.permutationChunks == 1)
        #expect(circuit.adviceQueriedAtNext == [sample.b])
        #expect(circuit.fixedQueriedAtNext.isEmpty)
    }

    /// docs/protocol.md §14: |π| = 32·(2A + A₊ + F + F₊ + P + 2c + [P>0] + 2M + 3S + D + 1).
    @Test func proofShapeFollowsTheSizeFormula() throws {
        let circuit = try SampleCircuit().circuit
        let shape = ProofShape(circuit)
        // Counted by hand for the sample: A = 3, A₊ = 1, F = 7, F₊ = 0, P = 3, D = 5 (§7: at D = 4 it would be
        // c = 2 and S = 2, one column more), c = 1; two lookups into one table (M = 1) sharing one sum (S = 1, it
        // carries the table: 3 + 1 + 1 ≤ 5).
        #expect(circuit.lookupTableGroups == [[0, 1]])
        #expect(circuit.lookupSums.map(\.lookups) == [[0, 1]])
        #expect(shape.commitments == 3 + 1 + 1 + 1 + 4 + 2)  // advice, m, z, φ, quotient, W
        #expect(shape.evaluationsAtZeta == 3 + 7 + 3 + 1 + 1 + 1)  // advice, fixed, σ, z, m, φ
        #expect(shape.evaluationsAtOmegaZeta == 1 + 0 + 1 + 1)  // b, z, φ
        #expect(shape.bytes == 32 * (2 * 3 + 1 + 7 + 0 + 3 + 2 * 1 + 1 + 2 * 1 + 3 * 1 + 5 + 1))
        #expect(shape.bytes == 992)
    }

    /// §7's choice of D: d₀, or up to 2^⌈log₂(d₀ − 1)⌉ + 1 (the same coset) when the extra quotient chunks cost
    /// fewer committed columns than the running sums and permutation accumulators they save; d₀ on a tie.
    @Test func quotientDegreeRisesOnlyWhenItCommitsFewerColumns() {
        func d(_ d0: Int, _ tables: [[Int]], _ p: Int = 0) -> Int {
            LookupSum.quotientDegree(constraintDegree: d0, tables: tables, permutationColumns: p)
        }
        // One table of t column lookups: sums at D = 4 are 1 + ⌈(t − 1)/2⌉, at D = 5 1 + ⌈(t − 2)/3⌉.
        for t in 1...7 { #expect(d(4, [[Int](repeating: 1, count: t)]) == 4, "t = \(t): a tie or worse at D = 5") }
        #expect(d(4, [[Int](repeating: 1, count: 8)]) == 5)  // 5 sums + 3 chunks > 3 sums + 4 chunks
        #expect(d(4, [[Int](repeating: 1, count: 10)]) == 5)  // mlp_tiny's ten limb lookups: 6 sums → 4
        #expect(LookupSum.packSums([Int](repeating: 1, count: 10), bound: 5).count == 4)
        // Permuted columns alone: ⌈P/2⌉ accumulators at D = 4, ⌈P/3⌉ at D = 5.
        #expect(d(4, [], 4) == 4 && d(4, [], 6) == 4 && d(4, [], 9) == 5)
        // d₀ = 3 has no larger D on its coset (2n points); d₀ = 5 none either (D − 1 = 4 is a power of two).
        #expect(d(3, [[Int](repeating: 1, count: 40)]) == 3)
        #expect(d(5, [[Int](repeating: 1, count: 40)]) == 5)
        // A hostile key's huge d₀ costs a few tries, not 2^⌈log₂ d₀⌉ of them.
        #expect((1000...1004).contains(d(1000, [[Int](repeating: 1, count: 10)])))
    }

    /// §9's batching: lookups into one table share a multiplicity; a table's first running sum carries the
    /// table and D − 3 inputs of degree 1, the others D − 2; another table selector is another table.
    @Test func lookupsBatchByTableWithinTheQuotientDegree() throws {
        var cs = ConstraintSystemBuilder()
        let x = (0..<5).map { cs.adviceColumn("x\($0)") }
        let q = cs.fixedColumn("q"), t = cs.fixedColumn("t"), qt = cs.fixedColumn("qt")
        for i in 0..<4 { cs.addLookup(LookupArgument(name: "r\(i)", selector: q, inputs: [x[i].cur], table: [t])) }
        cs.addLookup(LookupArgument(name: "s", selector: q, inputs: [x[4].cur], table: [t], tableSelector: qt))
        for i in 0..<8 { cs.setFixed(t, row: i, Int64(i)) }
        let circuit = try cs.build(log2Rows: 4)
        #expect(circuit.quotientDegree == 4)
        #expect(circuit.lookupTableGroups == [[0, 1, 2, 3], [4]])
        #expect(circuit.lookupSums.map(\.lookups) == [[0], [1, 2], [3], [4]])
        #expect(circuit.lookupSums.map(\.carriesTable) == [true, false, false, true])
        #expect(circuit.lookupSums.map(\.table) == [0, 0, 0, 1])
        #expect(LookupSum.count(lookups: 4, inputDegree: 1, quotientDegree: 4) == 3)
        #expect(LookupSum.count(lookups: 4, inputDegree: 1, quotientDegree: 5) == 2)
        #expect(LookupSum.count(lookups: 1, inputDegree: 1, quotientDegree: 4) == 1)
        #expect(LookupSum.count(lookups: 0, inputDegree: 1, quotientDegree: 4) == 0)
    }

    @Test func gateDegreeDrivesTheQuotientAndPermutationChunks() throws {
        var cs = ConstraintSystemBuilder()
        let q = cs.fixedColumn("q")
        let a = (0..<6).map { cs.adviceColumn("a\($0)") }
        // q · a0·a1·a2·a3·a4 has degree 6.
        cs.addGate(name: "quintic", selector: q, constraints: [a[0].cur * a[1].cur * a[2].cur * a[3].cur * a[4].cur])
        for i in 0..<5 { cs.copy(a[i].at(0), a[i + 1].at(1)) }
        cs.enable(q, row: 0)
        let circuit = try cs.build()
        #expect(circuit.maxGateDegree == 6 && circuit.quotientDegree == 6)
        #expect(circuit.permutationChunkSize == 4 && circuit.permutationChunks == 2)
        #expect(ProofShape(circuit).quotientCommitments == 5)
    }
}

struct PermutationMappingTests {
    /// σ must be a bijection whose cycles are exactly the classes of cells joined by copies.
    @Test func cyclesAreTheCopyClasses() throws {
        var rng = SeededRandom(seed: 31)
        for trial in 0..<20 {
            var cs = ConstraintSystemBuilder()
            let columns = (0..<4).map { cs.adviceColumn("a\($0)") }
            let fixed = cs.fixedColumn("k")
            let rows = 12
            var edges: [(Cell, Cell)] = []
            for _ in 0..<(5 + trial) {
                func randomCell() -> Cell {
                    let r = Int(rng.next() % UInt64(rows))
                    let pick = Int(rng.next() % 5)
                    return pick < 4 ? columns[pick].at(r) : fixed.at(r)
                }
                let (x, y) = (randomCell(), randomCell())
                edges.append((x, y))
                cs.copy(x, y)
            }
            let circuit = try cs.build()
            let mapping = PermutationMapping(circuit)
            let index = Dictionary(uniqueKeysWithValues: mapping.columns.enumerated().map { ($0.element, $0.offset) })
            func position(_ c: Cell) -> PermutationMapping.Position {
                .init(column: index[c.column]!, row: c.row)
            }
            // Reference classes by graph search over the copy edges.
            var neighbours: [PermutationMapping.Position: [PermutationMapping.Position]] = [:]
            for (x, y) in edges {
                neighbours[position(x), default: []].append(position(y))
                neighbours[position(y), default: []].append(position(x))
            }
            for start in neighbours.keys {
                var seen: Set = [start]
                var stack = [start]
                while let p = stack.popLast() {
                    for q in neighbours[p]! where seen.insert(q).inserted { stack.append(q) }
                }
                // The orbit of σ from `start` is the class.
                var orbit: Set<PermutationMapping.Position> = [start]
                var p = mapping.image(column: start.column, row: start.row)
                while p != start {
                    #expect(orbit.insert(p).inserted, "σ revisits a cell before closing its cycle")
                    p = mapping.image(column: p.column, row: p.row)
                }
                #expect(orbit == seen)
            }
            // Bijection on all positions, identity outside the copies.
            var images = Set<PermutationMapping.Position>()
            for c in 0..<mapping.columns.count {
                for r in 0..<circuit.usableRows {
                    let image = mapping.image(column: c, row: r)
                    #expect(images.insert(image).inserted)
                    if neighbours[.init(column: c, row: r)] == nil { #expect(image == .init(column: c, row: r)) }
                }
            }
        }
    }
}
