import CommandLineSupport
import ConstraintSystem
import FieldArithmetic
import KZG
import Parallelism
import PlonkProver
import PlonkVerifier

/// `zkbench clr`: the committed linear relation (docs/protocol.md §19) end to end — keygen, prove (with the
/// prover's split, `linearRelation` included), verify on one thread, proof and key bytes — for one 3×3
/// same-padded convolution with C channels in and out plus its bias, laid out with
/// `CommittedRelationLayout` (one pixel per row: C producer and C receiver slots), at 2^10 … 2^16 rows;
/// and, for comparison, the same convolution as §11's verifier-folded layer (weights in the key).
enum CommittedRelationBenchmark {
    static let command = Command(
        name: "clr", summary: "committed linear relation: a convolution proved with committed weights, 2^10 … 2^16 rows",
        options: [
            .flag("quick", "2^10 and 2^12 only"),
            .value("max-log2", "K", "largest circuit size (default 16)"),
            .value("channels", "C", "channels in and out (default 8; blocks are C × C)"),
            .value("compare-max-log2", "K", "the same convolution folded by the verifier (§11) up to 2^K rows (default 13; its key grows with the MACs: ~75 MB at 2^13; 0 skips it)"),
        ]
    ) { invocation in
        let quick = invocation.flag("quick")
        let maxLog2 = try invocation.integer("max-log2", default: quick ? 12 : 16, in: 10...20)
        let channels = try invocation.integer("channels", default: 8, in: 1...64)
        var report = FigureReport()
        let compareMax = try invocation.integer("compare-max-log2", default: 13, in: 0...20)
        for k in stride(from: 10, through: maxLog2, by: quick ? 2 : 1) {
            try figures(k, channels: channels, compare: k <= compareMax, into: &report)
        }
        report.emit(json: invocation.wantsJSON)
    }

    static func figures(_ k: Int, channels: Int, compare: Bool, into report: inout FigureReport) throws {
        let conv = try ConvolutionCircuit(log2Rows: k, channels: channels)
        let srs = try SRS.insecureDevelopment(log2Size: k)
        var key: ProvingKey! = nil
        let keygen = BenchTiming.best(repeats: 1) { key = try! KeyGeneration.generate(circuit: conv.circuit, srs: srs) }
        var file: ProofFile! = nil
        var timings = ProverTimings()
        let prove = BenchTiming.best(repeats: k <= 12 ? 3 : 1) {
            let t = ProverTimings()
            file = try! PlonkProver.prove(
                key: key, circuit: conv.circuit, assignment: conv.assignment, timings: t, witness: conv.witness)
            timings = t
        }
        let vk = key.verifyingKey
        let verify = Parallel.withThreadCount(1) {
            BenchTiming.best(repeats: 10) { try! PlonkVerifier.verify(key: vk, proof: file) }
        }
        let p = "clr_2^\(k)"
        let shape = "\(conv.height)×\(conv.width)×\(channels) conv 3×3, \(conv.macs) MACs"
        report.seconds("\(p)_keygen_s", keygen, "2^\(k) rows (\(shape)): keygen")
        report.seconds("\(p)_prove_s", prove, "2^\(k) rows: prove (\(Parallel.threadCount) threads)")
        report.seconds("\(p)_verify_1t_s", verify, "2^\(k) rows: verify, 1 thread")
        report.value("\(p)_proof_body_bytes", .int(file.body.count))
        report.value("\(p)_vk_bytes", .int(vk.encoded.count))
        report.value("\(p)_macs", .int(conv.macs))
        report.lines.append("2^\(k) rows: proof body \(file.body.count) bytes, verifying key \(vk.encoded.count) bytes")
        var split: [(String, JSONValue)] = []
        for category in ProverTimings.categories {
            split.append((category, .double(BenchTiming.round(timings.seconds[category] ?? 0, 6))))
        }
        report.value("\(p)_prove_split_s", .object(split))
        report.lines.append(
            "2^\(k) rows: split " + ProverTimings.categories.map { "\($0) \(formatSeconds(timings.seconds[$0] ?? 0))" }.joined(separator: ", "))
        guard compare else { return }

        // The same convolution folded by the verifier (§11): weights in the key, one fold entry per MAC.
        let folded = try FoldedConvolutionCircuit(conv)
        var foldedKey: ProvingKey! = nil
        let foldedKeygen = BenchTiming.best(repeats: 1) { foldedKey = try! KeyGeneration.generate(circuit: folded.circuit, srs: srs) }
        var foldedFile: ProofFile! = nil
        let foldedProve = BenchTiming.best(repeats: k <= 12 ? 3 : 1) {
            foldedFile = try! PlonkProver.prove(
                key: foldedKey, circuit: folded.circuit, assignment: folded.assignment, witness: folded.witness)
        }
        let foldedVK = foldedKey.verifyingKey
        let foldedVerify = Parallel.withThreadCount(1) {
            BenchTiming.best(repeats: 5) { try! PlonkVerifier.verify(key: foldedVK, proof: foldedFile) }
        }
        let f = "clr_2^\(k)_verifier_folded"
        report.seconds("\(f)_keygen_s", foldedKeygen, "2^\(k) rows, the same conv folded by the verifier (§11): keygen")
        report.seconds("\(f)_prove_s", foldedProve, "2^\(k) rows, §11: prove")
        report.seconds("\(f)_verify_1t_s", foldedVerify, "2^\(k) rows, §11: verify, 1 thread")
        report.value("\(f)_proof_body_bytes", .int(foldedFile.body.count))
        report.value("\(f)_vk_bytes", .int(foldedVK.encoded.count))
        report.lines.append("2^\(k) rows, §11: proof body \(foldedFile.body.count) bytes, verifying key \(foldedVK.encoded.count) bytes")
    }
}

