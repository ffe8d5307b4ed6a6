import ConstraintSystem
import ModelGraph

/// A ConvTranspose as structured terms (docs/protocol.md §19.9), in scatter form: input pixel (i_A, i_B) with tap
/// (k_A, k_B) adds W[c][o]·x[c] into output pixel (i_A·s_A + k_A·d_A − p_A, i_B·s_B + k_B·d_B − p_B). So a tap is
/// a convolution's term with the roles of the strides swapped: its box runs over *input* rows and columns, the
/// producer stepping one pixel and the receiver s pixels. Input slot t's rows i = k·j + t scatter into output rows
/// s·i + e, one slot and row offset per input slot (`GroupBand`). Per tap and M × N channel tile one committed
/// block (rows: output channels, columns: input channels; block-diagonal for a grouped ConvTranspose), one term
/// per run of input slots with the same rows and a constant receiver step; the bias as a convolution's.
extension ConvolutionTerms {
    func emitTransposed(_ c: StructuredConvolution, _ conv: ConvTranspose, logM: Int, logN: Int, blocks: inout [WeightBlock],
                        terms: inout [LinearTerm]) throws {
        let graph = plan.graph
        let node = graph.nodes[c.node]
        guard case .rescale(let rescale) = plan.groups[c.outputGroup].kind, let out = layout.bands[c.outputGroup],
            case .group(let g) = c.input, let input = layout.bands[g]
        else { throw CompilerError.witnessMismatch("structured ConvTranspose \(node.label) without its layout") }
        let q = model.nodes[c.node]
        let inShape = graph.values[node.inputs[0]].shape, outShape = graph.values[node.output].shape
        let (a, b) = conv.axes(input: inShape, output: outShape)
        let window = conv.window(input: inShape, output: outShape).base
        let flat = inShape.count == 3
        let cout = outShape[1], cin = inShape[1], inGroup = cin / conv.group, outGroup = conv.groupOutputs
        let (r, v) = (layout.receiverSlots, layout.producerSlots)
        let bandCount = out.bands
        let (startOut, startIn) = (layout.groupRows[c.outputGroup].start, layout.groupRows[g].start)
        let (m, n) = (1 << logM, 1 << logN)
        // W is [C_in, C_out/group, kH, kW]; input channel i feeds the outputs of its own group only.
        func weight(_ o: Int, _ i: Int, _ ka: Int, _ kb: Int) -> Int64 {
            guard i / inGroup == o / outGroup else { return 0 }
            let (ky, kx) = flat ? (kb, ka) : (ka, kb)
            return q.weights[((i * outGroup + o % outGroup) * window.kH + ky) * window.kW + kx]
        }

        // Per tap ka and input slot t: the input rows il (i = il·k + t) whose tap lands inside the output, and the
        // output cell the first of them adds into (slot (s·i + e) mod k, local row ⌊(s·i + e)/k⌋; one input row
        // further is s output rows further). Slots with the same rows whose receiver steps by one constant form one run.
        func runs(_ ka: Int) -> [SlotRun] {
            Self.slotRuns((0..<bandCount).map { t in
                let rows = Self.validRows(input.rows(ofBand: t)) { il in (0..<a.output).contains(a.scatter(il * bandCount + t, ka)) }
                let o = rows.isEmpty ? 0 : a.scatter(rows.lowerBound * bandCount + t, ka)
                return (t, rows, (o / bandCount) * b.output * cout * r + layout.receiverSlot(lane: o % bandCount, port: 0))
            })
        }

        for ka in 0..<a.kernel {
            let slotRuns = runs(ka)
            for kb in 0..<b.kernel {
                let columns = b.scatterValid(kb)
                guard !columns.isEmpty, !slotRuns.isEmpty else { continue }
                let ob0 = b.scatter(columns.lowerBound, kb)
                for mo in stride(from: 0, to: cout, by: m) {
                    let outChannels = mo..<min(mo + m, cout)
                    for ci in stride(from: 0, to: cin, by: n) {
                        guard let kernel = try Self.block(outChannels, ci..<min(ci + n, cin), { weight($0, $1, ka, kb) }, &blocks)
                        else { continue }
                        for run in slotRuns {
                            let producer = (startIn + (run.rows.lowerBound * input.extentB + columns.lowerBound) * cin + ci) * v + layout.producerSlot(lane: run.slot, value: 0)
                            Self.term((startOut + ob0 * cout + mo) * r + run.offset, producer, [
                                BoxDimension(extent: run.count, receiverStride: run.step, producerStride: 1),
                                BoxDimension(extent: run.rows.count, receiverStride: a.stride * b.output * cout * r,
                                             producerStride: input.extentB * cin * v),
                                BoxDimension(extent: columns.count, receiverStride: b.stride * cout * r, producerStride: cin * v),
                            ], kernel, &terms)
                        }
                    }
                }
            }
        }
        try biasTerms(c, shift: rescale.shift, m: m, blocks: &blocks, terms: &terms)
    }
}
