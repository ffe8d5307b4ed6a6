import ConstraintSystem
import ModelGraph
import Quantization

/// A structured convolution's part of W (docs/protocol.md §19.3, §19.9): per tap and channel tile one committed
/// block (that tap's Cout × Cin weights, block-diagonal for a grouped convolution; per input channel when the
/// input is the public values' NCHW column), used by one term per run of output rows that reads the same
/// slot and row offset (`GroupBand`); plus one block per channel tile of Cout × 1 bias-and-rounding constants on the constant
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
        case .linear(let op):
            return ((op.outputs + (1 << logM) - 1) >> logM) * (((op.inputs + (1 << logN) - 1) >> logN) + 1)
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
        if case .linear(let op) = node.operation { return try emitLinear(c, op, logM: logM, logN: logN, blocks: &blocks, terms: &terms) }
        guard case .convolution(.conv(let conv)) = node.operation, case .rescale(let rescale) = plan.groups[c.outputGroup].kind,
            let out = layout.bands[c.outputGroup]
        else { throw CompilerError.witnessMismatch("structured convolution \(node.label) without its layout") }
        let q = model.nodes[c.node]
        let inShape = graph.values[node.inputs[0]].shape, outShape = graph.values[node.output].shape
        let (a, b) = conv.axes(input: inShape, output: outShape)
        let window = conv.window(input: inShape, output: outShape)
        let flat = inShape.count == 3
        let cout = outShape[1], cin = inShape[1], cg = conv.groupChannels, perGroup = cout / conv.group
        // Port 0 and value 0 of consecutive lane slots are consecutive relation slots (`CircuitLayout.producerSlot`):
        // a band step is one slot on either side.
        let (r, v) = (layout.receiverSlots, layout.producerSlots)
        let bandCount = out.bands
        let startOut = layout.groupRows[c.outputGroup].start
        let (m, n) = (1 << logM, 1 << logN)
        func receiver(_ t: Int, _ al: Int, _ ob: Int, _ channel: Int) -> Int {
            (startOut + (al * b.output + ob) * cout + channel) * r + layout.receiverSlot(lane: t, port: 0)
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

        // Per tap ka and output slot t: the output rows al (a = al·k + t) whose input row s·a + e lies inside the
        // input, and where the first of them reads (group input: slot (s·a + e) mod k, local row ⌊(s·a + e)/k⌋,
        // one row step s·B·C rows further; public input: position s·a + e of the NCHW column). Slots with the
        // same rows whose producer steps by one constant form one run, so one term.
        func runs(_ ka: Int, producer: (_ position: Int) -> Int) -> [SlotRun] {
            Self.slotRuns((0..<bandCount).map { t in
                let rows = Self.validRows(out.rows(ofBand: t)) { al in (0..<a.input).contains(a.position(al * bandCount + t, ka)) }
                return (t, rows, rows.isEmpty ? 0 : producer(a.position(rows.lowerBound * bandCount + t, ka)))
            })
        }

        for ka in 0..<a.kernel {
            for kb in 0..<b.kernel {
                let columns = b.valid(kb)
                guard !columns.isEmpty else { continue }
                let ib0 = b.position(columns.lowerBound, kb)
                for mo in stride(from: 0, to: cout, by: m) {
                    let outRows = mo..<min(mo + m, cout)
                    switch c.input {
                    case .group(let g):
                        let input = layout.bands[g]!
                        let startIn = layout.groupRows[g].start
                        let slotRuns = runs(ka) { position in
                            ((position / bandCount) * input.extentB * cin) * v + layout.producerSlot(lane: position % bandCount, value: 0)
                        }
                        guard !slotRuns.isEmpty else { continue }
                        for ci in stride(from: 0, to: cin, by: n) {
                            guard let kernel = try block(outRows, ci..<min(ci + n, cin), { weight($0, $1, ka, kb) }) else { continue }
                            for run in slotRuns {
                                term(receiver(run.slot, run.rows.lowerBound, columns.lowerBound, mo),
                                     (startIn + ib0 * cin + ci) * v + run.offset, [
                                    BoxDimension(extent: run.count, receiverStride: 1, producerStride: run.step),
                                    BoxDimension(extent: run.rows.count, receiverStride: b.output * cout * r,
                                                 producerStride: a.stride * input.extentB * cin * v),
                                    BoxDimension(extent: columns.count, receiverStride: cout * r, producerStride: b.stride * cin * v),
                                ], kernel)
                            }
                        }
                    case .publicValues(let first):
                        let base = index.publicProducer(first)
                        let slotRuns = runs(ka) { position in position * b.input * v }
                        guard !slotRuns.isEmpty else { continue }
                        for i in 0..<cin {
                            guard let kernel = try block(outRows, i..<(i + 1), { weight($0, $1, ka, kb) }) else { continue }
                            for run in slotRuns {
                                term(receiver(run.slot, run.rows.lowerBound, columns.lowerBound, mo),
                                     base + (i * a.input * b.input + ib0) * v + run.offset, [
                                    BoxDimension(extent: run.count, receiverStride: 1, producerStride: run.step),
                                    BoxDimension(extent: run.rows.count, receiverStride: b.output * cout * r,
                                                 producerStride: bandCount * a.stride * b.input * v),
                                    BoxDimension(extent: columns.count, receiverStride: cout * r, producerStride: b.stride * v),
                                ], kernel)
                            }
                        }
                    }
                }
            }
        }
        try biasTerms(c, shift: rescale.shift, m: m, blocks: &blocks, terms: &terms)
    }

    /// A linear layer over tokens (compiler 10): a 1×1 convolution over the T tokens of token-major bands. Per
    /// M × N tile of its N_out × K weights one block, and one term per run of bands holding the same rows (two when
    /// b does not divide T): box (slot, band row), receiver strides (1, N_out·R), producer strides (1, K·V) — or, for
    /// the public values' token-major column, (K·V, b·K·V).
    func emitLinear(_ c: StructuredConvolution, _ op: Linear, logM: Int, logN: Int, blocks: inout [WeightBlock],
                    terms: inout [LinearTerm]) throws {
        let node = plan.graph.nodes[c.node]
        guard case .rescale(let rescale) = plan.groups[c.outputGroup].kind, let out = layout.bands[c.outputGroup] else {
            throw CompilerError.witnessMismatch("structured linear layer \(node.label) without its layout")
        }
        // Where token t0's first input channel ci sits, and the producer strides of a slot step and a band row step:
        // a banded group (one slot, one band row of K channels) or the public values' token-major column (K rows
        // per token).
        let producer: (_ t0: Int, _ ci: Int) -> Int, slotStep: Int, rowStep: Int
        switch c.input {
        case .group(let g):
            guard let input = layout.bands[g], input.bands == out.bands, input.extentA == out.extentA else {
                throw CompilerError.witnessMismatch("structured linear layer \(node.label) without its layout")
            }
            let startIn = layout.groupRows[g].start
            producer = { t0, ci in (startIn + ci) * layout.producerSlots + layout.producerSlot(lane: t0, value: 0) }
            (slotStep, rowStep) = (1, op.inputs * layout.producerSlots)
        case .publicValues(let first):
            producer = { t0, ci in index.publicProducer(first + t0 * op.inputs + ci) }
            (slotStep, rowStep) = (op.inputs * layout.producerSlots, out.bands * op.inputs * layout.producerSlots)
        }
        let q = model.nodes[c.node]
        let r = layout.receiverSlots
        let (cout, cin) = (op.outputs, op.inputs)
        guard q.weights.count == cout * cin else { throw CompilerError.witnessMismatch("weights of \(node.label)") }
        let startOut = layout.groupRows[c.outputGroup].start
        let full = out.extentA % out.bands == 0 ? out.bands : out.extentA % out.bands
        let runs = [(0, full, out.bandRows), (full, out.bands - full, out.bandRows - 1)].filter { $0.1 > 0 && $0.2 > 0 }
        for mo in stride(from: 0, to: cout, by: 1 << logM) {
            for ci in stride(from: 0, to: cin, by: 1 << logN) {
                guard let kernel = try Self.block(mo..<min(mo + (1 << logM), cout), ci..<min(ci + (1 << logN), cin),
                                                  { o, i in q.weights[o * cin + i] }, &blocks)
                else { continue }
                for (t0, count, rows) in runs {
                    Self.term((startOut + mo) * r + layout.receiverSlot(lane: t0, port: 0), producer(t0, ci), [
                        BoxDimension(extent: count, receiverStride: 1, producerStride: slotStep),
                        BoxDimension(extent: rows, receiverStride: cout * r, producerStride: rowStep),
                    ], kernel, &terms)
                }
            }
        }
        try biasTerms(c, shift: rescale.shift, m: 1 << logM, blocks: &blocks, terms: &terms)
    }

    /// Bias plus the rounding offset 2^(k−1), per output channel, on the constant producer: one Cout × 1 block per
    /// channel tile and one term over (band, pixel) per run of bands holding the same rows (two when A is not a
    /// multiple of the band count: the holes get no bias).
    func biasTerms(_ c: StructuredConvolution, shift: Int, m: Int, blocks: inout [WeightBlock], terms: inout [LinearTerm]) throws {
        let node = plan.graph.nodes[c.node], q = model.nodes[c.node]
        let r = layout.receiverSlots
        let start = layout.groupRows[c.outputGroup].start, band = layout.bands[c.outputGroup]!
        let cout = band.channels
        let offset: Int64 = shift > 0 ? Int64(1) << (shift - 1) : 0
        let constantOf = try (0..<cout).map { o -> Int64 in
            let (sum, overflow) = (q.bias.isEmpty ? 0 : q.bias[o]).addingReportingOverflow(offset)
            guard !overflow else { throw CompilerError.witnessMismatch("bias of \(node.label) overflows 64 bits") }
            return sum
        }
        let full = band.extentA % band.bands == 0 ? band.bands : band.extentA % band.bands
        let runs = [(0, full, band.bandRows), (full, band.bands - full, band.bandRows - 1)].filter { $0.1 > 0 && $0.2 > 0 }
        for mo in stride(from: 0, to: cout, by: m) {
            guard let constants = try Self.block(mo..<min(mo + m, cout), 0..<1, { o, _ in constantOf[o] }, &blocks) else { continue }
            for (t0, count, rows) in runs {
                Self.term((start + mo) * r + layout.receiverSlot(lane: t0, port: 0), index.constantProducer, [
                    BoxDimension(extent: count, receiverStride: 1, producerStride: 0),
                    BoxDimension(extent: rows * band.extentB, receiverStride: cout * r, producerStride: 0),
                ], constants, &terms)
            }
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

    /// Consecutive slots with the same local rows whose offset (the other side's first cell) steps by one constant
    /// ≥ 0: one term's (band, row) box.
    typealias SlotRun = (slot: Int, count: Int, rows: Range<Int>, offset: Int, step: Int)

    /// The runs of `pieces` (slot, rows, offset) in slot order; slots without rows are dropped.
    static func slotRuns(_ pieces: [(slot: Int, rows: Range<Int>, offset: Int)]) -> [SlotRun] {
        var runs: [SlotRun] = []
        for piece in pieces where !piece.rows.isEmpty {
            if let last = runs.last, last.slot + last.count == piece.slot, last.rows == piece.rows {
                let step = piece.offset - (last.offset + (last.count - 1) * last.step)
                if last.count == 1 ? step >= 0 : step == last.step {
                    runs[runs.count - 1].count += 1
                    runs[runs.count - 1].step = step
                    continue
                }
            }
            runs.append((piece.slot, 1, piece.rows, piece.offset, 0))
        }
        return runs
    }

    /// The local rows 0 ..< count where `inside` holds: an interval, since a tap's position grows with the row.
    static func validRows(_ count: Int, _ inside: (Int) -> Bool) -> Range<Int> {
        var lo = 0
        while lo < count, !inside(lo) { lo += 1 }
        var hi = lo
        while hi < count, inside(hi) { hi += 1 }
        return lo..<hi
    }

    static func term(_ receiverOffset: Int, _ producerOffset: Int, _ box: [BoxDimension], _ kernel: Int, _ terms: inout [LinearTerm]) {
        terms.append(LinearTerm(receiverOffset: receiverOffset, producerOffset: producerOffset,
                                box: box.filter { $0.extent > 1 }, kernel: .block(kernel)))
    }
}
