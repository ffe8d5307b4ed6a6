/// Output shapes of each operation from its input shapes (the rules live with each family's payload in
/// `Operators/`); every mismatch is an error, never a trap.
public enum ShapeInference {
    public static func outputShape(of operation: LayerOperation, inputs: [[Int]]) throws -> [Int] {
        try operation.family.outputShape(inputs)
    }

    /// Operations that need a constant operand say so here.
    static func checkConstantOperands(_ operation: LayerOperation, inputs: [Value]) throws {
        try operation.family.checkOperands(inputs)
    }

    /// floor((size + padding − dilated kernel) / stride) + 1, which must be at least 1.
    public static func windowOutput(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) throws -> Int {
        let span = (kernel - 1) * dilation + 1
        let room = size + padding - span
        guard room >= 0 else {
            throw ModelGraphError.shapeMismatch("window of \(span) does not fit input size \(size) with padding \(padding)")
        }
        return room / stride + 1
    }
}
