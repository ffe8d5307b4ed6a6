import ModelGraph

/// Resize (and Upsample) in linear and cubic modes: interpolation is separable and linear in the input, so each
/// resized axis becomes one `linear` node whose [out, in] weight holds the interpolation coefficients (moved to
/// the last axis by a transpose and back), with a bias only where tf_crop_and_resize extrapolates. The
/// coefficients follow the ONNX specification's reference: the source coordinate of each output index by
/// `coordinate_transformation_mode`, the n nearest input positions (edge-padded, ties to the lower), linear
/// [1 − r, r] or cubic (Keys, `cubic_coeff_a`) weights, the antialiasing filter when downsampling with
/// `antialias`, and `exclude_outside` renormalising over positions inside the input.
enum ResizeInterpolation {
    struct Axis {
        var axis: Int
        var input: Int
        var output: Int
        var scale: Double
        /// tf_crop_and_resize's region of interest on this axis (start, end), in normalised coordinates.
        var roi: (Double, Double)?
    }

    struct Options {
        var cubic: Bool
        var antialias: Bool
        var transform: String
        var cubicA: Double
        var excludeOutside: Bool
        var extrapolation: Double
    }

    /// Emits the nodes; `axes` lists only the axes that change.
    static func emit(_ g: inout GraphImport, _ c: NodeContext, axes: [Axis], options: Options) throws {
        var k = Composition(c)
        var current = try k.input(&g, 0)
        guard !axes.isEmpty else {
            _ = try k.add(&g, .reshape(g.builder.graph.values[current].shape), [current], final: true)
            return
        }
        for (n, a) in axes.enumerated() {
            let final = n == axes.count - 1
            let (weights, bias) = try matrix(a, options, c)
            let linear = LayerOperation.linear(try Linear(
                weight: try Tensor(shape: [a.output, a.input], values: weights),
                bias: try bias.map { try Tensor(shape: [a.output], values: $0) }))
            let rank = g.builder.graph.values[current].shape.count
            if a.axis == rank - 1 {
                current = try k.add(&g, linear, [current], final: final)
            } else {
                var perm = Array(0..<rank)
                perm.swapAt(a.axis, rank - 1)
                let moved = try k.add(&g, .movement(.transpose(perm)), [current])
                let resized = try k.add(&g, linear, [moved])
                current = try k.add(&g, .movement(.transpose(perm)), [resized], final: final)
            }
        }
    }

    /// The [out, in] coefficients (row-major) and, when some output extrapolates to a non-zero value, the bias.
    static func matrix(_ a: Axis, _ o: Options, _ c: NodeContext) throws -> ([Double], [Double]?) {
        let (entries, overflow) = a.output.multipliedReportingOverflow(by: a.input)
        guard !overflow else { throw c.invalid("an interpolation matrix of \(a.output)×\(a.input) is too large") }
        try c.reserve(entries)  // a constant the import creates, bounded before it is allocated
        var weights = [Double](repeating: 0, count: a.output * a.input)
        var bias = [Double](repeating: 0, count: a.output)
        var extrapolates = false
        let width = Double(a.input), outputWidth = a.scale * width
        for y in 0..<a.output {
            let yd = Double(y)
            let x: Double
            switch o.transform {
            case "align_corners": x = outputWidth == 1 ? 0 : yd * (width - 1) / (outputWidth - 1)
            case "asymmetric": x = yd / a.scale
            case "pytorch_half_pixel": x = outputWidth == 1 ? -0.5 : (yd + 0.5) / a.scale - 0.5
            case "half_pixel": x = (yd + 0.5) / a.scale - 0.5
            case "half_pixel_symmetric":
                let adjustment = Double(a.output) / outputWidth, center = width / 2
                x = center * (1 - adjustment) + (yd + 0.5) / a.scale - 0.5
            case "tf_crop_and_resize":
                guard let (start, end) = a.roi else { throw c.invalid("tf_crop_and_resize needs a constant roi") }
                let base = outputWidth == 1 ? (end - start) * (width - 1) / 2 : yd * (end - start) * (width - 1) / (outputWidth - 1)
                x = base + start * (width - 1)
                if x < 0 || x > width - 1 {
                    bias[y] = o.extrapolation
                    extrapolates = extrapolates || o.extrapolation != 0
                    continue
                }
            default:
                throw Unsupported(reason: "coordinate_transformation_mode '\(o.transform)'", suggestion: nil)
            }
            guard x.isFinite, abs(x) < Double(1 << 40) else { throw c.invalid("source coordinate \(x) out of range") }
            let floor = x.rounded(.down)
            let ratio = x == floor ? 1 : x - floor
            var coefficients = coefficients(ratio: ratio, scale: a.scale, o)
            let n = coefficients.count
            // The n positions nearest x in the edge-padded axis (ties to the lower), back in input coordinates.
            let pad = (n + 1) / 2
            let padded = x + Double(pad), limit = a.input + 2 * pad
            let centre = Int(padded.rounded(.down))
            let candidates = (max(0, centre - n - 1)...min(limit - 1, centre + n + 1)).sorted {
                let (da, db) = (abs(padded - Double($0)), abs(padded - Double($1)))
                return da != db ? da < db : $0 < $1
            }
            let positions = candidates.prefix(n).sorted().map { $0 - pad }
            guard positions.count == n else { throw c.invalid("axis of \(a.input) elements is too short to interpolate") }
            if o.excludeOutside {
                for (i, p) in positions.enumerated() where p < 0 || p >= a.input { coefficients[i] = 0 }
                let total = coefficients.reduce(0, +)
                guard total != 0 else { throw c.invalid("exclude_outside leaves no input position for output \(y)") }
                coefficients = coefficients.map { $0 / total }
            }
            for (i, p) in positions.enumerated() {
                weights[y * a.input + min(max(p, 0), a.input - 1)] += coefficients[i]
            }
        }
        return (weights, extrapolates ? bias : nil)
    }

    static func coefficients(ratio r: Double, scale: Double, _ o: Options) -> [Double] {
        let A = o.cubicA
        if !o.antialias {
            guard o.cubic else { return [1 - r, r] }
            return [
                ((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A,
                ((A + 2) * r - (A + 3)) * r * r + 1,
                ((A + 2) * (1 - r) - (A + 3)) * (1 - r) * (1 - r) + 1,
                ((A * ((1 - r) + 1) - 5 * A) * ((1 - r) + 1) + 8 * A) * ((1 - r) + 1) - 4 * A,
            ]
        }
        // Antialiasing (applied when downsampling): the kernel stretched by 1/scale, normalised.
        let s = min(scale, 1)
        var values: [Double]
        if o.cubic {
            let start = Int((-2 / s).rounded(.down)) + 1
            values = (start..<(2 - start)).map { i in
                let x = abs(s * (Double(i) - r)), x2 = x * x, x3 = x2 * x
                if x <= 1 { return (A + 2) * x3 - (A + 3) * x2 + 1 }
                if x < 2 { return A * x3 - 5 * A * x2 + 8 * A * x - 4 * A }
                return 0
            }
        } else {
            let start = Int((-1 / s).rounded(.down)) + 1
            values = (start..<(start + 2 - 2 * start)).map { i in min(max(1 - abs((Double(i) - r) * s), 0), 1) }
        }
        let total = values.reduce(0, +)
        return values.map { $0 / total }
    }
}
