import BN254
import ConstraintSystem
import FieldArithmetic
import MSM

/// The verifier of docs/protocol.md §15. `verify` checks one proof with one two-pairing product;
/// `batchVerify` (BatchVerifier.swift) checks many with one product per SRS.
public enum PlonkVerifier {
    /// Accepts (returns) or throws the reason for rejecting.
    ///
    /// - Parameter expectedPublicValues: when given, the proof's public values must equal them.
    public static func verify(key: VerifyingKey, proof file: ProofFile, expectedPublicValues: [[Fr]]? = nil) throws {
        let claim = try prepare(key: key, proof: file, expectedPublicValues: expectedPublicValues)
        guard claim.holds(key: key) else { throw VerificationError.pairingCheckFailed }
    }

    /// Test-only: verification with another round order (see `ProtocolTranscript.Order`).
    @_spi(Testing) public static func verify(key: VerifyingKey, proof file: ProofFile, order: ProtocolTranscript.Order) throws {
        let claim = try prepare(key: key, proof: file, expectedPublicValues: nil, order: order)
        guard claim.holds(key: key) else { throw VerificationError.pairingCheckFailed }
    }

    /// Steps 1–4 of §15 (shape, transcript, computed values, h(ζ)) and the terms of step 5's pairing check.
    static func prepare(
        key: VerifyingKey, proof file: ProofFile, expectedPublicValues: [[Fr]]?, order: ProtocolTranscript.Order = .protocol
    ) throws -> PairingClaim {
        let c = key.circuit
        guard file.keyFingerprint == key.fingerprint else {
            throw VerificationError.keyMismatch(
                proofKey: file.keyFingerprint.hexEncodedString, verifyingKey: key.fingerprint.hexEncodedString)
        }
        try checkShape(file.publicValues, circuit: c)
        try checkBounds(file.publicValues, circuit: c)
        if let expected = expectedPublicValues { try compare(file.publicValues, expected) }
        let proof = try Proof.decode(file.body, for: c)

        var (ch, transcript) = ProtocolTranscript.replayThroughOpenings(
            key: key, publicValues: file.publicValues, proof: proof, order: order)
        // §19.6: the linear claim Ω from the relation's terms and the proof's v_com.
        let relation = c.linearRelationShape.map { $0.evaluate(rho: ch.rho[$0.rho.index], s: ch.rho[$0.s.index]) }
        var linearClaim = (relation?.constant ?? .zero) + (proof.committedValue ?? .zero)
        // §19.10: Ω(ζ) = constant + ω̂ − ξ·M(ωζ), M the mask column (opened at ωζ: the key decoder checked).
        if let p = c.privateWeights, c.hasPrivateWeights {
            guard let slot = key.derived.adviceNextSlot[p.maskColumn] else {
                throw VerificationError.malformedProof("the key's mask column is not opened at ωζ")
            }
            linearClaim -= ch.xi * proof.evaluationsAtOmegaZeta[slot]
        }
        let zeta = ch.zeta
        var zetaN = zeta
        for _ in 0..<c.log2Rows { zetaN = zetaN.squared() }
        let vanishing = zetaN - .one
        guard !vanishing.isZero else { throw VerificationError.evaluationPointInDomain }
        let omega = key.derived.omega
        let omegaZeta = omega * zeta

        // §10: instance and challenge columns at ζ (and ωζ where read at the next row).
        let derived = key.derived
        let instanceEntries = file.publicValues.enumerated().map { index, column in
            derived.instanceRead.contains(index) ? column.enumerated().map { (row: $0.offset, value: $0.element) } : []
        }
        let challengeEntries = challengeColumnEntries(c, rho: ch.rho, publicValues: file.publicValues)
        let u = c.usableRows
        var rows = Set<Int>([0])
        for r in u..<c.rowCount { rows.insert(r) }
        for column in instanceEntries + challengeEntries { for e in column where !e.value.isZero { rows.insert(e.row) } }
        let atZeta = LagrangeEvaluation(
            rows: rows, at: zeta, vanishing: vanishing, log2Size: c.log2Rows, omega: omega, invertAlso: [vanishing])
        let instanceZeta = instanceEntries.map(atZeta.combine)
        let challengeZeta = challengeEntries.map(atZeta.combine)
        var instanceNext = [Fr](repeating: .zero, count: instanceEntries.count)
        var challengeNext = [Fr](repeating: .zero, count: challengeEntries.count)
        if !derived.instanceAtNext.isEmpty || !derived.challengeColumnsAtNext.isEmpty {
            var nextRows = Set<Int>()
            for i in derived.instanceAtNext { for e in instanceEntries[i] where !e.value.isZero { nextRows.insert(e.row) } }
            for i in derived.challengeColumnsAtNext { for e in challengeEntries[i] where !e.value.isZero { nextRows.insert(e.row) } }
            // (ωζ)^n = ζ^n, so the vanishing value is shared.
            let atNext = LagrangeEvaluation(
                rows: nextRows, at: omegaZeta, vanishing: vanishing, log2Size: c.log2Rows, omega: omega)
            for i in derived.instanceAtNext { instanceNext[i] = atNext.combine(instanceEntries[i]) }
            for i in derived.challengeColumnsAtNext { challengeNext[i] = atNext.combine(challengeEntries[i]) }
        }
        let firstRow = atZeta.basis[0]!
        let lastRow = atZeta.basis[u]!
        var active = Fr.one
        for r in u..<c.rowCount { active -= atZeta.basis[r]! }

        // §15 step 4: N(ζ) from the opened and computed values.
        let layout = derived.layout
        let ez = proof.evaluationsAtZeta
        let eo = proof.evaluationsAtOmegaZeta
        let delta = Fr.multiplicativeGenerator
        var deltaPowers = [Fr.one]
        for _ in 0..<max(0, c.permutationColumns.count - 1) { deltaPowers.append(deltaPowers.last! * delta) }
        let inputs = Numerator.Inputs<Fr>(
            query: { q in
                let i = q.column.index
                switch (q.column.kind, q.rotation) {
                case (.advice, .current): return ez[i]
                case (.advice, .next): return eo[derived.adviceNextSlot[i]!]
                case (.fixed, .current): return ez[layout.fixed + i]
                case (.fixed, .next): return eo[layout.fixedNext + derived.fixedNextSlot[i]!]
                case (.instance, .current): return instanceZeta[i]
                case (.instance, .next): return instanceNext[i]
                case (.challenge, .current): return challengeZeta[i]
                case (.challenge, .next): return challengeNext[i]
                }
            },
            firstRow: firstRow, lastRow: lastRow, active: active,
            identity: { deltaPowers[$0] * zeta },
            sigma: { ez[layout.sigma + $0] },
            products: { ez[layout.products + $0] },
            productNext: c.permutationChunks > 0 ? eo[layout.productNext] : .zero,
            multiplicity: { ez[layout.lookups + $0] },
            runningSum: { ez[layout.runningSums + $0] },
            runningSumNext: { eo[layout.runningSumNext + $0] })
        let scalars = Numerator.Scalars(
            challenges: ch.rho, theta: ch.theta, beta: ch.beta, gamma: ch.gamma, alpha: ch.alpha, linearClaim: linearClaim)
        let numerator = Numerator.evaluate(c, scalars: scalars, inputs: inputs, algebra: Numerator.field)
        let quotientAtZeta = numerator * atZeta.inverses[0]

        var claim = assembleClaim(key: key, proof: proof, challenges: ch, omegaZeta: omegaZeta, quotientAtZeta: quotientAtZeta)
        if let relation {
            try mergeWeightOpening(
                into: &claim, key: key, proof: proof, blockCoefficients: relation.blockCoefficients, challenges: &ch,
                transcript: &transcript)
        }
        return claim
    }

