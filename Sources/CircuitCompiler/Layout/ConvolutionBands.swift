import ModelGraph

/// Channel-last bands (docs/protocol.md §19.3, §19.9): the layout that lets a convolution be one committed term
/// per (tap, channel tile, run of bands) instead of one block entry per (output, tap).
///
/// A banded group holds an activation [1, C, A, B] (or [1, C, A] for 1-D: B = 1) dealt along A over `bands` lane
/// slots: element (c, a, b) sits in slot t = a mod bands, on row `start + ((a div bands)·B + b)·C + c`. So a
/// channel is one row further, a pixel C rows further, and a whole row of A one band step further. Dealing rows
/// round robin (rather than cutting A into contiguous bands) keeps every convolution's input slot and row offset
/// the same for all output rows of one output slot, whatever the extents: output row a = k·i + t reads input row
/// s·a + e = k·s·i + (s·t + e), slot (s·t + e) mod k, local row s·i + ⌊(s·t + e)/k⌋. When A is not a multiple of
/// the band count, the last local row of slots t ≥ A mod bands holds no element: those cells are padding lanes.
public struct GroupBand: Hashable, Sendable {
    public let channels: Int
    /// Extent of the banded axis (H, or L for 1-D) and of the other one (W, or 1).
    public let extentA: Int
    public let extentB: Int
    public let bands: Int
    /// Element order of the group (compiler 10): false for a convolution's NCHW activation, true for a linear
    /// layer's [tokens, channels] (element t·C + c; extentA = tokens, extentB = 1). The placement is the same.
    public var tokenMajor = false
    /// Heads of a token-major group read head-major (compiler 11): element (h, t, d) of an attention's [H, T, D]
    /// output sits where element (t, h·D + d) of its [T, H·D] view would (channels = H·D), so the output projection
    /// that reads it through a (head, token) transpose is a structured linear layer too. 1 otherwise.
    public var heads = 1

    public var rowsPerBand: Int { bandRows * extentB * channels }
    /// Local rows of A per band: ⌈A / bands⌉.
    public var bandRows: Int { (extentA + bands - 1) / bands }
    /// Local rows of A that band t holds (one fewer than `bandRows` for t ≥ A mod bands when A is not a multiple).
    public func rows(ofBand t: Int) -> Int { (extentA - t + bands - 1) / bands }
    /// Cells of the bands that hold no element (padding lanes): (bands·⌈A/bands⌉ − A)·B·C.
    public var holes: Int { (bands * bandRows - extentA) * extentB * channels }

    /// Row (from the group's start) and slot of element `index` (NCHW order).
    func place(_ index: Int) -> (row: Int, slot: Int) {
        if tokenMajor {
            let width = channels / heads
            let h = index / (extentA * width), a = (index / width) % extentA, c = h * width + index % width
            return ((a / bands) * channels + c, a % bands)
        }
        let plane = extentA * extentB
        let c = index / plane, a = (index % plane) / extentB, b = index % extentB
        return (((a / bands) * extentB + b) * channels + c, a % bands)
    }

    /// Row and slot of hole `j` (0 ..< holes): the last local row of the bands past A mod bands.
    func hole(_ j: Int) -> (row: Int, slot: Int) {
        let pixel = extentB * channels
        let t = bands - (bands * bandRows - extentA) + j / pixel
        return ((bandRows - 1) * pixel + j % pixel, t)
    }
}

