import ModelGraph

/// Channel-last bands (docs/protocol.md §19.3, §19.9): the layout that lets a convolution be one committed term
/// per (tap, channel tile) instead of one block entry per (output, tap).
///
/// A banded group holds an activation [1, C, A, B] (or [1, C, A] for 1-D: B = 1) split along A into `bands`
/// bands of A / bands rows; band t sits in lane slot t, and inside a band element (c, a, b) is on row
/// `start + ((a mod A_b)·B + b)·C + c`. So a channel is one row further (the relation's channel stride R′ = R,
/// V′ = V), a pixel C rows further, and the band is the slot: every term's box is (band, a, b).
public struct GroupBand: Hashable, Sendable {
    public let channels: Int
    /// Extent of the banded axis (H, or L for 1-D) and of the other one (W, or 1).
    public let extentA: Int
    public let extentB: Int
    public let bands: Int

    public var rowsPerBand: Int { extentA / bands * extentB * channels }
    public var bandRows: Int { extentA / bands }

    /// Row (from the group's start) and slot of element `index` (NCHW order).
    func place(_ index: Int) -> (row: Int, slot: Int) {
        let plane = extentA * extentB
        let c = index / plane, a = (index % plane) / extentB, b = index % extentB
        let t = a / bandRows, local = a % bandRows
        return ((local * extentB + b) * channels + c, t)
    }
}

/// A convolution the compiler emits as structured terms: its output group is banded, its input either a banded
/// group (same band count, A_in = stride·A_out) or a run of public values in one instance column (NCHW).
public struct StructuredConvolution: Hashable, Sendable {
    public enum Input: Hashable, Sendable {
        case group(Int)
        /// Public values `offset ..< offset + count` (model inputs).
        case publicValues(offset: Int)
    }

    public let node: Int
    public let input: Input
    public let outputGroup: Int
}

/// One window axis of a convolution: sizes, kernel, stride, leading pad, dilation.
struct WindowAxis {
    let input, output, kernel, stride, pad, dilation: Int

    /// Input position of output `o`, tap `k` (may be outside 0..<input: padding).
    func position(_ o: Int, _ k: Int) -> Int { o * stride + k * dilation - pad }

    /// The outputs whose tap `k` lands inside the input: an interval since `position` grows with `o`.
    func valid(_ k: Int) -> Range<Int> {
        var lo = 0
        while lo < output, position(lo, k) < 0 { lo += 1 }
        var hi = lo
        while hi < output, position(hi, k) < input { hi += 1 }
        return lo..<hi
    }

    /// ConvTranspose (scatter form): the output position input `i`'s tap `k` adds into (may be outside 0..<output).
    func scatter(_ i: Int, _ k: Int) -> Int { i * stride + k * dilation - pad }

    /// ConvTranspose: the inputs whose tap `k` lands inside the output (an interval: `scatter` grows with `i`).
    func scatterValid(_ k: Int) -> Range<Int> {
        var lo = 0
        while lo < input, scatter(lo, k) < 0 { lo += 1 }
        var hi = lo
        while hi < input, scatter(hi, k) < output { hi += 1 }
        return lo..<hi
    }
}

extension Convolution {
    /// (banded axis, other axis) of the 2-D form: H and W, or for 1-D (H = 1) the length and a unit axis.
    func axes(input: [Int], output: [Int]) -> (a: WindowAxis, b: WindowAxis) {
        let w = window(input: input, output: output)
        let h = WindowAxis(input: w.inH, output: w.outH, kernel: w.kH, stride: w.sH, pad: w.padTop, dilation: w.dH)
        let x = WindowAxis(input: w.inW, output: w.outW, kernel: w.kW, stride: w.sW, pad: w.padLeft, dilation: w.dW)
        return input.count == 3 ? (x, h) : (h, x)
    }
}

extension ConvTranspose {
    /// (banded axis, other axis), as `Convolution.axes`: input and output are the ConvTranspose's own.
    func axes(input: [Int], output: [Int]) -> (a: WindowAxis, b: WindowAxis) {
        let w = window(input: input, output: output).base
        let h = WindowAxis(input: w.inH, output: w.outH, kernel: w.kH, stride: w.sH, pad: w.padTop, dilation: w.dH)
        let x = WindowAxis(input: w.inW, output: w.outW, kernel: w.kW, stride: w.sW, pad: w.padLeft, dilation: w.dW)
        return input.count == 3 ? (x, h) : (h, x)
    }
}

