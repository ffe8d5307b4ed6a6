import FieldArithmetic
import Testing
import TestSupport
@testable import ConstraintSystem

/// `CommittedRelationLayout` (docs/protocol.md §19.3–§19.4): its index formulas, the witness it fills, the
/// checker's exact Ω, and what the builder and the layout refuse.
@Suite struct CommittedRelationLayoutTests {
    static let fold = try! CommittedFoldCircuit()

    @Test func indexFormulasCountRowsFromTheRunStart() {
        let layout = Self.fold.layout
        let start = CommittedFoldCircuit.startRow
        #expect(layout.producerIndex(row: start, slot: 0) == 0)
        #expect(layout.producerIndex(row: start + 15, slot: 0) == CommittedFoldCircuit.constantProducer)
        #expect(layout.receiverIndex(row: start + 12, slot: 1) == 25)
        for j in 0..<32 {
            let (row, slot) = layout.producerPosition(j)
            #expect(layout.producerIndex(row: row, slot: slot) == j)
        }
        #expect(layout.closeRow == start + CommittedFoldCircuit.rows)
        #expect(CommittedRelationLayout.rowsNeeded(producers: 31, producerSlots: 2, receivers: 26, receiverSlots: 2) == 16)
    }

    /// The honest witness satisfies every gate at random ρ, s; S closes on 0 and T on Ω, which the checker
    /// computes from the weights and which equals the relation expanded entry by entry.
    @Test func honestWitnessClosesOnTheExactClaim() throws {
        let f = Self.fold
        var rng = SeededRandom(seed: 41)
        for _ in 0..<3 {
            let (rho, s) = (rng.fr(), rng.fr())
            var a = try f.assignment()
            try a.setChallenge(f.rho, rho)
            try f.witness(2, &a)
            try a.setChallenge(f.s, s)
            try f.witness(3, &a)
            #expect(ConstraintChecker.check(f.circuit, a).isEmpty)
            #expect(a.value(f.layout.receiverSum, row: f.layout.closeRow) == .zero)
            #expect(a.value(f.layout.claimSum, row: f.layout.closeRow) == f.relation.expandedClaim(rho: rho, s: s))
            // u sits in producer layout: U_l on run row r is u_(r·V + l).
            let u = f.relation.foldVector(rho: rho)
            let (row, slot) = f.layout.producerPosition(19)
            #expect(a.value(f.layout.foldColumns[slot], row: row) == u[19])
        }
    }

    /// Without ρ and s the claim is unknown: the checker names the missing challenges, not a false failure.
    @Test func missingChallengesAreReported() throws {
        let f = Self.fold
        let failures = ConstraintChecker.check(f.circuit, try f.assignment())
        let missing = failures.compactMap { if case .missingChallenge(let c, _) = $0 { return c } else { return nil } }
        #expect(Set(missing) == [f.rho, f.s])
        #expect(!failures.contains { $0.constraintName == "clr_close" && $0.row == f.layout.closeRow })
    }

    /// §19.4's degrees: 3 for the run gate with cell producers and receivers (so the quotient stays at D = 3),
    /// 2 for start and close; one more for degree-2 producers.
    @Test func gateDegrees() throws {
        let c = Self.fold.circuit
        let degrees = Dictionary(uniqueKeysWithValues: c.gates.map { ($0.name, $0.degree) })
        #expect(degrees["clr_start"] == 2 && degrees["clr_run"] == 3 && degrees["clr_close"] == 2)
        #expect(c.quotientDegree == 3)
        #expect(Expression.linearClaim.degree == 0 && Expression.linearClaim.description == "Ω")

        var cs = ConstraintSystemBuilder()
        let x = cs.adviceColumn("x"), y = cs.adviceColumn("y")
        let (rho, s) = (cs.challenge("rho", afterPhase: 1), cs.challenge("s", afterPhase: 2))
        let relation = try Self.copyRelation(rho: rho, s: s, count: 4)
        _ = try CommittedRelationLayout(&cs, relation: relation, producers: [x.cur * x.cur], receivers: [y.cur], startRow: 0, rows: 4)
        #expect(try cs.build().gates.first { $0.name == "clr_run" }?.degree == 4)
    }

