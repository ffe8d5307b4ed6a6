import FieldArithmetic
import Testing

@testable import ConstraintSystem

/// A small hand-written circuit with every kind of constraint:
/// - gate "mul": a·b = c on rows 0…3;
/// - gate "acc": b[r+1] = b[r] + a[r] on rows 4…6 (reads the next row);
/// - lookup "range3": a ∈ [0, 8) on rows 0…3 — table tag 1 in shared columns (tag, t1, t2);
/// - lookup "square": (a, c) = (x, x²) on row 3 — table tag 2 in the same columns, x ∈ [0, 12);
/// - copies: c@0 = a@2, c@3 = out@0 (the public output).
struct SampleCircuit {
    let circuit: Circuit
    let a: AdviceColumn, b: AdviceColumn, c: AdviceColumn
    let out: InstanceColumn

    init() throws {
        var cs = ConstraintSystemBuilder()
        let a = cs.adviceColumn("a"), b = cs.adviceColumn("b"), c = cs.adviceColumn("c")
        let out = cs.instanceColumn("out", length: 1)
        let qMul = cs.fixedColumn("q_mul"), qAcc = cs.fixedColumn("q_acc")
        let qRange = cs.fixedColumn("q_range"), qSquare = cs.fixedColumn("q_square")
        let tag = cs.fixedColumn("tag"), t1 = cs.fixedColumn("t1"), t2 = cs.fixedColumn("t2")

        cs.addGate(name: "mul", selector: qMul, constraints: [a.cur * b.cur - c.cur])
        cs.addGate(name: "acc", selector: qAcc, constraints: [b.next - b.cur - a.cur])
        cs.addLookup(LookupArgument(name: "range3", selector: qRange, inputs: [1, a.cur, 0], table: [tag, t1, t2]))
        cs.addLookup(LookupArgument(name: "square", selector: qSquare, inputs: [2, a.cur, c.cur], table: [tag, t1, t2]))
        cs.enable(qMul, rows: 0..<4)
        cs.enable(qRange, rows: 0..<4)
        cs.enable(qSquare, row: 3)
        cs.enable(qAcc, rows: 4..<7)
        for i in 0..<8 {
            cs.setFixed(tag, row: i, 1)
            cs.setFixed(t1, row: i, Int64(i))
        }
        for x in 0..<12 {
            cs.setFixed(tag, row: 8 + x, 2)
            cs.setFixed(t1, row: 8 + x, Int64(x))
            cs.setFixed(t2, row: 8 + x, Int64(x * x))
        }
        cs.copy(c.at(0), a.at(2))
        cs.copy(c.at(3), out.at(0))
        circuit = try cs.build()
        (self.a, self.b, self.c, self.out) = (a, b, c, out)
    }

    /// A satisfying witness; `edit` changes it before it is returned.
    func witness(_ edit: (inout [String: Int64]) -> Void = { _ in }) throws -> Assignment {
        var values: [String: Int64] = [
            "a0": 2, "b0": 3, "c0": 6, "a1": 1, "b1": 5, "c1": 5, "a2": 6, "b2": 1, "c2": 6,
            "a3": 3, "b3": 3, "c3": 9, "out": 9,
            "a4": 1, "a5": 2, "a6": 3, "a7": 4, "b4": 10, "b5": 11, "b6": 13, "b7": 16,
        ]
        edit(&values)
        var w = Assignment(circuit: circuit)
        for (key, value) in values {
            if key == "out" {
                try w.set(out, row: 0, value)
                continue
            }
            let column = ["a": a, "b": b, "c": c][String(key.prefix(1))]!
            try w.set(column, row: Int(key.dropFirst())!, value)
        }
        return w
    }
}

struct CheckerTests {
    let sample: SampleCircuit
    init() throws { sample = try SampleCircuit() }

    @Test func validWitnessPasses() throws {
        let failures = ConstraintChecker.check(sample.circuit, try sample.witness())
        #expect(failures.isEmpty, "\(failures)")
        try ConstraintChecker.requireSatisfied(sample.circuit, try sample.witness())
    }

