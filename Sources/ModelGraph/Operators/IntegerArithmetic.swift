/// Elementwise arithmetic of integer-typed tensors (ONNX Add, Sub, Mul, Div, Max, Min and Clip on int8…uint64,
/// int4, int2): exact on integers, with numpy broadcasting, and the result wrapped onto the element type as the
/// type does (two's complement, higher bits discarded). Div truncates toward zero. Integer tensors are held
/// unscaled on both paths, so the float path and the fixed-point path compute the same integers.
public enum IntegerArithmetic: String, Sendable, Equatable {
    case add = "Add", sub = "Sub", mul = "Mul", div = "Div", max = "Max", min = "Min"

    /// a ∘ b wrapped onto `format` (64-bit arithmetic wraps modulo 2^64 first). Division by zero is an error.
    @inlinable public func apply(_ a: Int64, _ b: Int64, wrap format: NumberFormat) throws -> Int64 {
        let r: Int64
        switch self {
        case .add: r = a &+ b
        case .sub: r = a &- b
        case .mul: r = a &* b
        case .div:
            guard b != 0 else { throw ModelGraphError.invalidTensor("integer division by zero") }
            r = b == -1 ? 0 &- a : a / b  // Int64.min / −1 wraps as two's complement does
        case .max: r = Swift.max(a, b)
        case .min: r = Swift.min(a, b)
        }
        if case .integer(64, false) = format, r < 0 {
            throw ModelGraphError.invalidTensor("\(rawValue) gives a uint64 value of 2^63 or more, which ZKInfer does not represent")
        }
        return format.wrap(r)
    }
}
