/// Index maps shared by the float and integer paths, so that both move data identically.
public enum Layout {
    /// For each output element of `transpose(perm)` of `shape`, the flat index of the input element.
    public static func transposeSource(shape: [Int], perm: [Int]) -> [Int] {
        let outShape = perm.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let strideOfOutAxis = perm.map { inStrides[$0] }
        let total = shape.reduce(1, *)
        var result = [Int](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: perm.count)
        var source = 0
        for flat in 0..<total {
            result[flat] = source
            var axis = perm.count - 1
            while axis >= 0 {
                counter[axis] += 1
                source += strideOfOutAxis[axis]
                if counter[axis] < outShape[axis] { break }
                source -= strideOfOutAxis[axis] * outShape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// Concatenation as a list of (input, start, length) runs copied in order.
    public static func concatRuns(shapes: [[Int]], axis: Int) -> [(input: Int, start: Int, length: Int)] {
        guard let first = shapes.first else { return [] }
        let outer = first[..<axis].reduce(1, *)
        var runs: [(input: Int, start: Int, length: Int)] = []
        for o in 0..<outer {
            for (i, shape) in shapes.enumerated() {
                let block = shape[axis...].reduce(1, *)
                if block > 0 { runs.append((i, o * block, block)) }
            }
        }
        return runs
    }

    /// Geometry of a 2-D window operation (conv or pool) over NCHW input with batch folded into channels.
    public struct Window: Sendable {
        public let inH, inW, outH, outW, kH, kW, sH, sW, padTop, padLeft, padBottom, padRight, dH, dW: Int

        /// `input` and `output` are [N, C, H, W] or, for 1-D operations, [N, C, W] (H = 1); kernel, strides,
        /// pads and dilations are always in the 2-D form ([kH, kW], [sH, sW], [top, left, bottom, right], [dH, dW]).
        public init(input: [Int], output: [Int], kernel: [Int], strides: [Int], pads: [Int], dilations: [Int]) {
            let flat = input.count == 3
            inH = flat ? 1 : input[2]; inW = flat ? input[2] : input[3]
            outH = flat ? 1 : output[2]; outW = flat ? output[2] : output[3]
            kH = kernel[0]; kW = kernel[1]; sH = strides[0]; sW = strides[1]
            padTop = pads[0]; padLeft = pads[1]; dH = dilations[0]; dW = dilations[1]
            padBottom = pads[2]; padRight = pads[3]
        }

        /// Input row of kernel row `ky` at output row `oy`, or nil in the padding.
        @inlinable public func row(_ oy: Int, _ ky: Int) -> Int? {
            let y = oy * sH - padTop + ky * dH
            return y >= 0 && y < inH ? y : nil
        }

        @inlinable public func column(_ ox: Int, _ kx: Int) -> Int? {
            let x = ox * sW - padLeft + kx * dW
            return x >= 0 && x < inW ? x : nil
        }

        /// Number of kernel positions of output (oy, ox) that fall inside the input.
        public func validCount(_ oy: Int, _ ox: Int) -> Int {
            var rows = 0, cols = 0
            for ky in 0..<kH where row(oy, ky) != nil { rows += 1 }
            for kx in 0..<kW where column(ox, kx) != nil { cols += 1 }
            return rows * cols
        }
    }

    /// The divisor of each output position of an AveragePool: the window taps inside the input, or with
    /// `count_include_pad` the taps inside the padded input [−pad_begin, size + pad_end) (a window that ceil_mode
    /// extends past the padding does not count those positions, as onnxruntime).
    public static func averageDivisors(_ window: Window, countIncludePad: Bool) -> [Int] {
        var result = [Int](repeating: 0, count: window.outH * window.outW)
        for oy in 0..<window.outH {
            for ox in 0..<window.outW {
                if countIncludePad {
                    var rows = 0, cols = 0
                    for ky in 0..<window.kH {
                        let y = oy * window.sH - window.padTop + ky * window.dH
                        if y >= -window.padTop && y < window.inH + window.padBottom { rows += 1 }
                    }
                    for kx in 0..<window.kW {
                        let x = ox * window.sW - window.padLeft + kx * window.dW
                        if x >= -window.padLeft && x < window.inW + window.padRight { cols += 1 }
                    }
                    result[oy * window.outW + ox] = rows * cols
                } else {
                    result[oy * window.outW + ox] = window.validCount(oy, ox)
                }
            }
        }
        return result
    }
}
