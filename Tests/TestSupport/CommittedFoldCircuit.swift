import ConstraintSystem
import FieldArithmetic

/// A small circuit whose only link between public inputs and public outputs is a committed linear relation
/// (docs/protocol.md §19), laid out with `CommittedRelationLayout` from row `startRow` (an offset, so the
/// index formulas are exercised with one):
///
/// - a 2-channel 3×3 convolution (3×3 kernel, padding 1, NHWC) as one term per tap with a committed 2×2 block
///   each, plus its bias as a committed 2×1 block through the constant-1 producer (box stride 0 on producers);
/// - a dense 8 → 4 tile (one committed 4×8 block) on private inputs, with a uniform bias of 3 as a constant
///   `ones` term through the constant-1 producer;
/// - a copy of 4 private producers to 4 receivers (a constant diagonal term).
///
/// Producer slots per row V = 2 (`x0`, `x1`), receiver slots R = 2 (`y0`, `y1`). Producers 0…17 are the
/// convolution's input (public: gate "input" ties them to `in0`, `in1`), 18…25 the dense inputs, 26…29 the
/// copied values, 30 the constant 1 (gate "one"). Receivers 0…17 are the convolution's output, 18…21 the
/// dense outputs, 22…25 the copies; gate "output" ties all 26 to the public `out0`, `out1`. The receivers'
/// values come from the layers' definitions (loops over positions, taps and channels), not from the relation.
public struct CommittedFoldCircuit: Sendable {
    public static let startRow = 3
    public static let rows = 16
    public static let constantProducer = 30

    public let circuit: Circuit
    public let layout: CommittedRelationLayout
    public let relation: LinearRelation
    public let x: [AdviceColumn]
    public let y: [AdviceColumn]
    public let inputs: [InstanceColumn]
    public let outputs: [InstanceColumn]
    public let rho: Challenge
    public let s: Challenge
    /// Producer values x_j (J = 31) and receiver values W·x (I = 26), as integers.
    public let producers: [Int64]
    public let receivers: [Int64]

