import TestSupport
import FieldArithmetic
import Testing

@testable import ConstraintSystem

/// The folded-weight linear argument of docs/protocol.md §11 on hand-written layers y = Wx + b.
///
/// Layout of one layer (n inputs, m outputs) starting at row r0, one value column V (phase 1), one
/// running-sum column S (phase 2) and one challenge column C:
///   rows r0 ..< r0+n      V = x_j,  C = u_j = Σ_i ρ^i W_ij
///   rows r0+n ..< r0+n+m  V = y_i,  C = −ρ^i
///   row  r0+n+m           C = β = Σ_i ρ^i b_i
/// gates: "start" S[r0] = 0; "accumulate" S[r+1] = S[r] + C[r]·V[r]; "close" S[r0+n+m] + C[r0+n+m] = 0.
struct FoldedLayout {
    struct Layer {
        let weights: [[Int64]]  // m × n
        let bias: [Int64]
        let challenge: Challenge
        let startRow: Int
        var n: Int { weights[0].count }
        var m: Int { weights.count }
        var rows: Int { n + m + 1 }
    }

    let circuit: Circuit
    let layers: [Layer]
    let value: AdviceColumn, sum: AdviceColumn

    /// `shareSums` lays the layers out back to back in one running sum with a single start and close —
    /// the unsound arrangement the protocol forbids when the challenge is shared.
    init(_ specs: [(weights: [[Int64]], bias: [Int64])], shareChallenge: Bool, shareSums: Bool = false) throws {
        var cs = ConstraintSystemBuilder()
        let value = cs.adviceColumn("V")
        let sum = cs.adviceColumn("S", phase: 2)
        let c = cs.challengeColumn("C")
        let qStart = cs.fixedColumn("q_start"), qAcc = cs.fixedColumn("q_acc"), qClose = cs.fixedColumn("q_close")
        cs.addGate(name: "start", selector: qStart, constraints: [sum.cur])
        cs.addGate(name: "accumulate", selector: qAcc, constraints: [sum.next - sum.cur - c.cur * value.cur])
        cs.addGate(name: "close", selector: qClose, constraints: [sum.cur + c.cur])
        let shared = cs.challenge("rho")
        var layers: [Layer] = []
        var row = 0
        for (index, spec) in specs.enumerated() {
            let rho = shareChallenge || index == 0 ? shared : cs.challenge("rho\(index)")
            let layer = Layer(weights: spec.weights, bias: spec.bias, challenge: rho, startRow: row)
            let matrix = try FoldMatrix(powers: layer.m, outputs: layer.n, dense: spec.weights.flatMap { $0 })
            cs.defineChallengeValues(c, ChallengeSegment(challenge: rho, startRow: row, source: .fold(matrix)))
            cs.defineChallengeValues(
                c,
                ChallengeSegment(
                    challenge: rho, startRow: row + layer.n, source: .fold(try .powers(count: layer.m, scale: -1))))
            let last = index == specs.count - 1
            if !shareSums || index == 0 { cs.enable(qStart, row: row) }
            cs.enable(qAcc, rows: row..<(row + layer.n + layer.m))
            if shareSums && !last {
                // No bias row and no close: the next layer continues the same sum.
                row += layer.n + layer.m
                layers.append(Layer(weights: spec.weights, bias: spec.bias, challenge: rho, startRow: layer.startRow))
                continue
            }
            let biasMatrix = try FoldMatrix(powers: layer.m, outputs: 1, dense: spec.bias)
            cs.defineChallengeValues(
                c, ChallengeSegment(challenge: rho, startRow: row + layer.n + layer.m, source: .fold(biasMatrix)))
            cs.enable(qClose, row: row + layer.n + layer.m)
            layers.append(layer)
            row += layer.rows
        }
        circuit = try cs.build()
        self.layers = layers
        self.value = value
        self.sum = sum
    }

