import ConstraintSystem
import FieldArithmetic

/// The quotient's numerator N = Σ_i α^i·C_i over every constraint of docs/protocol.md §6, §8, §9, in §7's
/// order, written once for any value type: the verifier runs it on field elements at ζ, the prover on
/// vectors of coset evaluations. The order of the terms here *is* the protocol's.
public enum Numerator {
    /// Arithmetic on the value type.
    public struct Algebra<V> {
        public var constant: (Fr) -> V
        public var add: (V, V) -> V
        public var subtract: (V, V) -> V
        public var multiply: (V, V) -> V
        public var negate: (V) -> V
        public var scale: (V, Fr) -> V

        public init(
            constant: @escaping (Fr) -> V, add: @escaping (V, V) -> V, subtract: @escaping (V, V) -> V,
            multiply: @escaping (V, V) -> V, negate: @escaping (V) -> V, scale: @escaping (V, Fr) -> V
        ) {
            self.constant = constant
            self.add = add
            self.subtract = subtract
            self.multiply = multiply
            self.negate = negate
            self.scale = scale
        }
    }

    /// The values every constraint reads.
    public struct Inputs<V> {
        /// Any column (advice, fixed, instance, challenge) at the current or next row.
        public var query: (Query) -> V
        /// L_0, L_u and q_active (§3).
        public var firstRow: V
        public var lastRow: V
        public var active: V
        /// δ^i·X for permutation column i.
        public var identity: (Int) -> V
        /// σ_i.
        public var sigma: (Int) -> V
        /// π_j for j = 0 (that is z) … c − 1.
        public var products: (Int) -> V
        /// z(ωX).
        public var productNext: V
        /// m_g of table g, φ_s and φ_s(ωX) of running sum s (§9).
        public var multiplicity: (Int) -> V
        public var runningSum: (Int) -> V
        public var runningSumNext: (Int) -> V
        /// Ω as a value of V when it is not one constant (the prover's coset evaluations with private weights,
        /// §19.10: constant + ω̂ − ξ·M(ωX)); nil reads `Scalars.linearClaim`.
        public var linearClaimValue: V? = nil

        public init(
            query: @escaping (Query) -> V, firstRow: V, lastRow: V, active: V, identity: @escaping (Int) -> V,
            sigma: @escaping (Int) -> V, products: @escaping (Int) -> V, productNext: V,
            multiplicity: @escaping (Int) -> V, runningSum: @escaping (Int) -> V,
            runningSumNext: @escaping (Int) -> V
        ) {
            self.query = query
            self.firstRow = firstRow
            self.lastRow = lastRow
            self.active = active
            self.identity = identity
            self.sigma = sigma
            self.products = products
            self.productNext = productNext
            self.multiplicity = multiplicity
            self.runningSum = runningSum
            self.runningSumNext = runningSumNext
        }
    }

    public struct Scalars: Sendable {
        public var challenges: [Fr]
        public var theta: Fr, beta: Fr, gamma: Fr, alpha: Fr
        /// Ω of the committed linear relation (§19.6); 0 when the circuit has none (nothing reads it then).
        public var linearClaim: Fr

        public init(challenges: [Fr], theta: Fr, beta: Fr, gamma: Fr, alpha: Fr, linearClaim: Fr = .zero) {
            self.challenges = challenges
            self.theta = theta
            self.beta = beta
            self.gamma = gamma
            self.alpha = alpha
            self.linearClaim = linearClaim
        }
    }

    /// Which terms α^i·C_i to sum, by the degree of C_i (its row selector included). The verifier sums all. The
    /// prover may sum the low-degree ones on a smaller coset: every C_i vanishes on H for an honest witness, so
    /// each part is divisible by Z_H on its own and the two quotients add up to the same h (§7).
    public enum Terms: Sendable, Equatable {
        case all
        case degreeAtMost(Int)
        case degreeAbove(Int)