extension CircuitLayout {
    /// The banded groups and the structured convolutions of `plan` for `lanesPerRow`: every convolution of batch 1
    /// whose input is a whole lane group (or public values in one column, which needs the column length, hence
    /// `publicColumnLength`), and every ConvTranspose of batch 1 whose input is a whole lane group. With more than
    /// one lane per row a group input's banded axis must follow the stride (Conv: A_in = stride·A_out;
    /// ConvTranspose: A_out = stride·A_in), so that each band reads (scatters into) the same neighbouring bands;
    /// with one lane per row (one band) any extents do. The band count is the largest b ≤ lanesPerRow dividing
    /// the banded axis of every group involved (every kind has at least lanesPerRow lane slots).
    static func convolutionBands(plan: CircuitPlan, lanesPerRow: Int, publicColumnLength: Int?)
        -> (bands: [GroupBand?], convolutions: [StructuredConvolution])
    {
        let graph = plan.graph
        // The lane group whose lanes are value `id`'s elements in order, if any.
        var groupOfValue: [Int: Int] = [:]
        var hosts = Set<Int>()
        for layer in plan.layers { if case .fused(let target) = layer.role { hosts.insert(target) } }
        for (index, layer) in plan.layers.enumerated() {
            guard case .lanes(let g) = layer.role else {
                if case .fused(let target) = layer.role, let n = layer.nodeIndex, case .lanes(let g) = plan.layers[target].role {
                    groupOfValue[graph.nodes[n].output] = g
                }
                continue
            }
            if let n = layer.nodeIndex, !hosts.contains(index) { groupOfValue[graph.nodes[n].output] = g }
            if let p = layer.inputIndex { groupOfValue[graph.inputs[p]] = g }
        }
        var publicOffset: [Int: Int] = [:]
        var offset = 0
        for layer in plan.layers {
            guard case .publicInput = layer.role, let p = layer.inputIndex else { continue }
            publicOffset[graph.inputs[p]] = offset
            offset += graph.values[graph.inputs[p]].elementCount
        }
        func geometry(_ shape: [Int]) -> (c: Int, a: Int, b: Int)? {
            guard shape.first == 1 else { return nil }
            if shape.count == 4 { return (shape[1], shape[2], shape[3]) }
            if shape.count == 3 { return (shape[1], shape[2], 1) }
            return nil
        }
        var candidates: [StructuredConvolution] = []
        var shapeOfGroup: [Int: (c: Int, a: Int, b: Int)] = [:]
        // One lane per row means one band: every run of rows then reads band offset 0 (or none), so the input
        // and output extents need not be related by the stride (e.g. an unpadded convolution, 14 → 10 rows).
        let single = lanesPerRow <= 1
        for (index, layer) in plan.layers.enumerated() {
            guard case .lanes(let out) = layer.role, let n = layer.nodeIndex, case .convolution(let op) = graph.nodes[n].operation,
                case .rescale = plan.groups[out].kind
            else { continue }
            _ = index
            let node = graph.nodes[n]
            let inShape = graph.values[node.inputs[0]].shape, outShape = graph.values[node.output].shape
            guard let gi = geometry(inShape), let go = geometry(outShape), inShape.count == outShape.count else { continue }
            let conv: Convolution
            switch op {
            case .conv(let c): conv = c
            case .transposed(let t):
                let (a, _) = t.axes(input: inShape, output: outShape)
                guard let g = groupOfValue[node.inputs[0]], plan.groups[g].count == gi.c * gi.a * gi.b,
                    single || a.output == a.stride * a.input
                else { continue }
                candidates.append(StructuredConvolution(node: n, input: .group(g), outputGroup: out))
                shapeOfGroup[g] = gi
                shapeOfGroup[out] = go
                continue
            }
            let (a, _) = conv.axes(input: inShape, output: outShape)
            if let g = groupOfValue[node.inputs[0]], plan.groups[g].count == gi.c * gi.a * gi.b {
                guard single || a.input == a.stride * a.output else { continue }
                candidates.append(StructuredConvolution(node: n, input: .group(g), outputGroup: out))
                shapeOfGroup[g] = gi
            } else if let first = publicOffset[node.inputs[0]], let length = publicColumnLength,
                first / length == (first + gi.c * gi.a * gi.b - 1) / length
            {
                candidates.append(StructuredConvolution(node: n, input: .publicValues(offset: first), outputGroup: out))
            } else {
                continue
            }
            shapeOfGroup[out] = go
        }
        var bands = [GroupBand?](repeating: nil, count: plan.groups.count)
        guard !candidates.isEmpty else { return (bands, []) }
        var count = max(1, lanesPerRow)
        while count > 1, !shapeOfGroup.values.allSatisfy({ $0.a % count == 0 }) { count -= 1 }
        for (g, s) in shapeOfGroup { bands[g] = GroupBand(channels: s.c, extentA: s.a, extentB: s.b, bands: count) }
        return (bands, candidates)
    }
}
