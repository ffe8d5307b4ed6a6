import BN254
import ConstraintSystem
import FieldArithmetic
import Parallelism
import PlonkVerifier

/// The lookup and permutation rounds: multiplicities (§9), grand products (§8), running sums (§9).
extension ProverState {
    /// m_t for each lookup table (lookups sharing table columns and table selector, §9), after θ: per table
    /// row, the selector weight of every input of every lookup into the table equal to it, on the first table
    /// row holding that tuple, divided by the table selector there (1 without one).
    func commitMultiplicities(forgingWithKnownBeta forging: Bool = false) throws -> [G1Affine] {
        try timings.measure("permutationLookup") {
            lookupInputs = [[Fr]](repeating: [], count: c.lookups.count)
            lookupHitRows = [[Int32]](repeating: [], count: c.lookups.count)
            for members in c.lookupTableGroups {
                let first = c.lookups[members[0]]
                var table = [Fr](repeating: .zero, count: u)
                let qt = first.tableSelector.map { key.fixedValues[$0.index] }
                var firstRow: [Fr: Int] = [:]
                for r in 0..<u where qt?[r].isZero != true {
                    var t = Fr.zero, power = Fr.one
                    for column in first.table {
                        t += power * key.fixedValues[column.index][r]
                        power *= theta
                    }
                    table[r] = t
                    if firstRow[t] == nil { firstRow[t] = r }
                }
                // Each lookup's compressed inputs and the table row each one hits, one lookup per task; the counts
                // are then added in lookup order.
                let found = Self.concurrentMap(members) { l -> (inputs: [Fr], rows: [Int32]) in
                    let lookup = c.lookups[l]
                    let q = key.fixedValues[lookup.selector.index]
                    var inputs = [Fr](repeating: .zero, count: u)
                    var rows = [Int32](repeating: -1, count: u)
                    for r in 0..<u where !q[r].isZero {
                        var a = Fr.zero, power = Fr.one
                        for e in lookup.inputs {
                            a += power * evaluate(e, row: r)
                            power *= theta
                        }
                        inputs[r] = a
                        // An input outside the table (only through the unchecked test entry) adds nothing here;
                        // the running sums then cannot close and the proof is rejected.
                        if let row = firstRow[a] { rows[r] = Int32(row) }
                    }
                    return (inputs, rows)
                }
                var m = [Fr](repeating: .zero, count: u)
                for (l, lookup) in zip(members, found) {
                    let q = key.fixedValues[c.lookups[l].selector.index]
                    for (r, row) in lookup.rows.enumerated() where row >= 0 { m[Int(row)] += q[r] }
                    lookupInputs[l] = lookup.inputs
                    lookupHitRows[l] = lookup.rows
                }
                if let qt {
                    // One batched inversion instead of one per table row (GMP's gcd was a visible share).
                    let rows = (0..<u).filter { !m[$0].isZero && qt[$0] != .one }
                    var inverses = rows.map { qt[$0] }
                    Fr.batchInvert(&inverses)
                    for (r, inverse) in zip(rows, inverses) { m[r] *= inverse }
                }
                if forging {
                    // Test-only forgery (wrong round order): with β known, put the whole imbalance
                    // Σ q/(β + a) − Σ m·q_t/(β + τ) of the table on its first row, so the running sums close.
                    var imbalance = Fr.zero
                    for l in members {
                        let q = key.fixedValues[c.lookups[l].selector.index]
                        for r in 0..<u where !q[r].isZero { imbalance += q[r] * (beta + lookupInputs[l][r]).inverse() }
                    }
                    for r in 0..<u {
                        let weight = m[r] * (qt?[r] ?? .one)
                        if !weight.isZero { imbalance -= weight * (beta + table[r]).inverse() }
                    }
                    if let r0 = (0..<u).first(where: { qt?[$0].isZero != true }) {
                        m[r0] += imbalance * (beta + table[r0]) * (qt?[r0] ?? .one).inverse()
                    }
                }
                if let tamper = multiplicityTamper { tamper(lookupTables.count, &m) }
                lookupTables.append(table)
                multiplicities.append(try blinded(m[...]))
            }
        }
        return commitValues(multiplicities, category: "otherMSM")
    }

    /// z, π_1 … π_{c−1} and φ_s on all rows, after β and γ.
    func computeAccumulators() throws {
        try timings.measure("permutationLookup") {
            try computeProducts()
            try computeRunningSums()
        }
    }

