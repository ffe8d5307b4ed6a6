import ConstraintSystem
import Quantization

/// Where every lane sits: rows and lane slots, and the column counts that follow.
///
/// Each row carries lanes of one kind only. With `lanesPerRow` = W, the circuit has K = W·(most limb cells of
/// any kind) range-checked columns and W·(most free cells) free columns; a kind with fewer cells fits more
/// lanes in a row. Groups are placed in graph order, each starting on a fresh row, so the layout depends only
/// on the plan (deterministic). Row R (after the last lane row) closes the running sum; the 256-row range
/// table lives in a fixed column beside the lanes, so the circuit needs max(R + 1, 256) usable rows.
public struct CircuitLayout: Sendable {
    public struct Placement: Hashable, Sendable {
        public let row: Int
        public let slot: Int
    }

    public let lanesPerRow: Int
    public let limbColumns: Int
    public let freeColumns: Int
    /// Lanes per row of each kind (in `kinds` order).
    public let kinds: [LaneKind]
    public let lanesOfKind: [Int]
    /// First row and row count of each group.
    public let groupRows: [(start: Int, count: Int)]
    /// Rows carrying lanes (R); row R closes the running sum.
    public let laneRows: Int
    public let log2Rows: Int
    /// Most lanes in any row and most received equations per lane (challenge columns follow from them).
    public let maxLanes: Int
    public let maxPorts: Int
    /// Most produced values per lane (1 + a kind's extra values).
    public let maxProduced: Int

    public static let rangeTableRows = 256
    /// Function tables (tags 1, 2, … in this order) stacked in the `fn_*` fixed columns, and their total rows.
    public let functionTables: [LookupTable]
    public let functionTableRows: Int
    /// Function-table lookup arguments of each kind: one per lane slot of a kind with a table, else 0.
    public let tableLookupsOfKind: [Int]

    public init(plan: CircuitPlan, lanesPerRow: Int, log2Rows requested: Int? = nil) throws {
        guard lanesPerRow >= 1 else { throw CompilerError.invalidOptions("lanes per row must be at least 1") }
        let kinds = plan.kinds
        let maxLimbs = kinds.map(\.gadget.limbCells).max() ?? 1
        let maxFree = kinds.map(\.gadget.freeCells).max() ?? 0
        self.lanesPerRow = lanesPerRow
        self.limbColumns = lanesPerRow * maxLimbs
        freeColumns = lanesPerRow * maxFree
        self.kinds = kinds
        let limbColumns = lanesPerRow * maxLimbs
        let lanesOfKind = kinds.map { kind -> Int in
            let g = kind.gadget
            var lanes = limbColumns / max(g.limbCells, 1)
            if g.freeCells > 0 { lanes = min(lanes, (lanesPerRow * maxFree) / g.freeCells) }
            return max(lanes, 1)
        }
        self.lanesOfKind = lanesOfKind
        var row = 0
        var groupRows: [(start: Int, count: Int)] = []
        for group in plan.groups {
            let lanes = lanesOfKind[kinds.firstIndex(of: group.kind)!]
            let rows = (group.count + lanes - 1) / lanes
            groupRows.append((row, rows))
            row += rows
        }
        maxLanes = lanesOfKind.max() ?? 1
        maxPorts = kinds.map(\.gadget.receivedCount).max() ?? 1
        maxProduced = 1 + (kinds.map(\.gadget.extraProducedCount).max() ?? 0)
        functionTables = plan.functionTables
        functionTableRows = functionTables.reduce(0) { $0 + $1.values.count }
        tableLookupsOfKind = zip(kinds, lanesOfKind).map { kind, lanes in kind.gadget.functionTable == nil ? 0 : lanes }
        let needed = max(row + 1, Self.rangeTableRows, functionTableRows)
        guard needed <= (1 << Circuit.supportedLog2Rows.upperBound) - Circuit.reservedRows else {
            throw CompilerError.tooLarge(rowsNeeded: needed)
        }
        let minimum = Circuit.minimumLog2Rows(forRows: needed)
        if let requested {
            guard requested >= minimum, Circuit.supportedLog2Rows.contains(requested) else {
                throw CompilerError.invalidOptions("2^\(requested) rows requested; the circuit needs at least 2^\(minimum)")
            }
            log2Rows = requested
        } else {
            log2Rows = minimum
        }
        // Public values fill instance columns of at most u rows each (an instance column holds its values on
        // rows 0…ℓ−1), so many inputs never make the circuit taller. Row 0 of the constant challenge column
        // holds the bias fold, row 1 + c the public fold of instance column c: the sum must cover them.
        let usable = (1 << log2Rows) - Circuit.reservedRows
        let publicCount = plan.publicInputCount + plan.publicOutputCount
        publicColumnLength = min(usable, max(publicCount, 1))
        publicColumns = (publicCount + publicColumnLength - 1) / publicColumnLength
        if row < 1 + publicColumns, !groupRows.isEmpty {
            let last = groupRows.count - 1
            groupRows[last].count += 1 + publicColumns - row
            row = 1 + publicColumns
            guard row + 1 <= usable else { throw CompilerError.invalidOptions("too many public values for 2^\(log2Rows) rows") }
        }
        self.groupRows = groupRows
        laneRows = row
    }

