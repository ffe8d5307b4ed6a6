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
            var current: [Int] = []
            var carries = true
            var degree = 3
            for l in members {
                let d = lookups[l].inputDegree
                if !current.isEmpty && degree + d > bound {
                    sums.append(LookupSum(table: g, lookups: current, carriesTable: carries))
                    current = []
                    carries = false
                    degree = 2
                }
                current.append(l)
                degree += d
            }
            if !current.isEmpty { sums.append(LookupSum(table: g, lookups: current, carriesTable: carries)) }
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
}