    static func copyRelation(rho: Challenge, s: Challenge, count: Int) throws -> LinearRelation {
        let shape = try LinearRelationShape(
            rho: rho, s: s, receiverCount: count, producerCount: count, receiverChannelStride: 1, producerChannelStride: 1,
            log2BlockRows: 1, log2BlockColumns: 1, blockShapes: [.init(rows: 1, columns: 1)],
            terms: [LinearTerm(receiverOffset: 0, producerOffset: 0, box: [BoxDimension(extent: count, receiverStride: 1, producerStride: 1)],
                               kernel: .block(0))])
        return try LinearRelation(shape: shape, blocks: [try WeightBlock(rows: 1, columns: 1, dense: [1])])
    }

    @Test func misuseIsRefused() throws {
        func builder() -> (ConstraintSystemBuilder, AdviceColumn, AdviceColumn, Challenge, Challenge) {
            var cs = ConstraintSystemBuilder()
            let x = cs.adviceColumn("x"), y = cs.adviceColumn("y")
            let rho = cs.challenge("rho", afterPhase: 1), s = cs.challenge("s", afterPhase: 2)
            return (cs, x, y, rho, s)
        }
        // Ω read without a relation.
        var (cs, x, y, rho, s) = builder()
        let q = cs.fixedColumn("q")
        cs.addGate(name: "g", selector: q, constraints: [x.cur - .linearClaim])
        cs.enable(q, row: 0)
        #expect(throws: ConstraintSystemError.self) { _ = try cs.build() }
        // s not after ρ.
        (cs, x, y, rho, s) = builder()
        cs.setLinearRelation(try Self.copyRelation(rho: s, s: rho, count: 4))
        #expect(throws: ConstraintSystemError.self) { _ = try cs.build() }
        // Two relations.
        (cs, x, y, rho, s) = builder()
        cs.setLinearRelation(try Self.copyRelation(rho: rho, s: s, count: 4))
        cs.setLinearRelation(try Self.copyRelation(rho: rho, s: s, count: 4))
        #expect(throws: ConstraintSystemError.self) { _ = try cs.build() }
        // Blocks of 2^ℓ weights need 2^ℓ rows: an explicit smaller size is refused, the automatic one grows.
        (cs, x, y, rho, s) = builder()
        let big = try LinearRelationShape(
            rho: rho, s: s, receiverCount: 4, producerCount: 4, receiverChannelStride: 1, producerChannelStride: 1,
            log2BlockRows: 2, log2BlockColumns: 3, blockShapes: [.init(rows: 1, columns: 1)], terms: [])
        cs.setLinearRelation(try LinearRelation(shape: big, blocks: [try WeightBlock(rows: 1, columns: 1, dense: [2])]))
        #expect(throws: ConstraintSystemError.self) { _ = try cs.build(log2Rows: 4) }
        #expect(try cs.build().log2Rows == 5)
        // The layout: producers committed after ρ, too many producers for the rows, a producer reading Ω.
        (cs, x, y, rho, s) = builder()
        let late = cs.adviceColumn("late", phase: 2)
        let relation = try Self.copyRelation(rho: rho, s: s, count: 4)
        #expect(throws: ConstraintSystemError.self) {
            _ = try CommittedRelationLayout(&cs, relation: relation, producers: [late.cur], receivers: [y.cur], startRow: 0, rows: 4)
        }
        #expect(throws: ConstraintSystemError.self) {
            _ = try CommittedRelationLayout(&cs, relation: relation, producers: [x.cur], receivers: [y.cur], startRow: 0, rows: 3)
        }
        #expect(throws: ConstraintSystemError.self) {
            _ = try CommittedRelationLayout(&cs, relation: relation, producers: [x.cur + .linearClaim], receivers: [y.cur], startRow: 0, rows: 4)
        }
        // ρ and s of the same phase.
        var same = ConstraintSystemBuilder()
        let (xs, ys) = (same.adviceColumn("x"), same.adviceColumn("y"))
        let (r1, r2) = (same.challenge("rho"), same.challenge("s"))
        #expect(throws: ConstraintSystemError.self) {
            _ = try CommittedRelationLayout(
                &same, relation: try Self.copyRelation(rho: r1, s: r2, count: 2), producers: [xs.cur], receivers: [ys.cur],
                startRow: 0, rows: 2)
        }
    }
}
