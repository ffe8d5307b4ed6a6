import ConstraintSystem

/// Why a model cannot be compiled or a witness cannot be laid out. Each case names the layer.
public enum CompilerError: Error, Equatable, CustomStringConvertible {
    /// The circuit has no gadget for this operation (yet); `hint` suggests a rewrite.
    case unsupportedOperation(layer: String, op: String, hint: String)
    /// Settings or options the compiler cannot honour.
    case invalidOptions(String)
    /// The circuit would need more rows than the field's largest domain (2^28) allows.
    case tooLarge(rowsNeeded: Int)
    /// A gadget so wide (e.g. a pooling window of thousands of positions) that the circuit would need more
    /// advice columns than `CircuitLayout.maxAdviceColumns`.
    case tooWide(columnsNeeded: Int)
    /// The trace does not match the circuit it is laid into (wrong model, or a bug).
    case witnessMismatch(String)
    /// The constraint-system layer rejected the circuit (a compiler bug if it ever happens).
    case constraintSystem(ConstraintSystemError)

    public var description: String {
        switch self {
        case .unsupportedOperation(let layer, let op, let hint):
            return "layer \(layer): \(op) has no circuit gadget\(hint.isEmpty ? "" : "; \(hint)")"
        case .invalidOptions(let reason): return "compile options: \(reason)"
        case .tooLarge(let rows):
            return "the circuit needs \(rows) rows, more than the 2^28 the BN254 scalar field supports"
        case .tooWide(let columns):
            return "the circuit needs \(columns) advice columns, more than \(CircuitLayout.maxAdviceColumns) (a gadget reads too many elements, e.g. a huge pooling window)"
        case .witnessMismatch(let reason): return "witness does not fit the circuit: \(reason)"
        case .constraintSystem(let error): return "constraint system: \(error)"
        }
    }
}