/// A C → C 3×3 convolution with padding 1 and a bias on an H × W image (NHWC), H·W + 1 rows filling 2^k:
/// row p holds pixel p's C inputs (producers) and C outputs (receivers); the last run row holds the
/// constant-1 producer the bias reads. Weights and inputs are small random integers.
struct ConvolutionCircuit {
    let circuit: Circuit
    let assignment: Assignment
    let witness: (Int, inout Assignment) throws -> Void
    let height: Int, width: Int
    /// The convolution's integers, for the §11 variant: kernel[tap][o][ci], bias, inputs and outputs (NHWC).
    let kernel: [Int64], bias: [Int64], inputs: [Int64], outputs: [Int64]
    var macs: Int { height * width * 9 * channels * channels }
    let channels: Int

    init(log2Rows k: Int, channels c: Int) throws {
        let width = 32
        let height = ((1 << k) - Circuit.reservedRows - 3) / width  // + the constant row and the close row
        self.width = width
        self.height = height
        channels = c
        let pixels = height * width
        var rng = BenchRandom(seed: UInt64(k * 100 + c))
        func small(_ bound: UInt64) -> Int64 { Int64(rng.next() % (2 * bound + 1)) - Int64(bound) }
        var kernel = [Int64](repeating: 0, count: 9 * c * c)  // [tap][o][ci]
        for i in kernel.indices { kernel[i] = small(8) }
        let bias = (0..<c).map { _ in small(100) }
        let inputs = (0..<(pixels * c)).map { _ in small(8) }
        var outputs = [Int64](repeating: 0, count: pixels * c)
        for y in 0..<height {
            for x in 0..<width {
                for o in 0..<c {
                    var acc = bias[o]
                    for ky in 0..<3 {
                        let iy = y - 1 + ky
                        if iy < 0 || iy >= height { continue }
                        for kx in 0..<3 {
                            let ix = x - 1 + kx
                            if ix < 0 || ix >= width { continue }
                            let tap = (ky * 3 + kx) * c * c + o * c
                            let base = (iy * width + ix) * c
                            for ci in 0..<c { acc += kernel[tap + ci] * inputs[base + ci] }
                        }
                    }
                    outputs[(y * width + x) * c + o] = acc
                }
            }
        }
        var blocks: [WeightBlock] = []
        var terms: [LinearTerm] = []
        for ky in 0..<3 {
            for kx in 0..<3 {
                let ys = (0..<height).filter { (0..<height).contains($0 - 1 + ky) }
                let xs = (0..<width).filter { (0..<width).contains($0 - 1 + kx) }
                let tap = (ky * 3 + kx) * c * c
                blocks.append(try WeightBlock(rows: c, columns: c, dense: Array(kernel[tap..<(tap + c * c)])))
                terms.append(LinearTerm(
                    receiverOffset: (ys[0] * width + xs[0]) * c, producerOffset: ((ys[0] - 1 + ky) * width + xs[0] - 1 + kx) * c,
                    box: [BoxDimension(extent: ys.count, receiverStride: width * c, producerStride: width * c),
                          BoxDimension(extent: xs.count, receiverStride: c, producerStride: c)],
                    kernel: .block(blocks.count - 1)))
            }
        }
        blocks.append(try WeightBlock(rows: c, columns: 1, dense: bias))
        terms.append(LinearTerm(receiverOffset: 0, producerOffset: pixels * c,
                                box: [BoxDimension(extent: pixels, receiverStride: c, producerStride: 0)], kernel: .block(9)))
        var log2C = 0
        while (1 << log2C) < c { log2C += 1 }

        var cs = ConstraintSystemBuilder()
        let x = (0..<c).map { cs.adviceColumn("x\($0)") }
        let y = (0..<c).map { cs.adviceColumn("y\($0)") }
        let rho = cs.challenge("rho", afterPhase: 1), s = cs.challenge("s", afterPhase: 2)
        let shape = try LinearRelationShape(
            rho: rho, s: s, receiverCount: pixels * c, producerCount: pixels * c + 1, receiverChannelStride: 1,
            producerChannelStride: 1, log2BlockRows: log2C, log2BlockColumns: max(log2C, 1),
            blockShapes: blocks.map { .init(rows: $0.rows, columns: $0.columns) }, terms: terms)
        let relation = try LinearRelation(shape: shape, blocks: blocks)
        let layout = try CommittedRelationLayout(
            &cs, relation: relation, producers: x.map(\.cur), receivers: y.map(\.cur), startRow: 0, rows: pixels + 1)
        let circuit = try cs.build(log2Rows: k)
        var a = Assignment(circuit: circuit)
        for p in 0...pixels {
            for ch in 0..<c {
                try a.set(x[ch], row: p, p < pixels ? inputs[p * c + ch] : (ch == 0 ? 1 : 0))
                try a.set(y[ch], row: p, p < pixels ? outputs[p * c + ch] : 0)
            }
        }
        self.circuit = circuit
        assignment = a
        witness = { phase, a in try layout.assign(phase: phase, &a, circuit: circuit) }
        self.kernel = kernel
        self.bias = bias
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// The same convolution as §11 lays out a verifier-folded layer (docs/protocol.md §11, several value and
/// challenge column pairs): row p holds pixel p's inputs x_c and outputs y_o (the last run row the constant
/// 1), challenge columns Cx_c = u_j (ρᵀW for producer j = p·C + c: one key entry per MAC) and
/// Cy_o = −ρ^(p·C + o), and S(ωX) = S + Σ_c Cx_c·x_c + Σ_o Cy_o·y_o closes on 0.
struct FoldedConvolutionCircuit {
    let circuit: Circuit
    let assignment: Assignment
    let witness: (Int, inout Assignment) throws -> Void

    init(_ conv: ConvolutionCircuit) throws {
        let (c, h, w) = (conv.channels, conv.height, conv.width)
        let pixels = h * w
        var cs = ConstraintSystemBuilder()
        let x = (0..<c).map { cs.adviceColumn("x\($0)") }
        let y = (0..<c).map { cs.adviceColumn("y\($0)") }
        let sum = cs.adviceColumn("S", phase: 2)
        let rho = cs.challenge("rho", afterPhase: 1)
        let cx = (0..<c).map { cs.challengeColumn("cx\($0)") }
        let cy = (0..<c).map { cs.challengeColumn("cy\($0)") }
        var entries = [[FoldMatrix.Entry]](repeating: [], count: c)
        for py in 0..<h {
            for px in 0..<w {
                for o in 0..<c {
                    let i = (py * w + px) * c + o
                    for ky in 0..<3 {
                        let iy = py - 1 + ky
                        if iy < 0 || iy >= h { continue }
                        for kx in 0..<3 {
                            let ix = px - 1 + kx
                            if ix < 0 || ix >= w { continue }
                            for ci in 0..<c {
                                entries[ci].append(.init(power: i, output: iy * w + ix, value: conv.kernel[(ky * 3 + kx) * c * c + o * c + ci]))
                            }
                        }
                    }
                    entries[0].append(.init(power: i, output: pixels, value: conv.bias[o]))  // the constant 1
                }
            }
        }
        for ci in 0..<c {
            cs.defineChallengeValues(cx[ci], ChallengeSegment(
                challenge: rho, startRow: 0, source: .fold(try FoldMatrix(powers: pixels * c, outputs: pixels + 1, entries: entries[ci]))))
            cs.defineChallengeValues(cy[ci], ChallengeSegment(
                challenge: rho, startRow: 0, source: .fold(try FoldMatrix(
                    powers: pixels * c, outputs: pixels, entries: (0..<pixels).map { .init(power: $0 * c + ci, output: $0, value: -1) }))))
        }
        let qStart = cs.fixedColumn("q_start"), qAcc = cs.fixedColumn("q_acc"), qClose = cs.fixedColumn("q_close")
        var step = sum.next - sum.cur
        for i in 0..<c { step = step - cx[i].cur * x[i].cur - cy[i].cur * y[i].cur }
        cs.addGate(name: "start", selector: qStart, constraints: [sum.cur])
        cs.addGate(name: "acc", selector: qAcc, constraints: [step])
        cs.addGate(name: "close", selector: qClose, constraints: [sum.cur])
        cs.enable(qStart, row: 0)
        cs.enable(qAcc, rows: 0..<(pixels + 1))
        cs.enable(qClose, row: pixels + 1)
        let circuit = try cs.build(log2Rows: conv.circuit.log2Rows)
        var a = Assignment(circuit: circuit)
        for p in 0...pixels {
            for ch in 0..<c {
                try a.set(x[ch], row: p, p < pixels ? conv.inputs[p * c + ch] : (ch == 0 ? 1 : 0))
                try a.set(y[ch], row: p, p < pixels ? conv.outputs[p * c + ch] : 0)
            }
        }
        self.circuit = circuit
        assignment = a
        witness = { phase, a in
            guard phase == 2 else { return }
            let columns = circuit.challengeColumnValues(challenges: a.challenges) { _, _ in .zero }
            var acc = Fr.zero
            try a.set(sum, row: 0, acc)
            for p in 0...pixels {
                for ch in 0..<c {
                    acc += columns[ch]![p] * a.value(x[ch], row: p)! + columns[c + ch]![p] * a.value(y[ch], row: p)!
                }
                try a.set(sum, row: p + 1, acc)
            }
        }
    }
}
