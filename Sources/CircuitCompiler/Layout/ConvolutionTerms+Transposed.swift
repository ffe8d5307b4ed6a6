import ConstraintSystem
import ModelGraph

/// A ConvTranspose as structured terms (docs/protocol.md §19.9), in scatter form: input pixel (i_A, i_B) with tap
/// (k_A, k_B) adds W[c][o]·x[c] into output pixel (i_A·s_A + k_A·d_A − p_A, i_B·s_B + k_B·d_B − p_B). So a tap is
/// a convolution's term with the roles of the strides swapped: its box runs over *input* rows and columns, the
/// producer stepping one pixel and the receiver s pixels. Input band t scatters into output band t + δ, the same δ
/// for every band because A_out = s_A·A_in (the layout's condition). Per tap and M × N channel tile one committed
/// block (rows: output channels, columns: input channels; block-diagonal for a grouped ConvTranspose), one term
/// per run of input rows that lands in the same band offset δ; the bias as a convolution's.
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
        let (r, p, v, qv) = (layout.receiverSlots, layout.portsPerLane, layout.producerSlots, layout.producedPerLane)
        let (bandCount, outRows, inRows) = (out.bands, out.bandRows, input.bandRows)
        let (startOut, startIn) = (layout.groupRows[c.outputGroup].start, layout.groupRows[g].start)
        let (m, n) = (1 << logM, 1 << logN)
        func receiver(_ t: Int, _ al: Int, _ ob: Int, _ channel: Int) -> Int {
            (startOut + (al * b.output + ob) * cout + channel) * r + t * p
        }
        // W is [C_in, C_out/group, kH, kW]; input channel i feeds the outputs of its own group only.
        func weight(_ o: Int, _ i: Int, _ ka: Int, _ kb: Int) -> Int64 {
            guard i / inGroup == o / outGroup else { return 0 }
            let (ky, kx) = flat ? (kb, ka) : (ka, kb)
            return q.weights[((i * outGroup + o % outGroup) * window.kH + ky) * window.kW + kx]
        }

        // Runs of input rows il (inside a band) whose tap lands in the same output band offset δ: (first row,
        // rows, δ, input bands t with t + δ a band).
        func pieces(_ ka: Int) -> [BandPiece] {
            var result: [BandPiece] = []
            for il in 0..<inRows {
                Self.appendMerging(Self.bandPiece(row: il, position: a.scatter(il, ka), rows: outRows, bandCount: bandCount), to: &result)
            }
            return result.filter { !$0.bands.isEmpty }
        }

        for ka in 0..<a.kernel {
            let runs = pieces(ka)
            for kb in 0..<b.kernel {
                let columns = b.scatterValid(kb)
                guard !columns.isEmpty, !runs.isEmpty else { continue }
                let ob0 = b.scatter(columns.lowerBound, kb)
                for mo in stride(from: 0, to: cout, by: m) {
                    let outChannels = mo..<min(mo + m, cout)
                    for ci in stride(from: 0, to: cin, by: n) {
                        guard let kernel = try Self.block(outChannels, ci..<min(ci + n, cin), { weight($0, $1, ka, kb) }, &blocks)
                        else { continue }
                        for run in runs {
                            let t0 = run.bands.lowerBound
                            let ol = a.scatter(run.first, ka) - run.delta * outRows
                            let producer = (startIn + (run.first * input.extentB + columns.lowerBound) * cin + ci) * v + t0 * qv
                            Self.term(receiver(t0 + run.delta, ol, ob0, mo), producer, [
                                BoxDimension(extent: run.bands.count, receiverStride: p, producerStride: qv),
                                BoxDimension(extent: run.count, receiverStride: a.stride * b.output * cout * r,
                                             producerStride: input.extentB * cin * v),
                                BoxDimension(extent: columns.count, receiverStride: b.stride * cout * r, producerStride: cin * v),
                            ], kernel, &terms)
                        }
                    }
                }
            }
        }
        try biasTerms(c, shift: rescale.shift, pixelsPerBand: outRows * b.output, m: m, blocks: &blocks, terms: &terms)
    }
}
