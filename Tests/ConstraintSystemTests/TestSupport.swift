import TestSupport
import FieldArithmetic
@testable import ConstraintSystem

extension Array where Element == ConstraintFailure {
    /// (gate or lookup name, row) of each gate/lookup failure, for compact assertions.
    var namesAndRows: [String] {
        compactMap { failure in
            guard let name = failure.constraintName, let row = failure.row else { return nil }
            return "\(name)@\(row)"
        }
    }
}