    /// Assigns x and y per layer, then the running sum computed honestly from those values at the drawn
    /// challenges (as phase 2 of the prover would).
    func witness(inputs: [[Int64]], outputs: [[Int64]], challenges: [Fr]) throws -> Assignment {
        var w = Assignment(circuit: circuit)
        for (i, value) in challenges.enumerated() { try w.setChallenge(Challenge(index: i), value) }
        var rows: [Int] = []
        for (index, layer) in layers.enumerated() {
            var row = layer.startRow
            for x in inputs[index] { try w.set(value, row: row, x); rows.append(row); row += 1 }
            for y in outputs[index] { try w.set(value, row: row, y); rows.append(row); row += 1 }
        }
        let c = circuit.challengeColumnValues(challenges: w.challenges) { _, _ in .zero }[0]!
        // S[start of each closed sum] = 0, then S[r+1] = S[r] + C[r]·V[r] over the assigned rows.
        var s = Fr.zero
        var previous = -2
        for row in rows {
            if row != previous + 1 {
                s = .zero
                try w.set(sum, row: row, s)
            }
            s = s + c[row] * w.value(value, row: row)!
            try w.set(sum, row: row + 1, s)
            previous = row
        }
        return w
    }

    static func apply(_ weights: [[Int64]], _ bias: [Int64], _ x: [Int64]) -> [Int64] {
        zip(weights, bias).map { row, b in zip(row, x).reduce(b) { $0 + $1.0 * $1.1 } }
    }
}

struct FoldedLinearTests {
    let w1: [[Int64]] = [[1, -2, 3, 0], [4, 5, -6, 7], [-8, 9, 10, -11]]
    let b1: [Int64] = [100, -200, 300]
    let w2: [[Int64]] = [[2, -1, 1], [-3, 4, 5]]
    let b2: [Int64] = [-7, 9]
    let x: [Int64] = [12, -5, 7, 3]

    @Test func honestLayerPassesAtManyChallenges() throws {
        let layout = try FoldedLayout([(w1, b1)], shareChallenge: true)
        let y = FoldedLayout.apply(w1, b1, x)
        var rng = SeededRandom(seed: 21)
        for _ in 0..<20 {
            let w = try layout.witness(inputs: [x], outputs: [y], challenges: [rng.element()])
            #expect(ConstraintChecker.check(layout.circuit, w).isEmpty)
        }
    }

    @Test func wrongOutputEntryIsCaughtByTheClosingRow() throws {
        let layout = try FoldedLayout([(w1, b1)], shareChallenge: true)
        var y = FoldedLayout.apply(w1, b1, x)
        y[1] += 1
        var rng = SeededRandom(seed: 22)
        let w = try layout.witness(inputs: [x], outputs: [y], challenges: [rng.element()])
        let failures = ConstraintChecker.check(layout.circuit, w)
        // The running sum is honest for the wrong y, so only the close (row n + m = 7) fails.
        #expect(failures.namesAndRows == ["close@7"])
    }

    @Test func challengeColumnHoldsTheFoldedWeights() throws {
        let layout = try FoldedLayout([(w1, b1)], shareChallenge: true)
        let rho = Fr(7)
        let c = layout.circuit.challengeColumnValues(challenges: [rho]) { _, _ in .zero }[0]!
        // u_j = Σ_i 7^i W_ij, computed here in plain integers.
        for j in 0..<4 {
            let u = w1[0][j] + 7 * w1[1][j] + 49 * w1[2][j]
            #expect(c[j] == Fr(signed: u))
        }
        #expect(c[4] == Fr(signed: -1) && c[5] == Fr(signed: -7) && c[6] == Fr(signed: -49))
        #expect(c[7] == Fr(signed: 100 - 200 * 7 + 300 * 49))
        #expect(c[8...].allSatisfy { $0.isZero })
    }

