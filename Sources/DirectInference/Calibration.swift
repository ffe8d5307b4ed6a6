import ModelGraph
import Quantization

/// Chooses scales (spec §10): for a fixed bound B, the (s, w) pair with the smallest maximum output
/// error over the samples among those whose every activation keeps a safety margin below the bound.
/// Lives here rather than in Quantization because judging a candidate needs the integer interpreter.
public enum Calibration {
    public struct Result: Sendable {
        public let settings: QuantizationSettings
        /// Worst and mean absolute error per output and per layer, over all samples.
        public let layers: [ErrorReport.Entry]
        public let maxOutputError: Double
        public let candidatesTried: Int
        /// Largest |activation| seen in the float path (real units).
        public let largestActivation: Double
    }

    /// - Parameters:
    ///   - margin: bits of headroom: every activation must satisfy |v|·2^margin < 2^(B−1).
    public static func calibrate(_ graph: ModelGraph, samples: [ModelInput], activationBits: Int = 32,
                                 margin: Int = 1, base: QuantizationSettings = .default) throws -> Result {
        guard !samples.isEmpty else { throw InferenceError.invalidInput("calibration needs at least one sample") }
        var floats: [[Tensor]] = []
        var largest = 0.0
        for sample in samples {
            let values = try FloatEvaluator.run(graph, inputs: try sample.realTensors(for: graph))
            for id in graph.inputs + graph.nodes.map(\.output) {
                largest = max(largest, values[id].values.reduce(0) { max($0, abs($1)) })
            }
            floats.append(values)
        }
        // Largest s with max|v|·2^s·2^margin < 2^(B−1).
        var sMax = activationBits - 2
        while sMax > 0, largest * Double(sign: .plus, exponent: sMax + margin, significand: 1) >= Double(Int64(1) << (activationBits - 1)) {
            sMax -= 1
        }
        var best: (settings: QuantizationSettings, error: Double, layers: [ErrorReport.Entry])?
        var tried = 0
        for s in stride(from: sMax, through: max(sMax - 3, 0), by: -1) {
            for w in stride(from: min(30, s + 8), through: max(s - 8, 4), by: -1) {
                var settings = base
                settings.activationBits = activationBits
                settings.activationScale = s
                settings.parameterScale = w
                guard (try? settings.validate()) != nil, let model = try? QuantizedModel(graph, settings: settings) else { continue }
                tried += 1
                guard let layers = try? evaluate(model, samples: samples, floats: floats, margin: margin) else { continue }
                let error = layers.filter(\.isOutput).map(\.maxAbsError).max() ?? 0
                if best == nil || error < best!.error { best = (settings, error, layers) }
            }
        }
        guard let best else {
            throw QuantizationError.outOfRange(
                layer: "calibration", what: "largest activation", value: "\(largest)",
                bound: "any scale with B = \(activationBits) and a \(margin)-bit margin")
        }
        return Result(settings: best.settings, layers: best.layers, maxOutputError: best.error,
                      candidatesTried: tried, largestActivation: largest)
    }

    /// Errors over all samples merged per layer; throws if any activation comes within the margin.
    static func evaluate(_ model: QuantizedModel, samples: [ModelInput], floats: [[Tensor]], margin: Int) throws -> [ErrorReport.Entry] {
        var merged: [ErrorReport.Entry] = []
        let limit = model.settings.activationMaxExclusive >> Int64(margin)
        for (sample, floatValues) in zip(samples, floats) {
            let quantized = try sample.quantized(for: model.graph, settings: model.settings)
            let trace = try IntegerInterpreter(model).run(quantizedInputs: quantized, trace: true)
            for values in trace.values where values.contains(where: { $0 >= limit || $0 < -limit }) {
                throw QuantizationError.outOfRange(layer: "calibration", what: "margin", value: "", bound: "")
            }
            let report = ErrorReport(model: model, floatValues: floatValues, fixed: trace.values)
            if merged.isEmpty {
                merged = report.entries
            } else {
                merged = zip(merged, report.entries).map { a, b in
                    ErrorReport.Entry(name: a.name, op: a.op, isOutput: a.isOutput,
                                      maxAbsError: max(a.maxAbsError, b.maxAbsError),
                                      meanAbsError: a.meanAbsError + b.meanAbsError, bound: max(a.bound, b.bound))
                }
            }
        }
        let n = Double(samples.count)
        return merged.map {
            ErrorReport.Entry(name: $0.name, op: $0.op, isOutput: $0.isOutput, maxAbsError: $0.maxAbsError,
                              meanAbsError: $0.meanAbsError / n, bound: $0.bound)
        }
    }
}