    static func checkShape(_ values: [[Fr]], circuit c: VerifierCircuit) throws {
        guard values.count == c.instanceCount else {
            throw VerificationError.publicValuesShape("\(values.count) instance columns, the circuit has \(c.instanceCount)")
        }
        for (i, column) in values.enumerated() where column.count != c.instanceLengths[i] {
            throw VerificationError.publicValuesShape(
                "instance column \(i) (\(c.instanceNames[i])) has \(column.count) values, the circuit needs \(c.instanceLengths[i])")
        }
    }

    /// §15 step 1: every public value inside its column's bound, before the transcript. For a bounded column
    /// this is what makes the identities over public values integer identities (§16.7).
    static func checkBounds(_ values: [[Fr]], circuit c: VerifierCircuit) throws {
        for (i, column) in values.enumerated() where c.instanceBits[i] > 0 {
            let bound = PublicValueBound(bits: c.instanceBits[i])
            for (row, v) in column.enumerated() where !bound.contains(v) {
                throw VerificationError.publicValueOutOfRange(
                    column: i, name: c.instanceNames[i], row: row, value: FieldFormatting.signed(v), bits: bound.bits)
            }
        }
    }

    static func compare(_ actual: [[Fr]], _ expected: [[Fr]]) throws {
        guard actual.count == expected.count else {
            throw VerificationError.publicValuesShape("expected \(expected.count) instance columns, the proof has \(actual.count)")
        }
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            guard a.count == e.count else {
                throw VerificationError.publicValuesShape("expected \(e.count) values in instance column \(i), the proof has \(a.count)")
            }
            for (row, (x, y)) in zip(a, e).enumerated() where x != y {
                throw VerificationError.unexpectedPublicValue(
                    column: i, row: row, expected: FieldFormatting.signed(y), actual: FieldFormatting.signed(x))
            }
        }
    }

    /// The (row, value) pairs of every challenge column, recomputed from the key's fold matrices at the
    /// drawn challenges and the public values (§11); never read from the proof.
    public static func challengeColumnEntries(_ c: VerifierCircuit, rho: [Fr], publicValues: [[Fr]]) -> [[(row: Int, value: Fr)]] {
        c.challengeSegments.map { segments in
            segments.flatMap { s in
                s.values(challenge: rho[s.challenge.index]) { column, row in publicValues[column.index][row] }
            }
        }
    }
}

/// Where each group of §13.1 starts in the proof's evaluation lists.
struct EvaluationLayout: Sendable {
    let fixed: Int, sigma: Int, products: Int, lookups: Int, runningSums: Int
    let fixedNext: Int, productNext: Int, runningSumNext: Int

    init(_ c: VerifierCircuit) {
        fixed = c.adviceCount
        sigma = fixed + c.fixedCount
        products = sigma + c.permutationColumns.count
        lookups = products + c.permutationChunks
        runningSums = lookups + c.lookupTableGroups.count
        fixedNext = c.queriedAtNext(.advice).count
        productNext = fixedNext + c.queriedAtNext(.fixed).count
        runningSumNext = productNext + (c.permutationChunks > 0 ? 1 : 0)
    }
}

extension Array where Element == UInt8 {
    var hexEncodedString: String { map { String($0, radix: 16).leftPadded(2) }.joined() }
}
