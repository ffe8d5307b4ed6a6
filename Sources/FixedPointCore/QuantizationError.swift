public enum QuantizationError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidSettings(String)
    /// A value left its bound (spec §3); the message tells the user what to change.
    case outOfRange(layer: String, what: String, value: String, bound: String)
    /// A constant that cannot be represented at its scale.
    case unrepresentableConstant(layer: String, what: String)
    case invalidInput(String)
    /// A well-formed input file that does not fit the model's inputs (names, counts, shapes).
    case inputMismatch(String)

    public var description: String {
        switch self {
        case .invalidSettings(let reason): return "invalid settings: \(reason)"
        case .outOfRange(let layer, let what, let value, let bound):
            return "value out of range at layer \(layer): \(what) \(value) outside \(bound); lower the scale or raise the bound"
        case .unrepresentableConstant(let layer, let what):
            return "value out of range at layer \(layer): \(what) does not fit 62 bits at this scale; lower the scale"
        case .invalidInput(let reason), .inputMismatch(let reason): return "invalid input: \(reason)"
        }
    }
}
