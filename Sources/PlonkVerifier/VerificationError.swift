/// Why a proof was rejected. `malformedProof` and `publicValuesShape` are framing errors — not a proof file
/// of this key's shape at all (exit code 2 in `zkverify`). Everything else is a proof that is false (exit
/// code 1), including a well-framed proof one of whose points or scalars is not a valid encoding: a flipped
/// byte is an invalid proof, whether it lands on a point's flag bits or in the middle of a scalar.
public enum VerificationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Wrong length, wrong magic or version: not a proof file of this key's shape.
    case malformedProof(String)
    /// A point or scalar inside a correctly framed proof is not a valid encoding (off the curve,
    /// non-canonical, bad flags).
    case invalidProofElement(String)
    /// The proof names another verifying key.
    case keyMismatch(proofKey: String, verifyingKey: String)
    /// The public values do not have the instance columns' lengths.
    case publicValuesShape(String)
    /// The public values differ from the ones the caller expected.
    case unexpectedPublicValue(column: Int, row: Int, expected: String, actual: String)
    /// A public value lies outside its instance column's bound (docs/protocol.md §10, §15 step 1): the
    /// statement is not one the key's circuit can attest, so the proof is invalid whatever its algebra says.
    case publicValueOutOfRange(column: Int, name: String, row: Int, value: String, bits: Int)
    /// ζ landed in the domain (probability n/r): the quotient identity cannot be checked there.
    case evaluationPointInDomain
    /// The final two-pairing check failed: some constraint, commitment or opening is false.
    case pairingCheckFailed

    public var isMalformed: Bool {
        switch self {
        case .malformedProof, .publicValuesShape: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .malformedProof(let detail): return "malformed proof: \(detail)"
        case .invalidProofElement(let detail): return "invalid proof element: \(detail)"
        case .keyMismatch(let proofKey, let verifyingKey):
            return "the proof is for verifying key \(proofKey.prefix(16))…, not \(verifyingKey.prefix(16))…"
        case .publicValuesShape(let detail): return "public values do not fit the circuit: \(detail)"
        case .unexpectedPublicValue(let column, let row, let expected, let actual):
            return "public value \(column)[\(row)] is \(actual), expected \(expected)"
        case .publicValueOutOfRange(let column, let name, let row, let value, let bits):
            return "public value \(column)[\(row)] (instance column '\(name)', row \(row)) is \(value), outside the "
                + "column's bound [−2^\(bits - 1), 2^\(bits - 1))"
        case .evaluationPointInDomain: return "the evaluation point ζ lies in the domain"
        case .pairingCheckFailed:
            return "the pairing check failed: the proof does not verify against this key and these public values"
        }
    }
}
