import ConstraintSystem
import FieldArithmetic

/// One small circuit that exercises every feature of the protocol:
/// - gates reading the current and the next row ("mul": c = a·b; "step": a' = a + 1; "public": a = out);
/// - an instance column read by a gate and copied to advice;
/// - copies among advice, instance and fixed columns (a fixed constant pins a[0] = 1);
/// - two multi-column lookups sharing table columns by tag ("range": (1, c, 0); "square": (2, a, c) with a
///   table selector too);
/// - a folded linear layer y = W·x + b: challenge ρ (phase 1), challenge column C, phase-2 running sum S.
///
/// Rows 0…7: a = 1…8; b = a on rows 0…3 (so c = a²), b = 1 on rows 4…7 (c = a).
/// Rows 10…16: the folded layer: V = x_j = a[j] (copies) on rows 10…13, V = y_i on rows 14…15, C = β_b on 16.
/// Public values `out` = [a[0], c[7], y_0, y_1].
struct FeatureCircuit {
    let circuit: Circuit
    let a: AdviceColumn, b: AdviceColumn, c: AdviceColumn, value: AdviceColumn, sum: AdviceColumn
    let out: InstanceColumn
    let rho: Challenge
    let weights: [[Int64]]
    let bias: [Int64] = [7, -11]
    static let foldStart = 10
    static let defaultWeights: [[Int64]] = [[3, -1, 4, 1], [-5, 9, 2, -6]]

    init(log2Rows: Int? = nil, weights: [[Int64]] = defaultWeights) throws {
        self.weights = weights
        var cs = ConstraintSystemBuilder()
        a = cs.adviceColumn("a")
        b = cs.adviceColumn("b")
        c = cs.adviceColumn("c")
        value = cs.adviceColumn("V")
        sum = cs.adviceColumn("S", phase: 2)
        out = cs.instanceColumn("out", length: 4, bits: 16)
        let fold = cs.challengeColumn("C")
        rho = cs.challenge("rho", afterPhase: 1)
        let qMul = cs.fixedColumn("q_mul"), qStep = cs.fixedColumn("q_step"), qPublic = cs.fixedColumn("q_public")
        let qRange = cs.fixedColumn("q_range"), qSquare = cs.fixedColumn("q_square")
        let tag = cs.fixedColumn("tag"), t1 = cs.fixedColumn("t1"), t2 = cs.fixedColumn("t2")
        let qSquareTable = cs.fixedColumn("q_square_table"), constant = cs.fixedColumn("const")
        let qStart = cs.fixedColumn("q_start"), qAcc = cs.fixedColumn("q_acc"), qClose = cs.fixedColumn("q_close")

        cs.addGate(name: "mul", selector: qMul, constraints: [a.cur * b.cur - c.cur])
        cs.addGate(name: "step", selector: qStep, constraints: [a.next - a.cur - 1])
        cs.addGate(name: "public", selector: qPublic, constraints: [a.cur - out.cur])
        cs.addLookup(LookupArgument(name: "range", selector: qRange, inputs: [1, c.cur, 0], table: [tag, t1, t2]))
        cs.addLookup(
            LookupArgument(
                name: "square", selector: qSquare, inputs: [2, a.cur, c.cur], table: [tag, t1, t2],
                tableSelector: qSquareTable))
        cs.addGate(name: "start", selector: qStart, constraints: [sum.cur])
        cs.addGate(name: "acc", selector: qAcc, constraints: [sum.next - sum.cur - fold.cur * value.cur])
        cs.addGate(name: "close", selector: qClose, constraints: [sum.cur + fold.cur])

        cs.enable(qMul, rows: 0..<8)
        cs.enable(qStep, rows: 0..<7)
        cs.enable(qPublic, row: 0)
        cs.enable(qRange, rows: 0..<8)
        cs.enable(qSquare, rows: 0..<4)
        // Table: tag 1 rows hold 0…31 (range), tag 2 rows hold (i, i²) for i < 16 (squares).
        for i in 0..<32 {
            cs.setFixed(tag, row: i, 1)
            cs.setFixed(t1, row: i, Int64(i))
        }
        for i in 0..<16 {
            cs.setFixed(tag, row: 32 + i, 2)
            cs.setFixed(t1, row: 32 + i, Int64(i))
            cs.setFixed(t2, row: 32 + i, Int64(i * i))
            cs.enable(qSquareTable, row: 32 + i)
        }
        cs.setFixed(constant, row: 0, 1)
        cs.copy(a.at(0), constant.at(0))
        cs.copy(a.at(0), out.at(0))
        cs.copy(c.at(7), out.at(1))
        cs.copy(b.at(4), b.at(5))

        let s = Self.foldStart
        let m = try FoldMatrix(powers: 2, outputs: 4, dense: weights.flatMap { $0 })
        cs.defineChallengeValues(fold, ChallengeSegment(challenge: rho, startRow: s, source: .fold(m)))
        cs.defineChallengeValues(
            fold, ChallengeSegment(challenge: rho, startRow: s + 4, source: .fold(try .powers(count: 2, scale: -1))))
        cs.defineChallengeValues(
            fold, ChallengeSegment(challenge: rho, startRow: s + 6, source: .fold(try FoldMatrix(powers: 2, outputs: 1, dense: bias))))
        cs.enable(qStart, row: s)
        cs.enable(qAcc, rows: s..<(s + 6))
        cs.enable(qClose, row: s + 6)
        for j in 0..<4 { cs.copy(value.at(s + j), a.at(j)) }
        for i in 0..<2 { cs.copy(value.at(s + 4 + i), out.at(2 + i)) }
        circuit = try cs.build(log2Rows: log2Rows)
    }

