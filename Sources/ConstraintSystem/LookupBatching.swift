/// Batched logUp (docs/protocol.md §9): lookups that read the same table (same table columns, same table
/// selector) share one multiplicity column, and their inputs are packed into as few running sums as the
/// quotient's degree allows. Prover and verifier derive the same batching from the circuit alone, so the key
/// format does not change.
public struct LookupSum: Hashable, Sendable {
    /// Index into `lookupTableGroups`.
    public let table: Int
    /// Indices into `lookups` of the inputs this sum accumulates, in circuit order.
    public let lookups: [Int]
    /// Whether this sum also subtracts the table's side m·q_t/T (the first sum of each table does).
    public let carriesTable: Bool
}

extension CircuitShape {
    /// Lookups grouped by table (same table columns and table selector), groups in order of their first
    /// lookup, lookups in circuit order. One multiplicity column per group.
    public var lookupTableGroups: [[Int]] {
        var groups: [[Int]] = []
        var groupOf: [[Int]: Int] = [:]  // a dictionary: a hostile key may hold many lookups
        for (l, lookup) in lookups.enumerated() {
            let key = lookup.table.map(\.index) + [lookup.tableSelector.map { $0.index } ?? -1]
            if let g = groupOf[key] {
                groups[g].append(l)
            } else {
                groupOf[key] = groups.count
                groups.append([l])
            }
        }
        return groups
    }

    /// The running sums, table by table: each table's lookups packed greedily, in order, into sums whose
    /// transition constraint (degree 2 + [carries table] + Σ deg A_i) stays within D, so batching never raises
    /// the quotient's degree (a lone lookup with its table is 3 + deg A ≤ D by the definition of D).
    public var lookupSums: [LookupSum] {
        let bound = quotientDegree
        var sums: [LookupSum] = []
        for (g, members) in lookupTableGroups.enumerated() {
            for (i, run) in LookupSum.packSums(members.map { lookups[$0].inputDegree }, bound: bound).enumerated() {
                sums.append(LookupSum(table: g, lookups: run.map { members[$0] }, carriesTable: i == 0))
            }
        }
        return sums
    }
}

extension LookupSum {
    /// Running sums `CircuitShape.lookupSums` makes for `lookups` lookups of input degree `inputDegree` into one
    /// table under quotient degree `quotientDegree` (for cost models that have no circuit yet).
    public static func count(lookups: Int, inputDegree: Int, quotientDegree: Int) -> Int {
        guard lookups > 0 else { return 0 }
        guard inputDegree > 0 else { return 1 }
        let first = max(1, (quotientDegree - 3) / inputDegree)
        let other = max(1, (quotientDegree - 2) / inputDegree)
        return lookups <= first ? 1 : 1 + (lookups - first + other - 1) / other
    }

    /// One table's lookups (their input degrees, in order) packed greedily into running sums whose transition
    /// constraint, degree 2 + [carries the table] + Σ deg A_i, stays within `bound` (a lone lookup always fits:
    /// 3 + deg A ≤ d₀ ≤ D): the positions each sum takes, the first sum carrying the table.
    public static func packSums(_ inputDegrees: [Int], bound: Int) -> [[Int]] {
        var sums: [[Int]] = []
        var current: [Int] = []
        var degree = 3
        for (i, d) in inputDegrees.enumerated() {
            if !current.isEmpty && degree + d > bound {
                sums.append(current)
                current = []
                degree = 2
            }
            current.append(i)
            degree += d
        }
        if !current.isEmpty { sums.append(current) }
        return sums
    }

    /// D (§7): d₀, or a larger bound that keeps the quotient on the same coset — up to 2^⌈log₂(d₀ − 1)⌉ + 1, since
    /// the prover extends to 2^⌈log₂(D − 1)⌉·n points (d₀ = 4 allows 5) — when that commits fewer columns: its extra
    /// quotient chunks cost less than the running sums and permutation accumulators the looser bound saves (each a
    /// committed column, its NTTs and its openings). The smallest D on a tie. `tables`: each table's lookups' input
    /// degrees, in circuit order. Prover, verifier and the compiler's estimates all call this one rule.
    public static func quotientDegree(constraintDegree d0: Int, tables: [[Int]], permutationColumns: Int) -> Int {
        var extraLog = 0
        while (1 << extraLog) < d0 - 1 { extraLog += 1 }
        let top = min(max(d0, (1 << extraLog) + 1), d0 + 4)  // a hostile key's huge d₀ stays a few tries
        var best = d0, bestColumns = Int.max
        for d in d0...top {
            let sums = tables.reduce(0) { $0 + packSums($1, bound: d).count }
            let columns = (d - 1) + sums + (permutationColumns == 0 ? 0 : (permutationColumns + d - 3) / (d - 2))
            if columns < bestColumns { (best, bestColumns) = (d, columns) }
        }
        return best
    }
}
