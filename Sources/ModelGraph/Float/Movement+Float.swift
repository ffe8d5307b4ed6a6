extension MovementOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        switch self {
        case .reshape:
            return inputs[0].values
        case .transpose(let perm):
            let x = inputs[0].values
            return Layout.transposeSource(shape: inputs[0].shape, perm: perm).map { x[$0] }
        case .concat(let axis):
            var result: [Double] = []
            result.reserveCapacity(outputShape.reduce(1, *))
            for run in Layout.concatRuns(shapes: inputs.map(\.shape), axis: axis) {
                result.append(contentsOf: inputs[run.input].values[run.start..<run.start + run.length])
            }
            return result
        case .gatherAxes(let gather):
            let x = inputs[0].values
            return gather.sources().map { $0 < 0 ? gather.fill : x[$0] }
        case .select(let selection):
            return (0..<selection.sources.count).map { i in
                let (input, index) = selection.source(i)
                return index < 0 ? 0 : inputs[input].values[index]
            }
        }
    }
}
