import ConstraintSystem
import ModelGraph
import Quantization

/// A structured convolution's part of W (docs/protocol.md §19.3, §19.9): per tap and channel tile one committed
/// block (that tap's Cout × Cin weights, block-diagonal for a grouped convolution; per input channel when the
/// input is the public values' NCHW column), used by one term per run of output rows that reads the same
/// neighbouring band; plus one block per channel tile of Cout × 1 bias-and-rounding constants on the constant
/// producer. Work and key size follow params + taps, never outputs × taps.
struct ConvolutionTerms {
    let plan: CircuitPlan
    let layout: CircuitLayout
    let model: QuantizedModel
    let index: RelationIndexing

    /// Blocks this convolution needs with M × N blocks (an upper bound: empty channel tiles are skipped).
    static func blockCount(_ c: StructuredConvolution, plan: CircuitPlan, logM: Int, logN: Int) -> Int {
        let node = plan.graph.nodes[c.node]
        let taps: Int
        switch node.operation {
        case .convolution(.conv(let conv)): taps = conv.kernel.reduce(1, *)
        case .convolution(.transposed(let conv)): taps = conv.kernel.reduce(1, *)
        default: return 0
        }
        let cout = plan.graph.values[node.output].shape[1], cin = plan.graph.values[node.inputs[0]].shape[1]
        let rowTiles = (cout + (1 << logM) - 1) >> logM
        switch c.input {
        case .group: return rowTiles * (taps * ((cin + (1 << logN) - 1) >> logN) + 1)
        case .publicValues: return rowTiles * (taps * cin + 1)
        }
    }

    func emit(_ c: StructuredConvolution, logM: Int, logN: Int, blocks: inout [WeightBlock], terms: inout [LinearTerm]) throws {
        let graph = plan.graph
        let node = graph.nodes[c.node]
        if case .convolution(.transposed(let conv)) = node.operation {
            return try emitTransposed(c, conv, logM: logM, logN: logN, blocks: &blocks, terms: &terms)
        }
        guard case .convolution(.conv(let conv)) = node.operation, case .rescale(let rescale) = plan.groups[c.outputGroup].kind,
            let out = layout.bands[c.outputGroup]
        else { throw CompilerError.witnessMismatch("structured convolution \(node.label) without its layout") }
        let q = model.nodes[c.node]
        let inShape = graph.values[node.inputs[0]].shape, outShape = graph.values[node.output].shape
        let (a, b) = conv.axes(input: inShape, output: outShape)
        let window = conv.window(input: inShape, output: outShape)
        let flat = inShape.count == 3
        let cout = outShape[1], cin = inShape[1], cg = conv.groupChannels, perGroup = cout / conv.group
        let (r, p, v, qv) = (layout.receiverSlots, layout.portsPerLane, layout.producerSlots, layout.producedPerLane)
        let (bandCount, bandRows) = (out.bands, out.bandRows)
        let startOut = layout.groupRows[c.outputGroup].start
        let (m, n) = (1 << logM, 1 << logN)
        func receiver(_ t: Int, _ al: Int, _ ob: Int, _ channel: Int) -> Int {
            (startOut + (al * b.output + ob) * cout + channel) * r + t * p
        }
        func weight(_ o: Int, _ i: Int, _ ka: Int, _ kb: Int) -> Int64 {
            let first = (o / perGroup) * cg
            guard (first..<(first + cg)).contains(i) else { return 0 }
            let (ky, kx) = flat ? (kb, ka) : (ka, kb)
            return q.weights[((o * cg + i - first) * window.kH + ky) * window.kW + kx]
        }
        func block(_ rows: Range<Int>, _ columns: Range<Int>, _ value: (Int, Int) -> Int64) throws -> Int? {
            try Self.block(rows, columns, value, &blocks)
        }
        func term(_ receiverOffset: Int, _ producerOffset: Int, _ box: [BoxDimension], _ kernel: Int) {
            Self.term(receiverOffset, producerOffset, box, kernel, &terms)
        }

        // Runs of output rows al (inside a band) that read the same band offset δ (group input) or exist for the
        // same bands t (public input): (first row, rows, δ, bands).
        func pieces(_ ka: Int) -> [BandPiece] {
            var result: [BandPiece] = []
            for al in 0..<bandRows {
                switch c.input {
                case .group(let g):
                    Self.appendMerging(Self.bandPiece(row: al, position: a.position(al, ka), rows: layout.bands[g]!.bandRows,
                                                      bandCount: bandCount), to: &result)
                case .publicValues:
                    let valid = (0..<bandCount).filter { (0..<a.input).contains(a.position($0 * bandRows + al, ka)) }
                    Self.appendMerging((al, 1, 0, (valid.first ?? 0)..<((valid.last ?? -1) + 1)), to: &result)
                }
            }
            return result.filter { !$0.bands.isEmpty }
        }

        for ka in 0..<a.kernel {
            let runs = pieces(ka)
            for kb in 0..<b.kernel {
                let columns = b.valid(kb)
                guard !columns.isEmpty, !runs.isEmpty else { continue }
                let ib0 = b.position(columns.lowerBound, kb)
                for mo in stride(from: 0, to: cout, by: m) {
                    let outRows = mo..<min(mo + m, cout)
                    switch c.input {
                    case .group(let g):
                        let input = layout.bands[g]!
                        let startIn = layout.groupRows[g].start
                        for ci in stride(from: 0, to: cin, by: n) {
                            guard let kernel = try block(outRows, ci..<min(ci + n, cin), { weight($0, $1, ka, kb) }) else { continue }
                            for run in runs {
                                let t0 = run.bands.lowerBound
                                let il = a.position(run.first, ka) - run.delta * input.bandRows
                                let producer = (startIn + (il * input.extentB + ib0) * cin + ci) * v + (t0 + run.delta) * qv
                                term(receiver(t0, run.first, columns.lowerBound, mo), producer, [
                                    BoxDimension(extent: run.bands.count, receiverStride: p, producerStride: qv),
                                    BoxDimension(extent: run.count, receiverStride: b.output * cout * r,
                                                 producerStride: a.stride * input.extentB * cin * v),
                                    BoxDimension(extent: columns.count, receiverStride: cout * r, producerStride: b.stride * cin * v),
                                ], kernel)
                            }
                        }
                    case .publicValues(let first):
                        let base = index.publicProducer(first)
                        for i in 0..<cin {
                            guard let kernel = try block(outRows, i..<(i + 1), { weight($0, $1, ka, kb) }) else { continue }
                            for run in runs {
                                let t0 = run.bands.lowerBound
                                let ia = a.position(t0 * bandRows + run.first, ka)
                                let producer = base + ((i * a.input + ia) * b.input + ib0) * v
                                term(receiver(t0, run.first, columns.lowerBound, mo), producer, [
                                    BoxDimension(extent: run.bands.count, receiverStride: p,
                                                 producerStride: bandRows * a.stride * b.input * v),
                                    BoxDimension(extent: run.count, receiverStride: b.output * cout * r,
                                                 producerStride: a.stride * b.input * v),
                                    BoxDimension(extent: columns.count, receiverStride: cout * r, producerStride: b.stride * v),
                                ], kernel)
                            }
                        }
                    }
                }
            }
        }
        try biasTerms(c, shift: rescale.shift, pixelsPerBand: bandRows * b.output, m: m, blocks: &blocks, terms: &terms)
    }