    var x: [Int64] { [1, 2, 3, 4] }
    var y: [Int64] { zip(weights, bias).map { row, b in zip(row, x).reduce(b) { $0 + $1.0 * $1.1 } } }

    /// What to break in a cheating witness.
    enum Cheat { case none, gate, copy, lookup, fold }

    /// Phase-1 values and public values; `phase2` fills the running sum once ρ is known.
    func assignment(_ cheat: Cheat = .none) throws -> Assignment {
        var w = Assignment(circuit: circuit)
        for r in 0..<8 {
            let av = Int64(r + 1)
            let bv: Int64 = r < 4 ? av : 1
            var cv = av * bv
            if cheat == .gate && r == 6 { cv += 1 }  // c ≠ a·b, still in the range table
            try w.set(a, row: r, av)
            try w.set(b, row: r, bv)
            try w.set(c, row: r, cv)
        }
        if cheat == .lookup {
            // a = 6, b = 6 at row 5 gives c = 36: gates hold, but 36 is outside the range table, and the
            // step gate still holds; b[5] is copied to b[4], so change b[4] too.
            try w.set(b, row: 4, 6)
            try w.set(c, row: 4, 30)  // a[4] = 5: 5·6 = 30, inside the range table
            try w.set(b, row: 5, 6)
            try w.set(c, row: 5, 36)
        }
        if cheat == .copy { try w.set(b, row: 5, 2); try w.set(c, row: 5, 12) }  // b[5] ≠ b[4]; gates hold
        var y = self.y
        if cheat == .fold { y[1] += 1 }
        let s = Self.foldStart
        for j in 0..<4 { try w.set(value, row: s + j, x[j]) }
        for i in 0..<2 { try w.set(value, row: s + 4 + i, y[i]) }
        let c7 = w.value(c, row: 7)!
        try w.set(out, row: 0, 1)
        try w.set(out, row: 1, c7)
        for i in 0..<2 { try w.set(out, row: 2 + i, y[i]) }
        return w
    }

    /// The phase-2 running sum, computed honestly from the committed values at the drawn ρ.
    func phase2(_ phase: Int, _ w: inout Assignment) throws {
        guard phase == 2 else { return }
        let column = circuit.challengeColumnValues(challenges: w.challenges) { col, row in w.value(col, row: row) ?? .zero }[0]!
        let s = Self.foldStart
        var acc = Fr.zero
        try w.set(sum, row: s, acc)
        for r in s..<(s + 6) {
            acc = acc + column[r] * w.value(value, row: r)!
            try w.set(sum, row: r + 1, acc)
        }
    }
}