    /// `denseShift` adds to the dense tile's first weight: the same shape with other weights. `tapOrder` puts tap
    /// `tapOrder[t]`'s weights (t = 3·ky + kx) in tap t's block: the same committed blocks in another order, which
    /// is another model (the receivers follow it).
    public init(seed: UInt64 = 1, denseShift: Int64 = 0, tapOrder: [Int] = Array(0..<9)) throws {
        precondition(tapOrder.sorted() == Array(0..<9), "tapOrder must be a permutation of the 9 taps")
        var rng = SeededRandom(seed: seed)
        func small(_ bound: Int64) -> Int64 { Int64(rng.next() % UInt64(2 * bound + 1)) - bound }
        let (h, w, channels) = (3, 3, 2)
        // Weights: conv kernel[o][c][ky][kx], conv bias, dense 4×8.
        var kernel = [[[[Int64]]]](repeating: [[[Int64]]](repeating: [[Int64]](repeating: [0, 0, 0], count: 3), count: 2), count: 2)
        for o in 0..<2 { for c in 0..<2 { for ky in 0..<3 { for kx in 0..<3 { kernel[o][c][ky][kx] = small(5) } } } }
        let convBias = [small(9), small(9)]
        var dense = (0..<4).map { _ in (0..<8).map { _ in small(5) } }
        dense[0][0] += denseShift
        let denseBias: Int64 = 3
        let drawn = kernel
        for o in 0..<2 {
            for c in 0..<2 {
                for t in 0..<9 { kernel[o][c][t / 3][t % 3] = drawn[o][c][tapOrder[t] / 3][tapOrder[t] % 3] }
            }
        }

        // Producers: conv input (NHWC), dense inputs, copied values, the constant 1.
        var producers = (0..<18).map { _ in small(8) }
        producers += (0..<8).map { _ in small(8) }
        producers += (0..<4).map { _ in small(20) }
        producers.append(1)
        // Receivers from the definitions.
        var receivers = [Int64](repeating: 0, count: 26)
        for oy in 0..<h {
            for ox in 0..<w {
                for o in 0..<2 {
                    var acc = convBias[o]
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            let (iy, ix) = (oy - 1 + ky, ox - 1 + kx)
                            guard (0..<h).contains(iy), (0..<w).contains(ix) else { continue }
                            for c in 0..<channels { acc += kernel[o][c][ky][kx] * producers[(iy * w + ix) * channels + c] }
                        }
                    }
                    receivers[(oy * w + ox) * 2 + o] = acc
                }
            }
        }
        for i in 0..<4 { receivers[18 + i] = denseBias + (0..<8).reduce(0) { $0 + dense[i][$1] * producers[18 + $1] } }
        for i in 0..<4 { receivers[22 + i] = producers[26 + i] }
        self.producers = producers
        self.receivers = receivers

        // The relation: blocks 0…8 the taps (o × c), 9 the conv bias (o × 1), 10 the dense tile.
        var blocks: [WeightBlock] = []
        var terms: [LinearTerm] = []
        for ky in 0..<3 {
            for kx in 0..<3 {
                let ys = (0..<h).filter { (0..<h).contains($0 - 1 + ky) }, xs = (0..<w).filter { (0..<w).contains($0 - 1 + kx) }
                blocks.append(try WeightBlock(rows: 2, columns: 2, dense: [kernel[0][0][ky][kx], kernel[0][1][ky][kx], kernel[1][0][ky][kx], kernel[1][1][ky][kx]]))
                let (y0, x0) = (ys[0], xs[0])
                terms.append(LinearTerm(
                    receiverOffset: (y0 * w + x0) * 2, producerOffset: ((y0 - 1 + ky) * w + (x0 - 1 + kx)) * channels,
                    box: [BoxDimension(extent: ys.count, receiverStride: w * 2, producerStride: w * channels),
                          BoxDimension(extent: xs.count, receiverStride: 2, producerStride: channels)],
                    kernel: .block(blocks.count - 1)))
            }
        }
        blocks.append(try WeightBlock(rows: 2, columns: 1, dense: convBias))
        terms.append(LinearTerm(receiverOffset: 0, producerOffset: Self.constantProducer,
                                box: [BoxDimension(extent: h * w, receiverStride: 2, producerStride: 0)], kernel: .block(9)))
        blocks.append(try WeightBlock(rows: 4, columns: 8, dense: dense.flatMap { $0 }))
        terms.append(LinearTerm(receiverOffset: 18, producerOffset: 18, box: [], kernel: .block(10)))
        terms.append(LinearTerm(receiverOffset: 18, producerOffset: Self.constantProducer, box: [],
                                kernel: .ones(rows: 4, columns: 1, value: denseBias)))
        terms.append(LinearTerm(receiverOffset: 22, producerOffset: 26, box: [], kernel: .diagonal(size: 4, value: 1)))

        var cs = ConstraintSystemBuilder()
        let x = [cs.adviceColumn("x0"), cs.adviceColumn("x1")]
        let y = [cs.adviceColumn("y0"), cs.adviceColumn("y1")]
        let length = Self.startRow + Self.rows
        let inputs = [cs.instanceColumn("in0", length: length), cs.instanceColumn("in1", length: length)]
        let outputs = [cs.instanceColumn("out0", length: length), cs.instanceColumn("out1", length: length)]
        rho = cs.challenge("rho", afterPhase: 1)
        s = cs.challenge("s", afterPhase: 2)
        let shape = try LinearRelationShape(
            rho: rho, s: s, receiverCount: 26, producerCount: 31, receiverChannelStride: 1, producerChannelStride: 1,
            log2BlockRows: 2, log2BlockColumns: 3, blockShapes: blocks.map { .init(rows: $0.rows, columns: $0.columns) },
            terms: terms)
        relation = try LinearRelation(shape: shape, blocks: blocks)
        layout = try CommittedRelationLayout(
            &cs, relation: relation, producers: x.map(\.cur), receivers: y.map(\.cur), startRow: Self.startRow, rows: Self.rows)
        let qIn = cs.fixedColumn("q_input"), qOne = cs.fixedColumn("q_one"), qOut = cs.fixedColumn("q_output")
        cs.addGate(name: "input", selector: qIn, constraints: [x[0].cur - inputs[0].cur, x[1].cur - inputs[1].cur])
        cs.addGate(name: "one", selector: qOne, constraints: [x[0].cur - 1])
        cs.addGate(name: "output", selector: qOut, constraints: [y[0].cur - outputs[0].cur, y[1].cur - outputs[1].cur])
        cs.enable(qIn, rows: Self.startRow..<(Self.startRow + 9))
        cs.enable(qOne, row: Self.startRow + Self.constantProducer / 2)
        cs.enable(qOut, rows: Self.startRow..<(Self.startRow + 13))
        circuit = try cs.build()
        self.x = x
        self.y = y
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The phase-1 witness: producers and receivers on the run's rows, public inputs and outputs; `receivers`
    /// replaces the receiver values (the public outputs follow them unless `publishHonestOutputs`).
    public func assignment(receivers override: [Int64]? = nil, publishHonestOutputs: Bool = false) throws -> Assignment {
        let values = override ?? receivers
        var a = Assignment(circuit: circuit)
        for k in 0..<Self.rows {
            let row = Self.startRow + k
            for slot in 0..<2 {
                let j = 2 * k + slot, i = 2 * k + slot
                try a.set(x[slot], row: row, j < producers.count ? producers[j] : 0)
                try a.set(y[slot], row: row, i < values.count ? values[i] : 0)
                try a.set(inputs[slot], row: row, j < 18 ? producers[j] : 0)
                let published = publishHonestOutputs ? receivers : values
                try a.set(outputs[slot], row: row, i < published.count ? published[i] : 0)
            }
        }
        for row in 0..<Self.startRow {
            for column in inputs + outputs { try a.set(column, row: row, 0) }
        }
        return a
    }

    /// The prover's phase callback: the relation's columns (u, Pρ, S after ρ; Ps, T after s).
    public var witness: @Sendable (Int, inout Assignment) throws -> Void {
        let layout = self.layout, circuit = self.circuit
        return { phase, a in try layout.assign(phase: phase, &a, circuit: circuit) }
    }
}
