import ConstraintSystem

/// Why the prover refused or failed.
public enum ProverError: Error, CustomStringConvertible {
    /// The witness does not satisfy the circuit: every failure the checker found.
    case unsatisfiedWitness(UnsatisfiedConstraints)
    case srsTooSmall(needed: Int, available: Int)
    /// The public values given do not match the circuit's instance columns.
    case publicValues(String)
    /// The witness callback changed advice of a phase already committed.
    case witnessChangedAfterCommitment(column: Int, row: Int)
    /// A random denominator vanished (probability about n/r): proving again draws new challenges.
    case unluckyChallenge(String)
    /// `setup --private-weights` cannot make this key.
    case privateWeights(String)

    public var description: String {
        switch self {
        case .unsatisfiedWitness(let report): return "the witness does not satisfy the circuit; " + report.description
        case .srsTooSmall(let needed, let available):
            return "the circuit needs an SRS of 2^\(needed) points, this one has 2^\(available)"
        case .publicValues(let detail): return "public values: \(detail)"
        case .witnessChangedAfterCommitment(let column, let row):
            return "advice column \(column) row \(row) changed after its phase was committed"
        case .unluckyChallenge(let detail): return "a challenge made a denominator vanish (\(detail)); prove again"
        case .privateWeights(let detail): return "private weights: \(detail)"
        }
    }
}
