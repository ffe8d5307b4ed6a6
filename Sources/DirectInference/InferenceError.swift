import Quantization

public enum InferenceError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The input file is not usable: what is wrong and where.
    case invalidInput(String)
    case quantization(QuantizationError)

    public var description: String {
        switch self {
        case .invalidInput(let reason): return "invalid input: \(reason)"
        case .quantization(let error): return error.description
        }
    }
}
