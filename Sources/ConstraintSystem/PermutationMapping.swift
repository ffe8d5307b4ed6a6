/// The permutation σ of the copy-constraint argument (docs/protocol.md §8) as cell positions: cells joined
/// by copies form cycles; every other cell maps to itself.
///
/// Deterministic: each equivalence class is sorted by (permutation column, row) and every cell maps to the
/// next one in that order, the last back to the first. Key generation turns position (i, r) ↦ (i′, r′)
/// into σ_i(ω^r) = δ^(i′)·ω^(r′).
public struct PermutationMapping: Sendable {
    public struct Position: Hashable, Sendable, Comparable {
        /// Index into `columns` (the circuit's `permutationColumns`).
        public let column: Int
        public let row: Int
        public init(column: Int, row: Int) {
            self.column = column
            self.row = row
        }
        public static func < (a: Self, b: Self) -> Bool { (a.column, a.row) < (b.column, b.row) }
    }

    public let columns: [Column]
    /// Only the cells that do not map to themselves.
    public let images: [Position: Position]

    public init(_ circuit: Circuit) {
        columns = circuit.permutationColumns
        let columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($0.element, $0.offset) })
        func position(_ cell: Cell) -> Position { Position(column: columnIndex[cell.column]!, row: cell.row) }

        // Union-find over the cells that appear in copies.
        var parent: [Position: Position] = [:]
        func find(_ p: Position) -> Position {
            var root = p
            while let up = parent[root], up != root { root = up }
            var node = p
            while let up = parent[node], up != root {
                parent[node] = root
                node = up
            }
            return root
        }
        for copy in circuit.copies {
            let a = position(copy.left)
            let b = position(copy.right)
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a)
            let rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var classes: [Position: [Position]] = [:]
        for p in parent.keys { classes[find(p), default: []].append(p) }
        var images: [Position: Position] = [:]
        for members in classes.values where members.count > 1 {
            let cycle = members.sorted()
            for (i, p) in cycle.enumerated() { images[p] = cycle[(i + 1) % cycle.count] }
        }
        self.images = images
    }

    /// σ(i, r).
    public func image(column: Int, row: Int) -> Position {
        let p = Position(column: column, row: row)
        return images[p] ?? p
    }
}