    /// Errors +1 at output 0 of layer 1 and −1 at output 0 of layer 2 cancel in one running sum that uses
    /// the same powers of ρ for both layers; separate challenges and separate closes catch them.
    @Test func oppositeErrorsInTwoLayersNeedSeparateChallenges() throws {
        var rng = SeededRandom(seed: 23)
        // Unsound: shared ρ, one running sum over both layers (biases zero, as only one bias row closes).
        // Layer 2 gets a zero third output so both layers weight their outputs by ρ^0, ρ^1, ρ^2.
        let zeros: [Int64] = [0, 0, 0]
        let w2padded = w2 + [zeros]
        let unsound = try FoldedLayout([(w1, zeros), (w2padded, zeros)], shareChallenge: true, shareSums: true)
        let h = FoldedLayout.apply(w1, zeros, x)
        let y = FoldedLayout.apply(w2padded, zeros, h)
        var hCheat = h, yCheat = y
        hCheat[0] += 1
        yCheat[0] -= 1
        let shared = try unsound.witness(inputs: [x, h], outputs: [hCheat, yCheat], challenges: [rng.element()])
        #expect(ConstraintChecker.check(unsound.circuit, shared).isEmpty, "the errors cancel: this layout is unsound")

        // Sound: a challenge and a close per layer.
        let sound = try FoldedLayout([(w1, b1), (w2, b2)], shareChallenge: false)
        let h1 = FoldedLayout.apply(w1, b1, x)
        let y1 = FoldedLayout.apply(w2, b2, h1)
        var h1Cheat = h1, y1Cheat = y1
        h1Cheat[0] += 1
        y1Cheat[0] -= 1
        let honest = try sound.witness(inputs: [x, h1], outputs: [h1, y1], challenges: [rng.element(), rng.element()])
        #expect(ConstraintChecker.check(sound.circuit, honest).isEmpty)
        let witness = try sound.witness(
            inputs: [x, h1], outputs: [h1Cheat, y1Cheat], challenges: [rng.element(), rng.element()])
        // Layer 1 closes at row 4 + 3 = 7, layer 2 (starting at row 8) at 8 + 3 + 2 = 13.
        #expect(ConstraintChecker.check(sound.circuit, witness).namesAndRows == ["close@7", "close@13"])
    }

    /// A layer whose input is public: the verifier folds Σ_j u_j·x_j itself into one challenge cell,
    /// and the circuit holds only the outputs.
    /// Rows: 0: C = Σ_j u_j x_j;  1…3: V = y_i, C = −ρ^i;  4: C = β.
    /// Gates: S[0] = C[0]; S[r+1] = S[r] + C[r+1]·V[r+1] on rows 0…2; S[3] + C[4] = 0 on row 3.
    @Test func publicInputFoldedByTheVerifier() throws {
        var cs = ConstraintSystemBuilder()
        let input = cs.instanceColumn("x", length: 4)
        let value = cs.adviceColumn("V")
        let sum = cs.adviceColumn("S", phase: 2)
        let c = cs.challengeColumn("C")
        let rho = cs.challenge("rho")
        let qStart = cs.fixedColumn("q_start"), qAcc = cs.fixedColumn("q_acc"), qClose = cs.fixedColumn("q_close")
        cs.addGate(name: "start", selector: qStart, constraints: [sum.cur - c.cur])
        cs.addGate(name: "accumulate", selector: qAcc, constraints: [sum.next - sum.cur - c.next * value.next])
        cs.addGate(name: "close", selector: qClose, constraints: [sum.cur + c.next])
        let wm = try FoldMatrix(powers: 3, outputs: 4, dense: w1.flatMap { $0 })
        cs.defineChallengeValues(
            c, ChallengeSegment(challenge: rho, startRow: 0, source: .publicFold(wm, instance: input, instanceStart: 0)))
        cs.defineChallengeValues(
            c, ChallengeSegment(challenge: rho, startRow: 1, source: .fold(try .powers(count: 3, scale: -1))))
        cs.defineChallengeValues(
            c, ChallengeSegment(challenge: rho, startRow: 4, source: .fold(try FoldMatrix(powers: 3, outputs: 1, dense: b1))))
        cs.enable(qStart, row: 0)
        cs.enable(qAcc, rows: 0..<3)
        cs.enable(qClose, row: 3)
        let circuit = try cs.build()
        #expect(circuit.rowsUsed == 5)

        var rng = SeededRandom(seed: 24)
        for cheat in [false, true] {
            var y = FoldedLayout.apply(w1, b1, x)
            if cheat { y[2] -= 1 }
            var w = Assignment(circuit: circuit)
            try w.setChallenge(rho, rng.element())
            for (j, v) in x.enumerated() { try w.set(input, row: j, v) }
            for (i, v) in y.enumerated() { try w.set(value, row: 1 + i, v) }
            let cv = circuit.challengeColumnValues(challenges: w.challenges) { col, row in w.value(col, row: row)! }[0]!
            var s = cv[0]
            try w.set(sum, row: 0, s)
            for r in 1...3 {
                s = s + cv[r] * w.value(value, row: r)!
                try w.set(sum, row: r, s)
            }
            #expect(ConstraintChecker.check(circuit, w).namesAndRows == (cheat ? ["close@3"] : []))
        }
    }