    /// Instance columns holding the public values, and the length of each (the last may hold fewer values).
    public let publicColumns: Int
    public let publicColumnLength: Int

    public func lanes(of kind: LaneKind) -> Int { lanesOfKind[kinds.firstIndex(of: kind)!] }

    public func placement(group: Int, index: Int, kind: LaneKind) -> Placement {
        let lanes = lanes(of: kind)
        return Placement(row: groupRows[group].start + index / lanes, slot: index % lanes)
    }

    // MARK: Shape of the resulting circuit (also what `zkinfer stats` reports without building it)

    /// Advice columns: limbs, free cells, and the running sum.
    public var adviceColumns: Int { limbColumns + freeColumns + 1 }
    /// Fixed columns: the range table, the range selector, the sum boundary selector, one selector per kind, and
    /// (tag, index, value, delta) when there are function tables.
    public var fixedColumns: Int { 3 + kinds.count + (functionTables.isEmpty ? 0 : 4) }
    /// One logUp argument per limb column, and one per lane slot of each kind with a function table.
    public var lookupArguments: Int { limbColumns + tableLookupsOfKind.reduce(0, +) }
    /// The constant column plus, per lane slot, one column per received port and one per produced value.
    public var challengeColumns: Int { 1 + maxLanes * (maxPorts + maxProduced) }
    /// Gates: the sum boundary and one per kind; the largest degree is 4 (selector·challenge·s·v).
    public var quotientDegree: Int { 4 }

    /// Proof body bytes by docs/protocol.md §14 (no copies: P = 0; only the running sum is read at the next row).
    public var proofBytes: Int {
        let a = adviceColumns, aNext = 1, f = fixedColumns, l = lookupArguments, d = quotientDegree
        return 32 * (2 * a + aNext + f + 0 + 0 + 0 + 0 + 5 * l + d + 1)
    }

    public var rowCount: Int { 1 << log2Rows }

    /// The automatic choice: the fewest lanes per row that fits the smallest circuit, preferring a proof within
    /// `proofByteBudget`; the cost compared is (committed columns + half the challenge columns) × rows, which
    /// tracks the prover's MSM and NTT work.
    public static func automatic(plan: CircuitPlan, log2Rows: Int? = nil, proofByteBudget: Int = 3072) throws -> CircuitLayout {
        var best: (layout: CircuitLayout, cost: Double, fits: Bool)?
        var lastError: Error?
        for lanes in CompileOptions.laneChoices {
            let layout: CircuitLayout
            do { layout = try CircuitLayout(plan: plan, lanesPerRow: lanes, log2Rows: log2Rows) } catch {
                lastError = error
                continue
            }
            let committed = Double(layout.adviceColumns + 2 * layout.lookupArguments)
            let cost = (committed + Double(layout.challengeColumns) / 2) * Double(layout.rowCount)
            let fits = layout.proofBytes <= proofByteBudget
            if let current = best {
                if (fits && !current.fits) || (fits == current.fits && cost < current.cost) { best = (layout, cost, fits) }
            } else {
                best = (layout, cost, fits)
            }
        }
        guard let chosen = best?.layout else { throw lastError ?? CompilerError.invalidOptions("no layout fits") }
        return chosen
    }
}
