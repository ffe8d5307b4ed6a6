/// Why a proof was rejected. `malformed…` cases are found before any algebra (exit code 2 in `zkverify`);
/// the others are well-formed proofs that are false (exit code 1).
public enum VerificationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Wrong length, bad point or scalar encoding, wrong magic or version.
    case malformedProof(String)
    /// The proof names another verifying key.
    case keyMismatch(proofKey: String, verifyingKey: String)
    /// The public values do not have the instance columns' lengths.
    case publicValuesShape(String)
    /// The public values differ from the ones the caller expected.
    case unexpectedPublicValue(column: Int, row: Int, expected: String, actual: String)
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
        case .keyMismatch(let proofKey, let verifyingKey):
            return "the proof is for verifying key \(proofKey.prefix(16))…, not \(verifyingKey.prefix(16))…"
        case .publicValuesShape(let detail): return "public values do not fit the circuit: \(detail)"
        case .unexpectedPublicValue(let column, let row, let expected, let actual):
            return "public value \(column)[\(row)] is \(actual), expected \(expected)"
        case .evaluationPointInDomain: return "the evaluation point ζ lies in the domain"
        case .pairingCheckFailed:
            return "the pairing check failed: the proof does not verify against this key and these public values"
        }
    }
}