    @Test func denseAndSparseFoldsAgree() throws {
        var rng = SeededRandom(seed: 25)
        let m = 5, n = 7
        var dense: [Int64] = []
        var entries: [FoldMatrix.Entry] = []
        for i in 0..<m {
            for j in 0..<n {
                let v = Int64(rng.next() % 21) - 10
                dense.append(v)
                entries.append(.init(power: i, output: j, value: v))
            }
        }
        let a = try FoldMatrix(powers: m, outputs: n, dense: dense)
        let b = try FoldMatrix(powers: m, outputs: n, entries: entries.shuffled(using: &rng))
        let rho = rng.element()
        var powers = [Fr.one]
        for _ in 1..<m { powers.append(powers.last! * rho) }
        let foldA = a.fold(powersOfChallenge: powers)
        #expect(foldA == b.fold(powersOfChallenge: powers))
        // Horner's rule per output, an independent way to compute Σ_i ρ^i M[i][j].
        for j in 0..<n {
            var acc = Fr.zero
            for i in (0..<m).reversed() { acc = acc * rho + Fr(signed: dense[i * n + j]) }
            #expect(foldA[j] == acc)
        }
        #expect(a.nonZeroCount == b.nonZeroCount)
        #expect(throws: ConstraintSystemError.self) { try FoldMatrix(powers: 2, outputs: 2, dense: [1, 2, 3]) }
        #expect(throws: ConstraintSystemError.self) {
            try FoldMatrix(powers: 2, outputs: 2, entries: [.init(power: 0, output: 0, value: 1), .init(power: 0, output: 0, value: 2)])
        }
    }

    /// The verifier's integer shortcut for public folds (M·x in Int64, then Horner in ρ) must equal the
    /// field definition Σ_j (Σ_i ρ^i M_ij)·x_j, and large or field-sized inputs must take the field path.
    @Test func publicFoldIntegerPathMatchesFieldDefinition() throws {
        var rng = SeededRandom(seed: 26)
        let m = 6, n = 9
        let dense = (0..<(m * n)).map { _ in Int64(rng.next() % 2001) - 1000 }
        let matrix = try FoldMatrix(powers: m, outputs: n, dense: dense)
        let rho = rng.element()
        var powers = [Fr.one]
        for _ in 1..<m { powers.append(powers.last! * rho) }
        let u = matrix.fold(powersOfChallenge: powers)
        let inputs: [[Fr]] = [
            (0..<n).map { _ in Fr(signed: Int64(rng.next() % 200_001) - 100_000) },  // integer path
            (0..<n).map { i in i == 3 ? Fr(1 << 40) : Fr(signed: -Int64(i)) },  // too large: field path
            (0..<n).map { _ in rng.element() },  // arbitrary field elements
        ]
        for (index, x) in inputs.enumerated() {
            let segment = ChallengeSegment(
                challenge: Challenge(index: 0), startRow: 2,
                source: .publicFold(matrix, instance: InstanceColumn(index: 0), instanceStart: 1))
            let values = segment.values(challenge: rho) { _, row in x[row - 1] }
            let expected = zip(u, x).reduce(Fr.zero) { $0 + $1.0 * $1.1 }
            #expect(values.count == 1 && values[0].row == 2)
            #expect(values[0].value == expected, "input set \(index)")
        }
        #expect(ChallengeSegment.smallSigned(Fr(signed: -5)) == -5)
        #expect(ChallengeSegment.smallSigned(Fr(1 << 31)) == nil)
        #expect(matrix.multiply([Int64](repeating: 1 << 31, count: n)) == nil)
    }
}
