import ConstraintSystem

/// Private weights (docs/protocol.md §19.10): the key's block commitments are hiding, v_com is never sent, and
/// the weights are opened by a masked Gemini proof. What the verifier needs to know is only *which advice
/// column carries the mask value*: the linear claim becomes Ω(X) = constant + ω̂ − ξ·M(ωX), so the column
/// must be opened at ωζ. Any advice column is sound there (all are committed before ξ, §19.10); setup picks
/// the one the relation's close constraint reads, whose next-row cell no constraint touches.
public struct PrivateWeights: Sendable, Equatable {
    /// Index of the advice column M.
    public let maskColumn: Int

    public init(maskColumn: Int) { self.maskColumn = maskColumn }
}

extension VerifierCircuit {
    /// True when the key's weights are private and the relation has blocks to open.
    public var hasPrivateWeights: Bool { privateWeights != nil && hasWeightOpening }

    /// Variables of the Gemini proof: ℓ, or ℓ + 1 with private weights (the blinding coefficient is the
    /// extra variable's, opened at 0: §19.10).
    public var geminiVariables: Int { weightOpeningVariables + (hasPrivateWeights ? 1 : 0) }

    /// The rules a private-weights key must meet (checked when it is made and when it is decoded): committed
    /// blocks to hide, Ω read by gates only (a lookup would need Ω row by row on the prover's side), and a
    /// mask column opened at ωζ and committed after s (so the honest prover, who needs the opening point to
    /// fill it, can).
    public func validatePrivateWeights(_ p: PrivateWeights) throws {
        guard let shape = linearRelationShape, hasWeightOpening else {
            throw KeyError.circuitMismatch("private weights need a linear relation with committed blocks")
        }
        guard p.maskColumn >= 0, p.maskColumn < adviceCount else {
            throw KeyError.circuitMismatch("mask column \(p.maskColumn) is not an advice column")
        }
        guard queriedAtNext(.advice).contains(p.maskColumn) else {
            throw KeyError.circuitMismatch("mask column \(p.maskColumn) is never read at the next row, so it is not opened at ωζ")
        }
        guard advicePhases[p.maskColumn] > challengePhases[shape.s.index] else {
            throw KeyError.circuitMismatch("mask column \(p.maskColumn) is committed before s is drawn")
        }
        guard !lookups.contains(where: { $0.inputs.contains(where: \.usesLinearClaim) }) else {
            throw KeyError.circuitMismatch("a lookup input reads Ω; private weights need Ω in gates only")
        }
        // Ω becomes a polynomial of degree 1 (it reads M(ωX)): every gate must still fit the quotient's degree.
        for gate in gates where gate.constraints.contains(where: \.usesLinearClaim) {
            let degree = 1 + (gate.constraints.map(Self.degreeWithMaskedClaim).max() ?? 0)
            guard degree <= quotientDegree else {
                throw KeyError.circuitMismatch(
                    "gate '\(gate.name)' would have degree \(degree) with private weights' Ω, above the quotient's \(quotientDegree)")
            }
        }
    }

    /// An expression's degree with Ω counted as one column (§19.10), not as a constant.
    static func degreeWithMaskedClaim(_ e: Expression) -> Int {
        switch e {
        case .constant, .challenge: return 0
        case .query, .linearClaim: return 1
        case .sum(let a, let b): return max(degreeWithMaskedClaim(a), degreeWithMaskedClaim(b))
        case .product(let a, let b): return degreeWithMaskedClaim(a) + degreeWithMaskedClaim(b)
        case .negated(let a), .scaled(let a, _): return degreeWithMaskedClaim(a)
        }
    }

    /// The mask column setup chooses: an advice column of a constraint that reads Ω (the close of T, §19.4),
    /// opened at ωζ and committed after s; nil when there is none.
    public var defaultMaskColumn: Int? {
        let atNext = Set(queriedAtNext(.advice))
        for gate in gates {
            for constraint in gate.constraints where constraint.usesLinearClaim {
                for q in constraint.queries where q.column.kind == .advice && atNext.contains(q.column.index) {
                    let p = PrivateWeights(maskColumn: q.column.index)
                    if (try? validatePrivateWeights(p)) != nil { return q.column.index }
                }
            }
        }
        return nil
    }
}