    @Test func gateViolationNamesGateRowAndCells() throws {
        let failures = ConstraintChecker.check(sample.circuit, try sample.witness { $0["c1"] = 4 })
        #expect(failures.count == 1)
        guard case .gate(let gate, let constraint, let row, let value, let cells) = failures.first else {
            Issue.record("expected a gate failure, got \(failures)")
            return
        }
        #expect(gate == "mul" && constraint == 0 && row == 1)
        #expect(value == Fr(1))  // 1·5 − 4
        #expect(cells.map(\.description) == ["a[1] = 1", "b[1] = 5", "c[1] = 4"])
    }

    @Test func nextRowGateReportsBothTransitions() throws {
        let failures = ConstraintChecker.check(sample.circuit, try sample.witness { $0["b6"] = 14 })
        #expect(failures.namesAndRows == ["acc@5", "acc@6"])
        if case .gate(_, _, _, let value, let cells) = failures.last {
            #expect(value == Fr(signed: -1))  // 16 − 14 − 3
            #expect(cells.map(\.description).contains("b[7] = 16"))
        }
    }

    @Test func lookupViolationIsNotHiddenByAnotherTableInTheSameColumns() throws {
        // 9 is in column t1 under tag 2 (the square table) but not under tag 1.
        let failures = ConstraintChecker.check(
            sample.circuit, try sample.witness { $0["a1"] = 9; $0["b1"] = 1; $0["c1"] = 9 })
        #expect(failures.namesAndRows == ["range3@1"])
        if case .lookup(_, _, let input, let cells) = failures.first {
            #expect(input == [Fr(1), Fr(9), Fr(0)])
            #expect(cells.map(\.description) == ["a[1] = 9"])
        }
    }

    @Test func multiColumnLookupViolation() throws {
        // a = 4, c = 8: the product is right but (4, 8) is not (x, x²).
        let failures = ConstraintChecker.check(
            sample.circuit, try sample.witness { $0["a3"] = 4; $0["b3"] = 2; $0["c3"] = 8; $0["out"] = 8 })
        #expect(failures.namesAndRows == ["square@3"])
    }

    @Test func copyViolationShowsBothCells() throws {
        let failures = ConstraintChecker.check(sample.circuit, try sample.witness { $0["out"] = 10 })
        #expect(failures.count == 1)
        guard case .copy(let left, let right) = failures.first else {
            Issue.record("expected a copy failure, got \(failures)")
            return
        }
        #expect(left.description == "c[3] = 9")
        #expect(right.description == "out[0] = 10")
    }

    @Test func unassignedAdviceCellIsReportedWithItsReader() throws {
        let failures = ConstraintChecker.check(sample.circuit, try sample.witness { $0["b2"] = nil })
        #expect(failures.count == 1)
        guard case .unassigned(let cell, let name, let usedBy) = failures.first else {
            Issue.record("expected an unassigned-cell failure, got \(failures)")
            return
        }
        #expect(cell == sample.b.at(2) && name == "b" && usedBy == "gate \"mul\"")
    }

    @Test func unassignedPublicValueIsReported() throws {
        let failures = ConstraintChecker.check(sample.circuit, try sample.witness { $0["out"] = nil })
        let cells = failures.compactMap { failure -> String? in
            if case .unassigned(let cell, _, let usedBy) = failure { return "\(cell) \(usedBy)" }
            return nil
        }
        #expect(cells.count == 2)
        #expect(cells.contains("instance[0]@0 the public values"))
    }