        @inlinable func includes(_ degree: Int) -> Bool {
            switch self {
            case .all: return true
            case .degreeAtMost(let d): return degree <= d
            case .degreeAbove(let d): return degree > d
            }
        }
    }

    /// Σ_i α^i·C_i over the terms `terms` selects (α^i keeps its index i whatever is left out). A term left out
    /// reads nothing, so a recording `Inputs` tells which columns a part needs.
    public static func evaluate<V>(
        _ circuit: VerifierCircuit, scalars s: Scalars, inputs x: Inputs<V>, algebra op: Algebra<V>,
        terms selection: Terms = .all
    ) -> V {
        var accumulator: V? = nil
        var power = Fr.one
        /// C_i weighted by its α^i (the next power each call).
        func weighted(_ c: V) -> V {
            defer { power *= s.alpha }
            return power == .one ? c : op.scale(c, power)
        }
        /// A term of degree `degree`: its α^i-weighted value, or nil (α^i still used up) when not selected.
        func selected(_ degree: Int, _ c: () -> V) -> V? {
            guard selection.includes(degree) else {
                power *= s.alpha
                return nil
            }
            return weighted(c())
        }
        func add(_ sum: inout V?, _ v: V?) {
            guard let v else { return }
            sum = sum.map { op.add($0, v) } ?? v
        }
        func term(_ degree: Int, _ c: () -> V) { add(&accumulator, selected(degree, c)) }
        func value(_ e: Expression) -> V {
            e.evaluate(
                constant: op.constant, query: x.query, challenge: { op.constant(s.challenges[$0.index]) },
                linearClaim: { x.linearClaimValue ?? op.constant(s.linearClaim) }, sum: op.add, product: op.multiply, negated: op.negate, scaled: op.scale)
        }
        let one = op.constant(.one)
        let scalarsBeta = s.beta, scalarsTheta = s.theta

        // 1. Gates: q·e for each constraint (§6), summed as q·Σ_j α^(i+j)·e_j — the same value with one product by
        // the selector per gate instead of one per constraint (on the prover's coset a product is a pass over the block).
        for gate in circuit.gates {
            var constraints: V? = nil
            for constraint in gate.constraints { add(&constraints, selected(1 + constraint.degree) { value(constraint) }) }
            if let constraints { add(&accumulator, op.multiply(x.query(Query(gate.selector.column, .current)), constraints)) }
        }

        // 2. Permutation (§8).
        let chunks = circuit.permutationChunks
        if chunks > 0 {
            term(2) { op.multiply(x.firstRow, op.subtract(x.products(0), one)) }
            term(2) { op.multiply(x.lastRow, op.subtract(x.products(0), one)) }
            let gamma = op.constant(s.gamma)
            // The chunk size walks every gate's degree: computed once, not once per chunk (a key with many
            // permuted columns and large gates would otherwise cost their product).
            let chunkSize = circuit.permutationChunkSize
            let columns = circuit.permutationColumns.count
            for j in 0..<chunks {
                let range = (j * chunkSize)..<min((j + 1) * chunkSize, columns)
                term(range.count + 2) {
                    var f: V? = nil
                    var g: V? = nil
                    for i in range {
                        let v = op.add(x.query(Query(circuit.permutationColumns[i], .current)), gamma)
                        let fi = op.add(v, op.scale(x.identity(i), s.beta))
                        let gi = op.add(v, op.scale(x.sigma(i), s.beta))
                        f = f.map { op.multiply($0, fi) } ?? fi
                        g = g.map { op.multiply($0, gi) } ?? gi
                    }
                    // Chunk j+1 of §8: π_{j+1}·g − π_j·f, the last one closing into z(ωX).
                    let left = j + 1 < chunks ? x.products(j + 1) : x.productNext
                    return op.multiply(x.active, op.subtract(op.multiply(left, g!), op.multiply(x.products(j), f!)))
                }
            }
        }

        // 3. Lookups (§9): per running sum s, L_0·φ_s and its transition q_active·(…); then per table, L_u·Σ φ_s. The
        // terms that share a row selector are summed (each with its own α^i) before one product by that selector.
        let sums = circuit.lookupSums
        let groups = circuit.lookupTableGroups
        var firstRowTerms: V? = nil, activeTerms: V? = nil, lastRowTerms: V? = nil
        for (s, sum) in sums.enumerated() {
            add(&firstRowTerms, selected(2) { x.runningSum(s) })
            // (φ(ωX) − φ(X))·Π A_i·T has the largest degree of the transition's terms; q_active adds one.
            let degree = 2 + sum.lookups.reduce(0) { $0 + circuit.lookups[$1].inputDegree } + (sum.carriesTable ? 1 : 0)
            add(&activeTerms, selected(degree) { transition(s, sum) })
        }
        /// The transition of running sum s (§9), without its q_active.
        func transition(_ s: Int, _ sum: LookupSum) -> V {
            let phi = x.runningSum(s)
            var inputs: [V] = []
            var selectors: [V] = []
            for l in sum.lookups {
                let lookup = circuit.lookups[l]
                var a = op.constant(scalarsBeta)
                var thetaPower = Fr.one
                for input in lookup.inputs {
                    a = op.add(a, op.scale(value(input), thetaPower))
                    thetaPower *= scalarsTheta
                }
                inputs.append(a)
                selectors.append(x.query(Query(lookup.selector.column, .current)))
            }
            var t: V? = nil
            var mq: V? = nil
            if sum.carriesTable {
                let lookup = circuit.lookups[sum.lookups[0]]
                var table = op.constant(scalarsBeta)
                var thetaPower = Fr.one
                for column in lookup.table {
                    table = op.add(table, op.scale(x.query(Query(column.column, .current)), thetaPower))
                    thetaPower *= scalarsTheta
                }
                t = table
                let m = x.multiplicity(sum.table)
                mq = lookup.tableSelector.map { op.multiply(m, x.query(Query($0.column, .current))) } ?? m
            }
            // (φ(ωX) − φ(X))·Π A_i·T − Σ_i q_i·T·Π_{j≠i} A_j + m·q_t·Π A_i (T and the last term only on the
            // sum that carries the table), as ((φ(ωX) − φ(X))·D − N)·T + m·q_t·D with Σ_i q_i/A_i = N/D, D = Π A_i,
            // built one lookup at a time (N ← N·A_i + q_i·D, D ← D·A_i): three products per lookup instead of a
            // product over the others for each (on the prover's coset every product is a pass over the block).
            var numerator = selectors[0], denominator = inputs[0]
            for i in inputs.indices.dropFirst() {
                numerator = op.add(op.multiply(numerator, inputs[i]), op.multiply(selectors[i], denominator))
                denominator = op.multiply(denominator, inputs[i])
            }
            var body = op.subtract(op.multiply(op.subtract(x.runningSumNext(s), phi), denominator), numerator)
            if let t { body = op.multiply(body, t) }
            if let mq { body = op.add(body, op.multiply(mq, denominator)) }
            return body
        }
        for g in groups.indices {
            add(&lastRowTerms, selected(2) {
                sums.indices.filter { sums[$0].table == g }.map { x.runningSum($0) }.reduce(nil) { t, v in t.map { op.add($0, v) } ?? v }!
            })
        }
        for (selector, terms) in [(x.firstRow, firstRowTerms), (x.active, activeTerms), (x.lastRow, lastRowTerms)] {
            if let terms { add(&accumulator, op.multiply(selector, terms)) }
        }
        return accumulator ?? op.constant(.zero)
    }

    /// The field-element algebra (the verifier's).
    public static var field: Algebra<Fr> {
        Algebra<Fr>(
        constant: { $0 }, add: { $0 + $1 }, subtract: { $0 - $1 }, multiply: { $0 * $1 }, negate: { -$0 },
        scale: { $0 * $1 })
    }
}