    /// Bias plus the rounding offset 2^(k−1), per output channel, on the constant producer: one Cout × 1 block per
    /// channel tile and one term over (band, pixel).
    func biasTerms(_ c: StructuredConvolution, shift: Int, pixelsPerBand: Int, m: Int, blocks: inout [WeightBlock],
                   terms: inout [LinearTerm]) throws {
        let node = plan.graph.nodes[c.node], q = model.nodes[c.node]
        let cout = plan.graph.values[node.output].shape[1]
        let (r, p) = (layout.receiverSlots, layout.portsPerLane)
        let start = layout.groupRows[c.outputGroup].start, bands = layout.bands[c.outputGroup]!.bands
        let offset: Int64 = shift > 0 ? Int64(1) << (shift - 1) : 0
        let constantOf = try (0..<cout).map { o -> Int64 in
            let (sum, overflow) = (q.bias.isEmpty ? 0 : q.bias[o]).addingReportingOverflow(offset)
            guard !overflow else { throw CompilerError.witnessMismatch("bias of \(node.label) overflows 64 bits") }
            return sum
        }
        for mo in stride(from: 0, to: cout, by: m) {
            guard let constants = try Self.block(mo..<min(mo + m, cout), 0..<1, { o, _ in constantOf[o] }, &blocks) else { continue }
            Self.term((start + mo) * r, index.constantProducer, [
                BoxDimension(extent: bands, receiverStride: p, producerStride: 0),
                BoxDimension(extent: pixelsPerBand, receiverStride: cout * r, producerStride: 0),
            ], constants, &terms)
        }
    }

    /// The block of `value(o, i)` over rows × columns (sparse; nil when every weight is 0), appended to `blocks`.
    static func block(_ rows: Range<Int>, _ columns: Range<Int>, _ value: (Int, Int) -> Int64, _ blocks: inout [WeightBlock]) throws -> Int? {
        var entries: [WeightBlock.Entry] = []
        for o in rows {
            for i in columns {
                let w = value(o, i)
                if w != 0 { entries.append(WeightBlock.Entry(row: o - rows.lowerBound, column: i - columns.lowerBound, value: w)) }
            }
        }
        guard !entries.isEmpty else { return nil }
        blocks.append(try WeightBlock(rows: entries.map(\.row).max()! + 1, columns: entries.map(\.column).max()! + 1,
                                      entries: entries))
        return blocks.count - 1
    }

    /// A run of rows inside a band that land in the same band offset δ (their position's band, relative to the
    /// row's own) and exist for the same bands t: (first row, rows, δ, bands).
    typealias BandPiece = (first: Int, count: Int, delta: Int, bands: Range<Int>)

    /// Row `row` of a band, whose position relative to band 0 is `position` in bands of `rows` rows: δ = ⌊position /
    /// rows⌋ (rounded down for negative positions), for the bands t with t + δ also one of the `bandCount` bands.
    static func bandPiece(row: Int, position: Int, rows: Int, bandCount: Int) -> BandPiece {
        let delta = position >= 0 ? position / rows : -((-position + rows - 1) / rows)
        return (row, 1, delta, max(0, -delta)..<max(max(0, -delta), min(bandCount, bandCount - delta)))
    }

    /// Appends the one-row `piece`, extending the last run when it has the same δ and bands.
    static func appendMerging(_ piece: BandPiece, to runs: inout [BandPiece]) {
        if let last = runs.last, last.delta == piece.delta, last.bands == piece.bands {
            runs[runs.count - 1].count += piece.count
        } else {
            runs.append(piece)
        }
    }

    static func term(_ receiverOffset: Int, _ producerOffset: Int, _ box: [BoxDimension], _ kernel: Int, _ terms: inout [LinearTerm]) {
        terms.append(LinearTerm(receiverOffset: receiverOffset, producerOffset: producerOffset,
                                box: box.filter { $0.extent > 1 }, kernel: .block(kernel)))
    }
}