/// A convolution the compiler emits as structured terms: its output group is banded, its input either a banded
/// group (same band count, A_in = stride·A_out) or a run of public values in one instance column (NCHW). A linear
/// layer over tokens (Gemm/MatMul with a constant on [T, K], T ≥ 2) is one too: a 1×1 convolution over T
/// positions whose groups are banded token-major (compiler 10).
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
    /// The banded groups and the structured convolutions of `plan`: every convolution and ConvTranspose of batch 1
    /// whose input is a whole lane group (or, for a convolution, public values in one column, which needs the column
    /// length, hence `publicColumnLength`). Groups a convolution links (its input and output group) share one band
    /// count, chosen per linked set: the k ≤ the fewest lane slots of their kinds (`lanes`) that gives the fewest
    /// rows Σ⌈A/k⌉·B·C, the smallest such k (fewest padding cells).
    static func convolutionBands(plan: CircuitPlan, lanes: (LaneKind) -> Int, publicColumnLength: Int?)
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
        for layer in plan.layers {
            guard case .lanes(let out) = layer.role, let n = layer.nodeIndex, case .convolution(let op) = graph.nodes[n].operation,
                case .rescale = plan.groups[out].kind
            else { continue }
            let node = graph.nodes[n]
            let inShape = graph.values[node.inputs[0]].shape, outShape = graph.values[node.output].shape
            guard let gi = geometry(inShape), let go = geometry(outShape), inShape.count == outShape.count else { continue }
            if case .transposed(let t) = op {
                let (a, _) = t.axes(input: inShape, output: outShape)
                guard let g = groupOfValue[node.inputs[0]], plan.groups[g].count == gi.c * gi.a * gi.b, a.input >= 1
                else { continue }
                candidates.append(StructuredConvolution(node: n, input: .group(g), outputGroup: out))
                shapeOfGroup[g] = gi
                shapeOfGroup[out] = go
                continue
            }
            if let g = groupOfValue[node.inputs[0]], plan.groups[g].count == gi.c * gi.a * gi.b {
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
        // Linear layers over tokens (compiler 10): [T, K] → [T, N], both groups token-major with channels K and N, so
        // one block per weight tile serves every token through a (slot, band row) box instead of one tile per
        // token that straddles slots. A group a convolution bands channel-first keeps that order.
        var tokenMajor = Set<Int>()
        var producerOf: [Int: Int] = [:]
        for (n, node) in graph.nodes.enumerated() { producerOf[node.output] = n }
        // The value whose elements, in order, `value` is: through reshapes and transposes that keep the order of the
        // non-unit axes (a [1, T, K] ↔ [T, 1, K] relabelling) — and at most one transpose of three non-unit axes
        // [H, T, D] → [T, H, D] (an attention's heads read token by token): then `heads` is H and `width` D, and the
        // source's element (h, t, d) is element (t, h·D + d) of `value`.
        func source(_ value: Int) -> (value: Int, heads: Int, width: Int) {
            var v = value, heads = 1, width = 0
            while groupOfValue[v] == nil, publicOffset[v] == nil, let n = producerOf[v], graph.nodes[n].inputs.count == 1 {
                guard case .movement(let op) = graph.nodes[n].operation else { break }
                switch op {
                case .reshape: break
                case .transpose(let perm):
                    let shape = graph.values[graph.nodes[n].inputs[0]].shape
                    let moved = perm.filter { $0 < shape.count && shape[$0] != 1 }
                    guard moved != moved.sorted() else { break }
                    let axes = moved.sorted()
                    guard heads == 1, axes.count == 3, moved == [axes[1], axes[0], axes[2]] else { return (v, heads, width) }
                    (heads, width) = (shape[axes[0]], shape[axes[2]])
                default: return (v, heads, width)
                }
                v = graph.nodes[n].inputs[0]
            }
            return (v, heads, width)
        }
        var headsOf = [Int: Int]()
        for layer in plan.layers {
            guard case .lanes(let out) = layer.role, let n = layer.nodeIndex, case .linear(let op) = graph.nodes[n].operation,
                case .rescale = plan.groups[out].kind
            else { continue }
            let node = graph.nodes[n]
            let count = graph.values[node.inputs[0]].elementCount
            guard op.inputs > 0, op.outputs > 0, count % op.inputs == 0, count / op.inputs >= 2,
                plan.groups[out].count == count / op.inputs * op.outputs
            else { continue }
            let tokens = count / op.inputs
            func fits(_ group: Int, _ channels: Int, heads: Int = 1) -> Bool {
                guard let known = shapeOfGroup[group] else { return true }
                return tokenMajor.contains(group) && known.c == channels && known.a == tokens && (headsOf[group] ?? 1) == heads
            }
            let (value, heads, width) = source(node.inputs[0])
            guard heads == 1 || heads * width == op.inputs else { continue }
            if let g = groupOfValue[value], g != out, plan.groups[g].count == count {
                guard fits(g, op.inputs, heads: heads), fits(out, op.outputs) else { continue }
                candidates.append(StructuredConvolution(node: n, input: .group(g), outputGroup: out))
                shapeOfGroup[g] = (op.inputs, tokens, 1)
                tokenMajor.insert(g)
                if heads > 1 { headsOf[g] = heads }
            } else if heads == 1, let first = publicOffset[value], let length = publicColumnLength,
                first / length == (first + count - 1) / length
            {
                guard fits(out, op.outputs) else { continue }
                candidates.append(StructuredConvolution(node: n, input: .publicValues(offset: first), outputGroup: out))
            } else {
                continue
            }
            shapeOfGroup[out] = (op.outputs, tokens, 1)
            tokenMajor.insert(out)
        }
        var bands = [GroupBand?](repeating: nil, count: plan.groups.count)
        guard !candidates.isEmpty else { return (bands, []) }
        // Linked sets of groups (a convolution's input and output share the band count).
        var parent = [Int: Int]()
        func root(_ g: Int) -> Int {
            var r = g
            while let up = parent[r], up != r { r = up }
            return r
        }
        for g in shapeOfGroup.keys { parent[g] = g }
        for c in candidates { if case .group(let g) = c.input { parent[root(g)] = root(c.outputGroup) } }
        var members = [Int: [Int]]()
        for g in shapeOfGroup.keys.sorted() { members[root(g), default: []].append(g) }
        for set in members.values {
            let most = max(1, min(set.map { lanes(plan.groups[$0].kind) }.min()!, set.map { shapeOfGroup[$0]!.a }.max()!))
            func rows(_ k: Int) -> Int { set.reduce(0) { let s = shapeOfGroup[$1]!; return $0 + (s.a + k - 1) / k * s.b * s.c } }
            var count = 1
            for k in 1...most where rows(k) < rows(count) { count = k }
            for g in set {
                let s = shapeOfGroup[g]!
                bands[g] = GroupBand(channels: s.c, extentA: s.a, extentB: s.b, bands: count, tokenMajor: tokenMajor.contains(g),
                                     heads: headsOf[g] ?? 1)
            }
        }
        return (bands, candidates)
    }
}
