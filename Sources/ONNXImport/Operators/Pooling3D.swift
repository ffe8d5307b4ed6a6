import ModelGraph

/// 3-D MaxPool and AveragePool as a 2-D pool over (H, W) then a 1-D pool over D. Both are separable: the maximum
/// over a box is the maximum over D of the maxima over (H, W), and an average divides the box's sum by the product
/// of the per-axis counts (inside the input, or inside the padded input with count_include_pad), which is the
/// average over D of the averages over (H, W). Reshapes and transposes between the two pools are data movement.
enum Pooling3D {
    static func window(_ g: inout GraphImport, _ c: NodeContext, inputShape s: [Int], kernel: [Int], strides: [Int],
                       dilations: [Int], pads: [Int]) throws {
        let (n, channels, depth, height, width) = (s[0], s[1], s[2], s[3], s[4])
        let includePad = try c.int("count_include_pad", default: 0) != 0, ceil = try c.int("ceil_mode", default: 0) != 0
        let max = c.op == "MaxPool"
        func pool(_ rank: Int, _ axes: [Int]) throws -> LayerOperation {
            let attributes = try WindowAttributes(spatialRank: rank, strides: axes.map { strides[$0] },
                                                  pads: axes.map { pads[$0] } + axes.map { pads[$0 + 3] },
                                                  dilations: axes.map { dilations[$0] })
            let p = try Pooling(kernel: axes.map { kernel[$0] }, attributes: attributes, countIncludePad: includePad, ceilMode: ceil)
            return max ? .maxPool(p) : .averagePool(p)
        }
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let planes = try k.add(&g, .reshape([n, channels * depth, height, width]), [x])
        let pooled = try k.add(&g, try pool(2, [1, 2]), [planes])
        let (outH, outW) = (g.builder.graph.values[pooled].shape[2], g.builder.graph.values[pooled].shape[3])
        let grouped = try k.add(&g, .reshape([n, channels, depth, outH * outW]), [pooled])
        let depthLast = try k.add(&g, .movement(.transpose([0, 1, 3, 2])), [grouped])
        let rows = try k.add(&g, .reshape([n, channels * outH * outW, depth]), [depthLast])
        let across = try k.add(&g, try pool(1, [0]), [rows])
        let outD = g.builder.graph.values[across].shape[2]
        let split = try k.add(&g, .reshape([n, channels, outH * outW, outD]), [across])
        let back = try k.add(&g, .movement(.transpose([0, 1, 3, 2])), [split])
        _ = try k.add(&g, .reshape([n, channels, outD, outH, outW]), [back], final: true)
    }
}
