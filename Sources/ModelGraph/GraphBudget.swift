/// Limits on what one model may ask of the machine, checked while the graph is built, so that a small
/// hostile file cannot make `zkinfer run` allocate or loop without end (docs/fixed-point.md §11).
/// Both are far above what a circuit can hold (2^28 rows), and above the large benchmark models.
public enum GraphBudget {
    /// Values of all model inputs and node outputs together (each path keeps one or two copies: 1 GiB each
    /// as Int64 or Double at this limit).
    public static let maxActivationElements = 1 << 27
    /// Multiply-adds (or comparisons) of one inference over all nodes: twice ResNet-50's 4.1 G, seconds per
    /// pass of the direct path (`zkinfer run` makes three: float, integer and the error bound).
    public static let maxWork = 1 << 33

    /// Multiply-adds (or element operations) of one node with these input and output shapes.
    public static func work(of operation: LayerOperation, inputs: [[Int]], output: [Int]) -> Int {
        let count = output.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        func times(_ n: Int) -> Int {
            let (product, overflow) = count.multipliedReportingOverflow(by: max(n, 1))
            return overflow ? Int.max : product
        }
        switch operation {
        case .linear(let linear): return times(linear.inputs)
        case .convolution(.conv(let conv)): return times(conv.groupChannels * conv.kernel.reduce(1, *))
        case .convolution(.transposed(let conv)): return times(conv.inputChannels / conv.group * conv.kernel.reduce(1, *))
        case .pooling(.average(let pool)), .pooling(.max(let pool)), .pooling(.maxIndex(let pool, _)): return times(pool.kernel.reduce(1, *))
        case .pooling(.globalAverage), .pooling(.globalMax), .pooling(.reduce):
            return max(inputs.first?.reduce(1, *) ?? 0, count)
        case .arithmetic(.sum): return times(inputs.count)
        case .comparison(.argExtremum): return max(inputs.first?.reduce(1, *) ?? 0, count)
        default: return count
        }
    }
}
