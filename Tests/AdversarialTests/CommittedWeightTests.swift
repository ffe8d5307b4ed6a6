import ConstraintSystem
import FieldArithmetic
import MultilinearKZG
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// The compiled models prove their linear layers through the committed relation (docs/protocol.md §19): the
/// key holds block commitments, not weights, and a prover that uses other weights than the committed ones is
/// rejected by the real verifier. These would fail if the compiler fell back to verifier-folded weights (§11).
@Suite(.serialized)
struct CommittedWeightTests {
    /// The key's size follows the number of blocks and columns, not the parameter count: every non-zero entry
    /// of the model's equations (`ModelStatistics.foldEntries`, counted from the model independently of the
    /// relation) is in a block, no challenge column carries a weight, and the key is far smaller than the
    /// 8 bytes per entry a verifier-folded key needs.
    @Test(arguments: ["mlp_tiny", "mlp_mnist"])
    func keyHoldsCommitmentsNotWeights(_ name: String) throws {
        let m = try ProvedModel(shared: name)
        let relation = try #require(m.circuit.linearRelation)
        let noSegments = m.circuit.challengeSegments.allSatisfy { $0.isEmpty }
        #expect(noSegments)
        let entries = ModelStatistics(plan: m.compiled.plan, layout: m.compiled.layout).foldEntries
        let committed = relation.blocks.reduce(0) { $0 + $1.entries.count }
        // Links (output ties, copies) may be public c·diag terms instead (compiler 6): entries they cover.
        let links = relation.shape.terms.reduce(0) { total, term in
            guard case .diagonal(let size, _) = term.kernel else { return total }
            return total + size * term.box.reduce(1) { $0 * $1.extent }
        }
        #expect(committed + links >= entries - m.compiled.plan.groups.reduce(0) { $0 + $1.count }, "the weights are in the blocks")
        let blocks = relation.blocks.count
        let columns = m.circuit.adviceNames.count + m.circuit.fixedNames.count
        // Per block: its commitment (32), its shape (8) and its term (≤ 45 bytes without box dimensions); per
        // column: a commitment or a name; gates and metadata a few KiB.
        let bound = 8192 + 64 * columns + (32 + 8 + 64) * blocks
        let bytes = m.vk.encoded.count
        #expect(bytes <= bound, "\(name): key \(bytes) bytes, \(blocks) blocks")
        #expect(bytes < 8 * entries || entries < 2048, "\(name): key \(bytes) bytes for \(entries) entries")
    }

    /// Compiler 12 (§19.9): a relation with few entries on a tall circuit (embedding_mean_text: 868 entries, 2^12
    /// rows for its 2048-row table) opens its blocks over ℓ < log₂ n variables. Its honest proof verifies with
    /// ℓ − 1 folds, and a prover claiming another v_com is still caught by that shorter opening.
    @Test func aSmallerOpeningThanTheCircuitStillBindsTheWeights() throws {
        let m = try ProvedModel(shared: "zoo/embedding_mean_text/torchscript")
        let shape = try #require(m.circuit.linearRelationShape)
        #expect(shape.openingVariables < m.compiled.layout.log2Rows, "ℓ = \(shape.openingVariables), 2^\(m.compiled.layout.log2Rows) rows")
        try m.expectHonestProofCarriesTheDirectOutputs()
        let proof = try Proof.decode(try m.proveHonest().body, for: m.vk.circuit)
        #expect(proof.weightOpening?.folds.count == shape.openingVariables - 1)
        let cheat = try PlonkProver.proveClaimingCommittedValue(
            { $0 + .one }, key: m.key, circuit: m.circuit, assignment: try m.honest(), witness: m.phase2)
        #expect(throws: VerificationError.weightOpeningFailed(Gemini.Failure.valueMismatch.description)) { try m.verify(cheat) }
    }

    /// A prover that changes one weight of the output layer — W' = W + 2^k·e_(i,j) — and claims the output that
    /// W' gives: its fold vector u' = ρᵀW' makes every receiver close (S), but Σ s^j·u'_j is not the key's Ω
    /// (T), so the checker names the relation's close and the real verifier rejects the proof.
    @Test func oneChangedWeightIsRejected() throws {
        let m = try ProvedModel(shared: "mlp_tiny")
        let compiled = m.compiled
        let out = 0
        let outputID = m.graph.outputs[out]
        // The lane group whose lanes are the output (the last layer with lanes).
        let g = try #require(compiled.plan.groups.indices.last { g in
            compiled.system.elements[outputID].first == .lane(group: g, index: 0)
        })
        guard case .rescale(let gadget) = m.kind(g) else { Issue.record("output is not a rescale lane"); return }
        let layer = compiled.plan.layers[compiled.plan.groups[g].layer]
        let node = m.graph.nodes[try #require(layer.nodeIndex)]
        let inputID = node.inputs[0]
        let x = m.trace.values[inputID]
        let position = try #require(x.indices.filter { x[$0] != 0 }.min { abs(x[$0]) < abs(x[$1]) })
        let index = RelationIndexing(plan: compiled.plan, layout: compiled.layout)
        let producer: Int
        switch compiled.system.elements[inputID][position] {
        case .lane(let group, let lane, let value): producer = index.producer(group: group, index: lane, value: value)
        case .publicValue(let k): producer = index.publicProducer(k)
        case .constant: Issue.record("constant input"); return
        }
        let receiver = index.receiver(group: g, index: 0, port: 0)
        // q' = q + x_j: the received 2^k·q + r grows by 2^k·x_j, what W' = W + 2^k·e_(i,j) gives.
        var inputs = try m.laneInputs(g, 0)
        inputs[0] += x[position]
        var a = try m.honest()
        try m.write(&a, g, 0, inputs: inputs)
        try m.claim(&a, output: out, element: 0, m.direct(output: out, element: 0) + x[position])
        try compiled.fillLinks(&a)
        let shift = Fr(UInt64(1) << UInt64(gadget.shift))
        let cheat: (Int, inout Assignment) throws -> Void = { phase, w in
            if phase == compiled.relationLayout.foldPhase, let rho = w.challenges[compiled.rho.index] {
                var u = compiled.relation.foldVector(rho: rho)
                u[producer] += shift * rho.power(UInt64(receiver))
                try compiled.relationLayout.assign(phase: phase, &w, circuit: compiled.circuit, foldVector: u)
            } else {
                try compiled.assignPhase(phase, &w)
            }
        }
        // The checker at fixed challenges: only T's close fails.
        var checked = a
        try checked.setChallenge(compiled.rho, ProvedModel.checkerRho)
        try cheat(compiled.relationLayout.foldPhase, &checked)
        try checked.setChallenge(compiled.s, Fr(0xabcdef))
        try cheat(compiled.relationLayout.closingPhase, &checked)
        let failures = Set(ConstraintChecker.check(compiled.circuit, checked).compactMap { f in f.constraintName.map { "\($0)@\(f.row!)" } })
        #expect(failures == [m.close])
        // Honest u with the cheating lanes: S fails instead (the receivers no longer match W).
        var honestFold = a
        try compiled.assignSum(&honestFold, rho: ProvedModel.checkerRho)
        #expect(!ConstraintChecker.check(compiled.circuit, honestFold).isEmpty)
        // The real prover (its checker skipped) and verifier.
        let proof = try PlonkProver.proveUnchecked(key: m.key, circuit: compiled.circuit, assignment: a, witness: cheat)
        #expect(throws: VerificationError.pairingCheckFailed) { try m.verify(proof) }
        // The honest proof of the same model verifies.
        try m.verify(try m.proveHonest())
    }
}
