import ModelGraph

/// Fixed-point vs float, per layer and per output: what `zkinfer run` and `calibrate` report.
public struct ErrorReport: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let op: String
        /// True for a model output.
        public let isOutput: Bool
        public let maxAbsError: Double
        public let meanAbsError: Double
        /// The spec's predicted bound for this value (see `ErrorBound`).
        public let bound: Double

        public init(name: String, op: String, isOutput: Bool, maxAbsError: Double, meanAbsError: Double, bound: Double) {
            self.name = name
            self.op = op
            self.isOutput = isOutput
            self.maxAbsError = maxAbsError
            self.meanAbsError = meanAbsError
            self.bound = bound
        }
    }

    public let entries: [Entry]
    /// Layers where some element's error exceeds that element's own bound (should always be empty).
    public private(set) var elementwiseViolations: [String] = []

    public var outputs: [Entry] { entries.filter(\.isOutput) }
    public var maxOutputError: Double { outputs.map(\.maxAbsError).max() ?? 0 }
    public var withinBounds: Bool { elementwiseViolations.isEmpty && entries.allSatisfy { $0.maxAbsError <= $0.bound } }

    /// `fixed` holds integers by `ValueID` (from a traced run), `floatValues` the float path's tensors.
    public init(model: QuantizedModel, floatValues: [Tensor], fixed: [[Int64]]) {
        let bounds = ErrorBound.predict(model, floatValues: floatValues)
        let graph = model.graph
        let outputs = Set(graph.outputs)
        var entries: [Entry] = []
        for node in graph.nodes where !fixed[node.output].isEmpty {
            let real = floatValues[node.output].values
            let integers = fixed[node.output]
            var worst = 0.0, total = 0.0
            var exceeds = false
            let scale = graph.values[node.output].isInteger ? 0 : model.settings.activationScale
            for i in 0..<min(real.count, integers.count) {
                let error = abs(FixedPoint.dequantize(integers[i], scale: scale) - real[i])
                worst = max(worst, error)
                total += error
                if error > bounds[node.output][i] { exceeds = true }
            }
            if exceeds { elementwiseViolations.append(node.name) }
            let name = graph.outputs.firstIndex(of: node.output).map { graph.outputNames[$0] } ?? node.name
            entries.append(Entry(name: name, op: node.sourceOp, isOutput: outputs.contains(node.output),
                                 maxAbsError: worst, meanAbsError: total / Double(max(real.count, 1)),
                                 bound: bounds[node.output].max() ?? 0))
        }
        self.entries = entries
    }
}
