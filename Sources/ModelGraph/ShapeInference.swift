/// Output shapes of each operation from its input shapes; every mismatch is an error, never a trap.
public enum ShapeInference {
    public static func outputShape(of operation: LayerOperation, inputs: [[Int]]) throws -> [Int] {
        func arity(_ n: Int) throws {
            guard inputs.count == n else { throw ModelGraphError.shapeMismatch("expects \(n) input(s), got \(inputs.count)") }
        }
        switch operation {
        case .linear(let linear):
            try arity(1)
            let x = inputs[0]
            guard let last = x.last, last == linear.inputs else {
                throw ModelGraphError.shapeMismatch(
                    "input \(Shape.describe(x)) does not end in the weight's \(linear.inputs) input features")
            }
            return x.dropLast() + [linear.outputs]
        case .conv(let conv):
            try arity(1)
            let x = inputs[0]
            guard x.count == 4 else { throw ModelGraphError.shapeMismatch("Conv expects NCHW input, got \(Shape.describe(x))") }
            guard x[1] == conv.weight.shape[1] else {
                throw ModelGraphError.shapeMismatch("input has \(x[1]) channels, weight expects \(conv.weight.shape[1])")
            }
            let h = try windowOutput(x[2], kernel: conv.kernel[0], stride: conv.strides[0],
                                     padding: conv.pads[0] + conv.pads[2], dilation: conv.dilations[0])
            let w = try windowOutput(x[3], kernel: conv.kernel[1], stride: conv.strides[1],
                                     padding: conv.pads[1] + conv.pads[3], dilation: conv.dilations[1])
            return [x[0], conv.weight.shape[0], h, w]
        case .channelAffine(let affine):
            try arity(1)
            let x = inputs[0]
            guard x.count >= 2, x[1] == affine.scale.count else {
                throw ModelGraphError.shapeMismatch("input \(Shape.describe(x)) does not have \(affine.scale.count) channels on axis 1")
            }
            return x
        case .averagePool(let pool), .maxPool(let pool):
            try arity(1)
            let x = inputs[0]
            guard x.count == 4 else { throw ModelGraphError.shapeMismatch("pooling expects NCHW input, got \(Shape.describe(x))") }
            let h = try windowOutput(x[2], kernel: pool.kernel[0], stride: pool.strides[0],
                                     padding: pool.pads[0] + pool.pads[2], dilation: 1)
            let w = try windowOutput(x[3], kernel: pool.kernel[1], stride: pool.strides[1],
                                     padding: pool.pads[1] + pool.pads[3], dilation: 1)
            return [x[0], x[1], h, w]
        case .globalAveragePool:
            try arity(1)
            let x = inputs[0]
            guard x.count >= 3, x.dropFirst(2).allSatisfy({ $0 > 0 }) else {
                throw ModelGraphError.shapeMismatch("GlobalAveragePool expects [N, C, spatial...], got \(Shape.describe(x))")
            }
            return [x[0], x[1]] + [Int](repeating: 1, count: x.count - 2)
        case .add, .sub, .mul, .div:
            try arity(2)
            return try Shape.broadcast(inputs[0], inputs[1])
        case .sum:
            guard let first = inputs.first else { throw ModelGraphError.shapeMismatch("Sum needs at least one input") }
            return try inputs.dropFirst().reduce(first) { try Shape.broadcast($0, $1) }
        case .relu, .leakyRelu, .clip, .sigmoid, .tanh:
            try arity(1)
            return inputs[0]
        case .softmax:
            try arity(1)
            guard let last = inputs[0].last, last > 0 else {
                throw ModelGraphError.shapeMismatch("Softmax needs a non-empty last axis, got \(Shape.describe(inputs[0]))")
            }
            return inputs[0]
        case .reshape(let target):
            try arity(1)
            guard target.allSatisfy({ $0 >= 0 }),
                  try Shape.elementCount(target) == Shape.elementCount(inputs[0]) else {
                throw ModelGraphError.shapeMismatch("cannot reshape \(Shape.describe(inputs[0])) to \(Shape.describe(target))")
            }
            return target
        case .transpose(let perm):
            try arity(1)
            let x = inputs[0]
            guard perm.count == x.count, Set(perm) == Set(0..<x.count) else {
                throw ModelGraphError.shapeMismatch("permutation \(Shape.describe(perm)) does not fit rank \(x.count)")
            }
            return perm.map { x[$0] }
        case .concat(let axis):
            guard let first = inputs.first else { throw ModelGraphError.shapeMismatch("Concat needs at least one input") }
            guard axis >= 0, axis < first.count else {
                throw ModelGraphError.shapeMismatch("axis \(axis) out of range for rank \(first.count)")
            }
            var total = 0
            for shape in inputs {
                guard shape.count == first.count,
                      (0..<shape.count).allSatisfy({ $0 == axis || shape[$0] == first[$0] }) else {
                    throw ModelGraphError.shapeMismatch("cannot concatenate \(inputs.map(Shape.describe).joined(separator: " and ")) on axis \(axis)")
                }
                total += shape[axis]
            }
            var result = first
            result[axis] = total
            return result
        }
    }

    /// Operations that need a constant operand say so here.
    static func checkConstantOperands(_ operation: LayerOperation, inputs: [Value]) throws {
        if case .div = operation, inputs.count == 2, inputs[1].constant == nil {
            throw ModelGraphError.shapeMismatch("Div is supported only by a constant divisor")
        }
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
