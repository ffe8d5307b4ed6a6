import ConstraintSystem
import FieldArithmetic
import Quantization

/// One element of an embedding lookup (docs/fixed-point.md §5: Gather of a constant table by token ids), one lane
/// per output element (token j, column d):
///
///     receives key = D·id_j + d            (the fold: the token id's element with weight D, constant d)
///     (tag, key, T, 0) ∈ table              (one lookup into the table's stacked rows, `LookupTable(embedding:)`)
///
/// The fold fixes the key from the id, and the table has one row per key, so T is the table's entry: a lookup
/// against the table, not a cell per weight. Trace integers: [key, T]. Produced: T.
public struct EmbeddingGadget: LaneGadget {
    public var limbBits = 8
    public let table: LookupTable

    public init(table: LookupTable) { self.table = table }

    /// A deterministic name per table (gate and selector names must not depend on the process).
    public var name: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the entries
        for v in table.values {
            hash ^= UInt64(bitPattern: v)
            hash = hash &* 0x100_0000_01b3
        }
        return "embedding\(table.values.count)_" + String(hash, radix: 16)
    }

    public var limbCells: Int { 0 }
    /// key, T.
    public var freeCells: Int { 2 }
    public var receivedCount: Int { 1 }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { cells.free[1] }
    public func constraints(_ cells: LaneCells) -> [Expression] { [] }

    public var functionTable: LookupTable? { table }
    public func tableInputs(_ cells: LaneCells) -> [Expression] { [cells.free[0], cells.free[1], .constant(.zero)] }

    /// A padding lane holds the first row (its lookup must hold too).
    public var paddingInputs: [Int64] { [table.minIndex, table.values[0]] }
    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[1] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (key, value) = (inputs[0], inputs[1])
        guard key >= table.minIndex, key <= table.maxIndex, table.lookup(key) == value else {
            throw CompilerError.witnessMismatch("embedding key \(key) does not hold \(value)")
        }
        return ([], [key, value])
    }
}