    /// Commitments of the accumulators `computeAccumulators` filled in.
    /// Running sums over small tables go through their table's buckets (`RunningSumCommitment`), the rest
    /// through one batch of MSMs; the points are the same either way.
    func commitAccumulatorValues() -> (products: [G1Affine], sums: [G1Affine]) {
        let bucketed = timings.measure("otherMSM") { bucketedRunningSumCommitments() }
        let direct = runningSums.indices.filter { bucketed[$0] == nil }
        let all = commitValues(products + direct.map { runningSums[$0] }, category: "otherMSM")
        var sums = G1Projective.batchToAffine(bucketed.map { $0 ?? .infinity })
        for (s, commitment) in zip(direct, all[products.count...]) { sums[s] = commitment }
        return (Array(all[0..<products.count]), sums)
    }

    private func computeProducts() throws {
        let chunks = c.permutationChunks
        guard chunks > 0 else { return }
        let columns = c.permutationColumns
        let omegas = domain.elements
        var deltaPowers = [Fr.one]
        for _ in 1..<max(columns.count, 1) { deltaPowers.append(deltaPowers.last! * Fr.multiplicativeGenerator) }
        // f_j(ω^r) and 1/g_j(ω^r) for every chunk and usable row.
        var numerators = [[Fr]](repeating: [Fr](repeating: .one, count: u), count: chunks)
        var denominators = [[Fr]](repeating: [Fr](repeating: .one, count: u), count: chunks)
        for j in 0..<chunks {
            numerators[j].withUnsafeMutableBufferPointer { f in
                denominators[j].withUnsafeMutableBufferPointer { g in
                    for i in c.permutationChunk(j) {
                        let values = columnValues(columns[i])
                        let sigma = key.sigmaValues[i]
                        let identityStep = beta * deltaPowers[i]
                        Parallel.forEachChunk(of: u, minimumChunk: 4096) { range in
                            for r in range {
                                let v = values[r] + gamma
                                f[r] *= v + identityStep * omegas[r]
                                g[r] *= v + beta * sigma[r]
                            }
                        }
                    }
                }
            }
            guard !denominators[j].contains(where: \.isZero) else {
                throw ProverError.unluckyChallenge("a permutation denominator is zero")
            }
            Fr.batchInvert(&denominators[j])
        }
        // π_j(ω^r) = π_{j−1}(ω^r)·f_j/g_j; z(ω^{r+1}) = π_{c−1}(ω^r)·f_c/g_c (chunks 0-based here).
        var acc = [[Fr]](repeating: [Fr](repeating: .zero, count: u + 1), count: chunks)
        var z = Fr.one
        for r in 0..<u {
            acc[0][r] = z
            var running = z
            for j in 0..<chunks {
                running = running * numerators[j][r] * denominators[j][r]
                if j + 1 < chunks { acc[j + 1][r] = running }
            }
            z = running
        }
        acc[0][u] = z  // 1 when the copies hold
        products.append(Array(acc[0][0..<u]) + [z] + (try random.elements(Circuit.blindingRows)))
        for j in 1..<chunks {
            products.append(Array(acc[j][0..<u]) + (try random.elements(Circuit.reservedRows)))
        }
    }

    private func columnValues(_ column: Column) -> [Fr] {
        switch column.kind {
        case .advice: return advice[column.index]
        case .instance: return instanceValues[column.index]
        case .fixed: return key.fixedValues[column.index]
        case .challenge: return challengeValues[column.index]
        }
    }

    /// For each running sum s (§9): φ_s(ω^0) = 0, φ_s(ω^{r+1}) = φ_s(ω^r) + Σ_{l∈s} q_l/A_l − [s carries its
    /// table]·m·q_t/T, with A = β + input and T = β + table row. The sums of one table close together at row u.
    private func computeRunningSums() throws {
        tableInverses = try c.lookupTableGroups.indices.map { try inverses(ofTable: $0) }
        // The sums are independent: computed one per task, then blinded in order (the same random stream).
        let sums = c.lookupSums
        let computed = Self.concurrentMap(Array(sums.indices)) { s in
            Result { () throws -> (phi: [Fr], fromTable: Bool) in
                if let phi = self.runningSumFromTableInverses(sums[s]) { return (phi, true) }
                return (try self.runningSumInvertingEachInput(sums[s]), false)
            }
        }
        for (s, result) in computed.enumerated() {
            let (phi, fromTable) = try result.get()
            if fromTable { sumsFromTableSteps.insert(s) }
            runningSums.append(phi + (try random.elements(Circuit.blindingRows)))
        }
    }

