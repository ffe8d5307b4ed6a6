import ConstraintSystem
import FieldArithmetic

/// The public-input layer of docs/protocol.md §11 (as in FoldedLinearTests): the verifier folds the
/// public input itself into one challenge cell, the circuit holds only the outputs. Reads a challenge
/// column and advice at the next row, and an instance column only through the fold.
struct PublicFoldCircuit {
    let circuit: Circuit
    let input: InstanceColumn, output: InstanceColumn
    let value: AdviceColumn, sum: AdviceColumn
    let weights: [[Int64]] = [[1, -2, 3, 0], [4, 5, -6, 7], [-8, 9, 10, -11]]
    let bias: [Int64] = [100, -200, 300]

    init() throws {
        var cs = ConstraintSystemBuilder()
        input = cs.instanceColumn("x", length: 4)
        output = cs.instanceColumn("y", length: 3)
        value = cs.adviceColumn("V")
        sum = cs.adviceColumn("S", phase: 2)
        let c = cs.challengeColumn("C")
        let rho = cs.challenge("rho")
        let qStart = cs.fixedColumn("q_start"), qAcc = cs.fixedColumn("q_acc"), qClose = cs.fixedColumn("q_close")
        cs.addGate(name: "start", selector: qStart, constraints: [sum.cur - c.cur])
        cs.addGate(name: "accumulate", selector: qAcc, constraints: [sum.next - sum.cur - c.next * value.next])
        cs.addGate(name: "close", selector: qClose, constraints: [sum.cur + c.next])
        let wm = try FoldMatrix(powers: 3, outputs: 4, dense: weights.flatMap { $0 })
        cs.defineChallengeValues(
            c, ChallengeSegment(challenge: rho, startRow: 0, source: .publicFold(wm, instance: input, instanceStart: 0)))
        cs.defineChallengeValues(c, ChallengeSegment(challenge: rho, startRow: 1, source: .fold(try .powers(count: 3, scale: -1))))
        cs.defineChallengeValues(
            c, ChallengeSegment(challenge: rho, startRow: 4, source: .fold(try FoldMatrix(powers: 3, outputs: 1, dense: bias))))
        cs.enable(qStart, row: 0)
        cs.enable(qAcc, rows: 0..<3)
        cs.enable(qClose, row: 3)
        for i in 0..<3 { cs.copy(value.at(1 + i), output.at(i)) }
        circuit = try cs.build()
    }

    func assignment(x: [Int64] = [12, -5, 7, 3], cheat: Bool = false) throws -> Assignment {
        var y = zip(weights, bias).map { row, b in zip(row, x).reduce(b) { $0 + $1.0 * $1.1 } }
        if cheat { y[2] -= 1 }
        var w = Assignment(circuit: circuit)
        for (j, v) in x.enumerated() { try w.set(input, row: j, v) }
        for (i, v) in y.enumerated() {
            try w.set(value, row: 1 + i, v)
            try w.set(output, row: i, v)
        }
        return w
    }

    func phase2(_ phase: Int, _ w: inout Assignment) throws {
        guard phase == 2 else { return }
        let cv = circuit.challengeColumnValues(challenges: w.challenges) { col, row in w.value(col, row: row) ?? .zero }[0]!
        var s = cv[0]
        try w.set(sum, row: 0, s)
        for r in 1...3 {
            s = s + cv[r] * w.value(value, row: r)!
            try w.set(sum, row: r, s)
        }
    }
}