    @Test func everyFailureIsReportedNotJustTheFirst() throws {
        let witness = try sample.witness { $0["c1"] = 4; $0["b6"] = 14; $0["out"] = 10 }
        let failures = ConstraintChecker.check(sample.circuit, witness)
        #expect(failures.namesAndRows == ["mul@1", "acc@5", "acc@6"])
        #expect(failures.count == 4)
        #expect(throws: UnsatisfiedConstraints.self) {
            try ConstraintChecker.requireSatisfied(sample.circuit, witness)
        }
        do {
            try ConstraintChecker.requireSatisfied(sample.circuit, witness)
        } catch let error as UnsatisfiedConstraints {
            #expect(error.failures == failures)
            #expect(error.description.hasPrefix("4 constraint failures:"))
            #expect(error.description.contains("gate \"mul\" constraint 0 fails at row 1"))
        }
    }

    /// Unused rows of a table column are zero; without a tag or table selector (0, 0) is in the table.
    @Test func tableSelectorExcludesUnusedTableRows() throws {
        func build(withTableSelector: Bool) throws -> (Circuit, AdviceColumn, AdviceColumn) {
            var cs = ConstraintSystemBuilder()
            let x = cs.adviceColumn("x"), y = cs.adviceColumn("y")
            let q = cs.fixedColumn("q"), tx = cs.fixedColumn("tx"), ty = cs.fixedColumn("ty")
            let qt = cs.fixedColumn("q_table")
            cs.addLookup(
                LookupArgument(
                    name: "f", selector: q, inputs: [x.cur, y.cur], table: [tx, ty],
                    tableSelector: withTableSelector ? qt : nil))
            for i in 1...4 {
                cs.setFixed(tx, row: i - 1, Int64(i))
                cs.setFixed(ty, row: i - 1, Int64(i + 100))
                cs.enable(qt, row: i - 1)
            }
            cs.enable(q, rows: 0..<2)
            cs.requireRows(8)
            return (try cs.build(), x, y)
        }
        for withSelector in [false, true] {
            let (circuit, x, y) = try build(withTableSelector: withSelector)
            var w = Assignment(circuit: circuit)
            try w.set(x, row: 0, 2)
            try w.set(y, row: 0, 102)
            try w.set(x, row: 1, 0)
            try w.set(y, row: 1, 0)
            let failures = ConstraintChecker.check(circuit, w)
            #expect(failures.namesAndRows == (withSelector ? ["f@1"] : []))
        }
    }

    /// The prover's fast screen (`quicklySatisfied`) clears a witness only when the full check finds nothing:
    /// every single-cell edit of the sample witness (a wrong value, or the cell left unassigned) and every
    /// pair of edits, compared with the full check. It must also clear the good witness (else it saves nothing).
    @Test func fastScreenNeverClearsWhatTheFullCheckRejects() throws {
        #expect(ConstraintChecker.quicklySatisfied(sample.circuit, try sample.witness()))
        let keys = [
            "a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3", "c3", "out", "a4", "a5", "a6", "a7",
            "b4", "b5", "b6", "b7",
        ]
        var generator = SystemRandomNumberGenerator()
        var cleared = 0, rejected = 0
        for first in keys {
            for second in [nil] + keys.map(Optional.some) {
                for trial in 0..<3 {
                    let witness = try sample.witness { values in
                        for key in [first, second].compactMap({ $0 }) {
                            values[key] = trial == 0 ? nil : (values[key] ?? 0) + Int64.random(in: -2...2, using: &generator)
                        }
                    }
                    let failures = ConstraintChecker.check(sample.circuit, witness)
                    if ConstraintChecker.quicklySatisfied(sample.circuit, witness) {
                        #expect(failures.isEmpty, "screen cleared \(first) \(second ?? ""): \(failures)")
                        cleared += 1
                    } else {
                        rejected += 1
                    }
                    if failures.isEmpty { try ConstraintChecker.requireSatisfied(sample.circuit, witness) }
                }
            }
        }
        #expect(cleared > 0 && rejected > 0)
    }

    /// The screen on the lookup-with-table-selector and challenge circuits below: the same verdicts.
    @Test func fastScreenAgreesOnTableSelectorsAndChallenges() throws {
        var cs = ConstraintSystemBuilder()
        let x = cs.adviceColumn("x"), y = cs.adviceColumn("y")
        let q = cs.fixedColumn("q"), g = cs.fixedColumn("g"), tx = cs.fixedColumn("tx"), qt = cs.fixedColumn("q_table")
        let rho = cs.challenge("rho")
        cs.addLookup(LookupArgument(name: "f", selector: q, inputs: [x.cur], table: [tx], tableSelector: qt))
        cs.addGate(name: "scaled", selector: g, constraints: [x.cur * rho.expression - y.cur])
        for i in 1...4 {
            cs.setFixed(tx, row: i - 1, Int64(i))
            cs.enable(qt, row: i - 1)
        }
        cs.enable(q, rows: 0..<2)
        cs.enable(g, rows: 0..<2)
        cs.requireRows(8)
        let circuit = try cs.build()
        for (x0, x1, withRho, y1) in [(2, 3, true, 15), (2, 0, true, 0), (2, 3, false, 15), (2, 3, true, 14), (4, 1, true, 5)] {
            var w = Assignment(circuit: circuit)
            try w.set(x, row: 0, Int64(x0))
            try w.set(x, row: 1, Int64(x1))
            try w.set(y, row: 0, Int64(x0 * 5))
            try w.set(y, row: 1, Int64(y1))
            if withRho { try w.setChallenge(rho, Fr(5)) }
            let passes = ConstraintChecker.check(circuit, w).isEmpty
            #expect(ConstraintChecker.quicklySatisfied(circuit, w) == passes, "\(x0) \(x1) \(withRho) \(y1)")
        }
    }

    /// The screen on lookups that share tables (one checked per task against the table read once): a two-column
    /// table two lookups read and a one-column table two others read, with an input outside each in turn.
    @Test func fastScreenAgreesOnSharedOneAndTwoColumnTables() throws {
        var cs = ConstraintSystemBuilder()
        let x = cs.adviceColumn("x"), y = cs.adviceColumn("y"), z = cs.adviceColumn("z")
        let q = cs.fixedColumn("q"), ta = cs.fixedColumn("ta"), tb = cs.fixedColumn("tb"), tr = cs.fixedColumn("tr")
        cs.addLookup(LookupArgument(name: "pair xy", selector: q, inputs: [x.cur, y.cur], table: [ta, tb]))
        cs.addLookup(LookupArgument(name: "pair zx", selector: q, inputs: [z.cur, x.cur], table: [ta, tb]))
        cs.addLookup(LookupArgument(name: "range x", selector: q, inputs: [x.cur], table: [tr]))
        cs.addLookup(LookupArgument(name: "range z", selector: q, inputs: [z.cur], table: [tr]))
        for i in 0..<4 {
            cs.setFixed(ta, row: i, Int64(i))
            cs.setFixed(tb, row: i, Int64(i * i))
            cs.setFixed(tr, row: i, Int64(i))
        }
        cs.enable(q, rows: 0..<3)
        cs.requireRows(16)
        let circuit = try cs.build()
        // (x, y, z) per enabled row: x² = y and z² = x keep every lookup in its table.
        let good: [(Int64, Int64, Int64)] = [(0, 0, 0), (1, 1, 1), (0, 0, 0)]
        var cases = [good]
        for row in 0..<3 {
            for edit in [(0, 0, 1), (0, 1, 0), (1, 0, 0), (3, 9, 0)] {
                var c = good
                c[row] = (c[row].0 + Int64(edit.0), c[row].1 + Int64(edit.1), c[row].2 + Int64(edit.2))
                cases.append(c)
            }
        }
        var verdicts = Set<Bool>()
        for rows in cases {
            var w = Assignment(circuit: circuit)
            for (r, v) in rows.enumerated() {
                try w.set(x, row: r, v.0)
                try w.set(y, row: r, v.1)
                try w.set(z, row: r, v.2)
            }
            let passes = ConstraintChecker.check(circuit, w).isEmpty
            verdicts.insert(passes)
            #expect(ConstraintChecker.quicklySatisfied(circuit, w) == passes, "\(rows)")
        }
        #expect(verdicts == [true, false])
    }

    @Test func missingChallengeIsReported() throws {
        var cs = ConstraintSystemBuilder()
        let x = cs.adviceColumn("x")
        let q = cs.fixedColumn("q")
        let rho = cs.challenge("rho")
        cs.addGate(name: "scaled", selector: q, constraints: [x.cur * rho.expression])
        cs.enable(q, row: 0)
        let circuit = try cs.build()
        var w = Assignment(circuit: circuit)
        try w.set(x, row: 0, 0)
        #expect(ConstraintChecker.check(circuit, w) == [.missingChallenge(challenge: rho, name: "rho")])
        try w.setChallenge(rho, Fr(5))
        #expect(ConstraintChecker.check(circuit, w).isEmpty)
        try w.set(x, row: 0, 1)
        #expect(ConstraintChecker.check(circuit, w).namesAndRows == ["scaled@0"])
    }
}
