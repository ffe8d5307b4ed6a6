/// Why bytes or text could not be read as a field element.
public enum FieldError: Error, Equatable, CustomStringConvertible, Sendable {
    case wrongLength(field: String, expected: Int, actual: Int)
    case nonCanonical(field: String)
    case notANumber(field: String, text: String)
    case outOfRange(field: String, text: String)

    public var description: String {
        switch self {
        case .wrongLength(let field, let expected, let actual):
            return "\(field) element must be \(expected) bytes, got \(actual)"
        case .nonCanonical(let field):
            return "\(field) element encoding is not canonical (value ≥ modulus)"
        case .notANumber(let field, let text):
            return "\(field) element: '\(text.prefix(80))' is not a decimal or 0x-hex integer"
        case .outOfRange(let field, let text):
            return "\(field) element: \(text.prefix(80)) is not in [0, modulus)"
        }
    }
}