    /// 1/(β + T_r) for the table rows r that a lookup of table `t` hits or that carry a multiplicity: one
    /// batched inversion over the table's few distinct rows instead of one per looked-up cell.
    private func inverses(ofTable t: Int) throws -> TableInverses {
        var slotOfRow = [Int32](repeating: -1, count: u)
        var rows: [Int] = []
        func use(_ r: Int) {
            if slotOfRow[r] < 0 {
                slotOfRow[r] = Int32(rows.count)
                rows.append(r)
            }
        }
        for l in c.lookupTableGroups[t] {
            for row in lookupHitRows[l] where row >= 0 { use(Int(row)) }
        }
        let qt = c.lookups[c.lookupTableGroups[t][0]].tableSelector.map { key.fixedValues[$0.index] }
        let m = multiplicities[t]
        var carried: [(row: Int, weight: Fr)] = []
        for r in 0..<u where !m[r].isZero && qt?[r].isZero != true {
            use(r)
            carried.append((r, m[r] * (qt?[r] ?? .one)))
        }
        var values = rows.map { beta + lookupTables[t][$0] }
        guard !values.contains(where: \.isZero) else { throw ProverError.unluckyChallenge("a logUp denominator is zero") }
        Fr.batchInvert(&values)
        return TableInverses(slotOfRow: slotOfRow, values: values, carried: carried)
    }

    /// φ_s on rows 0 … u (unblinded), read off the table's inverses; nil when an input misses the table (only
    /// through the unchecked test entry).
    private func runningSumFromTableInverses(_ sum: LookupSum) -> [Fr]? {
        let inverses = tableInverses[sum.table]
        let selectors = sum.lookups.map { key.fixedValues[c.lookups[$0].selector.index] }
        let hits = sum.lookups.map { lookupHitRows[$0] }
        for (q, rows) in zip(selectors, hits) {
            for r in 0..<u where !q[r].isZero && rows[r] < 0 { return nil }
        }
        // The table's side of each step, when this sum carries it.
        var tableSide = [Fr](repeating: .zero, count: sum.carriesTable ? u : 0)
        if sum.carriesTable {
            for (row, weight) in inverses.carried { tableSide[row] = weight * inverses.inverse(atRow: row) }
        }
        var phi = [Fr](repeating: .zero, count: u + 1)
        for r in 0..<u {
            var next = sum.carriesTable ? phi[r] - tableSide[r] : phi[r]
            for (q, rows) in zip(selectors, hits) where !q[r].isZero {
                next += q[r] * inverses.inverse(atRow: Int(rows[r]))
            }
            phi[r + 1] = next
        }
        return phi
    }

    /// φ_s with every input's denominator inverted (the inputs need not be in the table).
    private func runningSumInvertingEachInput(_ sum: LookupSum) throws -> [Fr] {
        var toInvert: [Fr] = []
        var inputSlots: [[Int]] = []
        for l in sum.lookups {
            let q = key.fixedValues[c.lookups[l].selector.index]
            var slots = [Int](repeating: -1, count: u)
            for r in 0..<u where !q[r].isZero {
                slots[r] = toInvert.count
                toInvert.append(beta + lookupInputs[l][r])
            }
            inputSlots.append(slots)
        }
        let first = c.lookups[sum.lookups[0]]
        let qt = first.tableSelector.map { key.fixedValues[$0.index] }
        let m = multiplicities[sum.table]
        var tableSlots = [Int](repeating: -1, count: sum.carriesTable ? u : 0)
        if sum.carriesTable {
            for r in 0..<u where !m[r].isZero && qt?[r].isZero != true {
                tableSlots[r] = toInvert.count
                toInvert.append(beta + lookupTables[sum.table][r])
            }
        }
        guard !toInvert.contains(where: \.isZero) else {
            throw ProverError.unluckyChallenge("a logUp denominator is zero")
        }
        Fr.batchInvert(&toInvert)
        let selectors = sum.lookups.map { key.fixedValues[c.lookups[$0].selector.index] }
        var phi = [Fr](repeating: .zero, count: u + 1)
        for r in 0..<u {
            var next = phi[r]
            for (i, slots) in inputSlots.enumerated() where slots[r] >= 0 { next += selectors[i][r] * toInvert[slots[r]] }
            if sum.carriesTable && tableSlots[r] >= 0 { next -= m[r] * (qt?[r] ?? .one) * toInvert[tableSlots[r]] }
            phi[r + 1] = next
        }
        return phi
    }
}
