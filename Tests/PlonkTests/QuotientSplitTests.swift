import ConstraintSystem
import FieldArithmetic
import PlonkVerifier
import Testing
import TestSupport

@testable import PlonkProver

/// The prover sums the numerator's low-degree terms on the half-size coset (`Numerator.Terms`,
/// `ProverState.computeQuotient`). The two parts must partition N's terms, the low part must have the degree
/// the smaller coset can hold, and the proof must be the very one the unsplit quotient gives.
struct QuotientSplitTests {
    /// Runs N's code on degrees (each read is degree 1, constants 0): the degree of the selected terms' sum.
    static func degree(_ circuit: VerifierCircuit, _ terms: Numerator.Terms) -> Int {
        let inputs = Numerator.Inputs<Int>(
            query: { _ in 1 }, firstRow: 1, lastRow: 1, active: 1, identity: { _ in 1 }, sigma: { _ in 1 },
            products: { _ in 1 }, productNext: 1, multiplicity: { _ in 1 }, runningSum: { _ in 1 },
            runningSumNext: { _ in 1 })
        let algebra = Numerator.Algebra<Int>(
            constant: { _ in 0 }, add: max, subtract: max, multiply: { $0 + $1 }, negate: { $0 }, scale: { v, _ in v })
        return Numerator.evaluate(
            circuit, scalars: Numerator.Scalars(challenges: [Fr](repeating: .one, count: circuit.challengePhases.count),
                                                theta: .one, beta: .one, gamma: .one, alpha: .one),
            inputs: inputs, algebra: algebra, terms: terms)
    }

    static var circuits: [VerifierCircuit] {
        [Fixtures.featureKey.circuit, Fixtures.publicFoldKey.circuit, VerifierCircuit((try! CommittedFoldCircuit()).circuit)]
    }

    @Test func lowAndHighTermsPartitionTheNumerator() {
        var rng = SeededRandom(seed: 41)
        func random() -> Fr { Fr(montgomeryLimbs: rng.next(), rng.next(), rng.next(), rng.next() >> 8) }
        for circuit in Self.circuits {
            var values: [String: Fr] = [:]
            func value(_ name: String) -> Fr {
                if let v = values[name] { return v }
                let v = random()
                values[name] = v
                return v
            }
            let inputs = Numerator.Inputs<Fr>(
                query: { value("\($0)") }, firstRow: value("L0"), lastRow: value("Lu"), active: value("qa"),
                identity: { value("id\($0)") }, sigma: { value("s\($0)") }, products: { value("z\($0)") },
                productNext: value("zw"), multiplicity: { value("m\($0)") }, runningSum: { value("phi\($0)") },
                runningSumNext: { value("phiw\($0)") })
            let scalars = Numerator.Scalars(
                challenges: (0..<circuit.challengePhases.count).map { _ in random() }, theta: random(), beta: random(),
                gamma: random(), alpha: random(), linearClaim: random())
            let all = Numerator.evaluate(circuit, scalars: scalars, inputs: inputs, algebra: Numerator.field)
            for bound in 2...circuit.quotientDegree {
                let low = Numerator.evaluate(circuit, scalars: scalars, inputs: inputs, algebra: Numerator.field,
                                             terms: .degreeAtMost(bound))
                let high = Numerator.evaluate(circuit, scalars: scalars, inputs: inputs, algebra: Numerator.field,
                                              terms: .degreeAbove(bound))
                #expect(low + high == all, "bound \(bound)")
                #expect(Self.degree(circuit, .degreeAtMost(bound)) <= bound, "bound \(bound)")
            }
            #expect(Self.degree(circuit, .all) <= circuit.quotientDegree)
        }
    }

    @Test func splitQuotientGivesTheSameProof() throws {
        let f = Fixtures.feature
        let key = Fixtures.featureKey
        // The split is live here: a coset of 4n or more, and terms on both sides of the bound.
        let ratio = 1 << (key.extensionLog2Size - key.circuit.log2Rows)
        #expect(ratio >= 4)
        #expect(!NumeratorReads(key.circuit, terms: .degreeAtMost(ratio / 2 + 1)).columns.isEmpty)
        #expect(!NumeratorReads(key.circuit, terms: .degreeAbove(ratio / 2 + 1)).columns.isEmpty)
        func prove(split: Bool) throws -> ProofFile {
            ProverState.splitsQuotient = split
            defer { ProverState.splitsQuotient = true }
            return try PlonkProver.proveSeeded(key: key, circuit: f.circuit, assignment: f.assignment(), seed: 7, witness: f.phase2)
        }
        let unsplit = try prove(split: false)
        let split = try prove(split: true)
        #expect(split == unsplit)
        try PlonkVerifier.verify(key: key.verifyingKey, proof: split)
    }
}
