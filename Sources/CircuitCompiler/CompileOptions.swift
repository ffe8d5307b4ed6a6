/// What the user can choose when compiling (everything else follows from the model and its settings).
public struct CompileOptions: Hashable, Sendable, Codable {
    /// Model inputs are public values (folded by the verifier, no rows) unless false (`--private-input`):
    /// then they are witness cells with a range check.
    public var publicInput: Bool
    /// Lanes (elements) per row of the widest gadget; nil chooses automatically (`--lanes`). More lanes mean
    /// fewer rows but more committed columns and lookup arguments.
    public var lanesPerRow: Int?
    /// A larger circuit than needed (e.g. to share an SRS size); nil = the smallest that fits.
    public var log2Rows: Int?
    /// Range checks stacked into a few looked-up columns (true) or one lookup per limb column (false); nil
    /// chooses by cost (`--range-checks`). See `CircuitLayout`.
    public var stackRangeChecks: Bool?
    /// Bits per range-checked limb, 8 (a 256-row table) down to 5 (32 rows: more limbs, but a small model then
    /// fits 2^6 rows); nil chooses by cost (`--limb-bits`).
    public var limbBits: Int?
    /// The lane columns exactly (what a circuit file records, so a rebuild needs no search); nil: `lanesPerRow` ×
    /// the widest gadget's cells, or the automatic choice, which also tries widths between those multiples.
    public var laneColumns: LaneColumns?

    public init(publicInput: Bool = true, lanesPerRow: Int? = nil, log2Rows: Int? = nil, stackRangeChecks: Bool? = nil,
                limbBits: Int? = nil, laneColumns: LaneColumns? = nil) {
        self.publicInput = publicInput
        self.lanesPerRow = lanesPerRow
        self.log2Rows = log2Rows
        self.stackRangeChecks = stackRangeChecks
        self.limbBits = limbBits
        self.laneColumns = laneColumns
    }

    public static let limbBitChoices = [8, 7, 6, 5]

    /// Lanes per row tried by the automatic choice.
    public static let laneChoices = 1...16
}

/// A row's lane columns: range-checked limb columns and free columns. Each kind fits ⌊limbs / its limb cells⌋ lanes
/// (and no more than its free cells allow), so a width between multiples of the widest gadget lets a narrow kind
/// take one more lane per row without widening the row by a whole widest lane (nanogpt_block: 34 + 12 instead of
/// 33 + 10 puts two Gelu table lanes in a row, and the circuit fits 2^13 rows instead of 2^14).
public struct LaneColumns: Hashable, Sendable, Codable {
    public var limbs: Int
    public var free: Int

    public init(limbs: Int, free: Int) {
        self.limbs = limbs
        self.free = free
    }
}
