import ConstraintSystem
import FieldArithmetic

/// The isZero cells (value, inverse, z) that `StepGadget` and `IntegerGadget` use: z = [value = 0]. The inverse
/// is an arbitrary field element, so a lane holding one has its witness as field elements (`fieldWitness`).
enum ZeroTest {
    /// value·z = 0 and value·inverse + z − 1 = 0: z = 1 exactly when value = 0.
    static func constraints(_ value: Expression, _ inverse: Expression, _ z: Expression) -> [Expression] {
        [value * z, value * inverse + z - Fr.one]
    }

    /// 1/v in the field (0 for v = 0) and z = [v = 0].
    static func cells(_ v: Int64) -> [Fr] {
        v == 0 ? [Fr.zero, Fr.one] : [Fr(signed: v).inverse(), Fr.zero]
    }

    /// A lane's free cells as integers: only where no inverse is needed (padding lanes, zero inputs); the
    /// witness builder uses `fieldWitness`.
    static func integerCells(_ free: [Fr], gadget name: String) throws -> [Int64] {
        try free.map { v in
            guard let n = CompiledCircuit.signedInteger(v) else {
                throw CompilerError.witnessMismatch("\(name): a free cell is a field inverse (use fieldWitness)")
            }
            return n
        }
    }
}

/// What a lane's cells mean, built in one place so that a gadget's received, produced and constraint
/// expressions come from the same cells.
struct LaneParts {
    var received: [Expression]
    var out: Expression
    var constraints: [Expression]
}
