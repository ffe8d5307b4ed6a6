import ConstraintSystem
import FieldArithmetic
import ModelGraph
import TestSupport
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// Convolutions as structured terms (docs/protocol.md §19.9): one committed block per (tap, channel tile) and a
/// term per run of output rows, over channel-last bands. The relation must be exactly the model's equations
/// (compared with the per-(output, tap) entries the compiler emits without the structured form), proofs go
/// through the real prover and verifier, and a wrong convolution output or a key with another tap commitment
/// is rejected.
@Suite(.serialized)
struct StructuredConvolutionTests {
    /// Σ ρ^i·s^j·W[i][j] of the structured relation equals the same sum over the entries of the plain
    /// equations (every convolution expanded per output and tap, as `LinearSystem` emits it when nothing is
    /// structured) at random points: the same W. Plain 3×3 convolutions with a residual (resnet_small), grouped
    /// and depthwise ones with strides (mobilenet_block), 1-D convolutions with dilation (conv1d_forecaster).
    /// ConvTranspose (the autoencoder's decoder, 4×4 kernels, stride 2, pad 1) in scatter form: its terms too.
    @Test(arguments: ["zoo/resnet_small/torchscript", "zoo/mobilenet_block/torchscript", "zoo/conv1d_forecaster/torchscript", "cnn_small",
                      "zoo/autoencoder/torchscript"])
    func structuredRelationIsTheModelsEquations(_ name: String) throws {
        try structuredRelationIsTheModelsEquations(try ProvedModel(shared: name, options: Self.options(name)), name)
    }

    /// The same at lane counts the automatic choice does not take: more bands than the extents divide (holes in the
    /// last band row), strided, dilated and transposed convolutions read across the round-robin bands.
    @Test(arguments: [("zoo/resnet_small/torchscript", 3), ("zoo/mobilenet_block/torchscript", 5), ("zoo/conv1d_forecaster/torchscript", 3),
                      ("cnn_small", 3), ("zoo/autoencoder/torchscript", 3)])
    func structuredRelationIsTheModelsEquationsAtOtherLanes(_ name: String, _ lanes: Int) throws {
        var options = Self.options(name)
        options.lanesPerRow = lanes
        try structuredRelationIsTheModelsEquations(try ProvedModel(shared: name, options: options), name)
    }

    /// cnn_small with 7-bit limbs (2^8 rows): its 784 inputs then fit one public column, which a structured
    /// convolution over public values needs; the automatic 2^6-row layout tiles that convolution instead.
    static func options(_ name: String) -> CompileOptions { CompileOptions(limbBits: name == "cnn_small" ? 7 : nil) }

    func structuredRelationIsTheModelsEquations(_ m: ProvedModel, _ name: String) throws {
        let compiled = m.compiled
        #expect(!compiled.layout.structuredConvolutions.isEmpty, "\(name): no convolution is structured")
        let relation = compiled.relation
        #expect(relation.shape.terms.contains { $0.box.count >= 2 }, "\(name): no term with a box")
        let plain = try LinearSystem(plan: compiled.plan, model: m.model, structured: [])
        let entries = try CompiledCircuit.entries(plan: compiled.plan, layout: compiled.layout, system: plain)
        let convEntries = entries.count
        var rng = SeededRandom(seed: 41)
        for _ in 0..<2 {
            let rho = Fr(rng.next()), s = Fr(rng.next())
            var expected = Fr.zero
            for e in entries { expected += Fr(signed: e.weight) * rho.power(UInt64(e.receiver)) * s.power(UInt64(e.producer)) }
            #expect(relation.claim(rho: rho, s: s) == expected, "\(name): structured W differs from the equations")
        }
        // The committed weights hold each weight once, far fewer than the entries per (output, tap).
        let committed = relation.blocks.reduce(0) { $0 + $1.entries.count }
        #expect(committed < convEntries, "\(name): \(committed) committed weights for \(convEntries) entries")
    }

    /// An honest proof of a model whose convolutions are structured verifies; the same model with one
    /// convolution output off by one (its lane rewritten, every cell consistent with it) does not: the
    /// receiver no longer equals its row of W·x.
    @Test func wrongConvolutionOutputIsRejected() throws {
        let m = try ProvedModel(shared: "zoo/resnet_small/torchscript")
        try m.verify(try m.proveHonest())
        let conv = try #require(m.compiled.layout.structuredConvolutions.first { conv in
            if case .group = conv.input { return true }
            return false
        })
        try m.expectOffByOneOutputRejected(conv.outputGroup, m.count(conv.outputGroup) / 2 + 3)
    }

    /// A key whose commitment to one convolution tap is replaced by another tap's: an honest prover (the true
    /// weights) under that key is rejected by the weight opening, and the key's fingerprint differs from the
    /// one `zkinfer verify-key` rebuilds.
    @Test func tamperedTapCommitmentIsRejected() throws {
        let m = try ProvedModel(shared: "cnn_small")
        let vk = m.vk
        let shape = try #require(vk.circuit.linearRelationShape)
        let boxed = Set(shape.terms.compactMap { term -> Int? in
            guard case .block(let b) = term.kernel, term.box.count >= 2 else { return nil }
            return b
        }).sorted()
        try #require(boxed.count >= 2)
        let (first, second) = (boxed[0], boxed[1])
        #expect(vk.blockCommitments[first] != vk.blockCommitments[second])
        var commitments = vk.blockCommitments
        commitments.swapAt(first, second)
        let tampered = try VerifyingKey(
            circuit: vk.circuit, fixedCommitments: vk.fixedCommitments, permutationCommitments: vk.permutationCommitments,
            srs: vk.srs, metadata: vk.metadata, blockCommitments: commitments)
        #expect(tampered.fingerprint != vk.fingerprint)
        let key = m.key
        let cheatingKey = ProvingKey(
            verifyingKey: tampered, domain: key.domain, fixedValues: key.fixedValues, sigmaValues: key.sigmaValues,
            powersG1: key.powersG1, lagrangeG1: key.lagrangeG1, linearRelation: key.linearRelation)
        let proof = try PlonkProver.prove(key: cheatingKey, circuit: m.circuit, assignment: try m.honest(), witness: m.phase2)
        #expect(throws: VerificationError.self) {
            try PlonkVerifier.verify(key: try VerifyingKey.decode(tampered.encoded), proof: try ProofFile.decode(proof.encoded))
        }
        // The untampered key accepts the honest proof of the same witness.
        try m.verify(try m.proveHonest())
    }
    /// The autoencoder's two ConvTranspose layers are structured (scatter-form terms, no per-(output, tap)
    /// entries); its honest proof verifies (ZooEndToEndTests checks its output is `zkinfer run`'s and within the
    /// bound of onnxruntime's); a ConvTranspose output off by one (its lane rewritten, every cell consistent with
    /// it) is rejected by the real verifier.
    @Test func convTransposeIsStructuredAndAWrongOutputIsRejected() throws {
        let m = try ProvedModel(shared: "zoo/autoencoder/torchscript")
        let transposed = m.compiled.layout.structuredConvolutions.filter { conv in
            if case .convolution(.transposed) = m.graph.nodes[conv.node].operation { return true }
            return false
        }
        #expect(transposed.count == 2, "both ConvTranspose layers structured")
        try m.verify(try m.proveHonest())
        for conv in transposed { try m.expectOffByOneOutputRejected(conv.outputGroup, m.count(conv.outputGroup) / 2 + 1) }
    }
    /// Rows of A are dealt round robin over the bands (`GroupBand`), so a convolution whose extents do not follow
    /// its stride — an unpadded 5×5 convolution reading a lane group (LeNet-5's second one, 12 → 8 rows here) — is
    /// structured at any lanes per row: with one lane (one band), with 3 and 5 (8 and 12 rows are not multiples of
    /// 5, 8 is not of 3: the last band row has holes, padding lanes the terms must skip). Its relation is exactly
    /// its per-(output, tap) equations, the proof verifies, and a wrong output is rejected.
    @Test(arguments: [1, 3, 5])
    func unpaddedConvolutionIsStructuredAtAnyLanesPerRow(_ lanes: Int) throws {
        var rng = SeededRandomReals(seed: 17)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 1, 12, 12])
        func conv(_ name: String, _ input: ValueID, _ cin: Int, _ cout: Int, pad: Int) throws -> ValueID {
            let op = try Convolution(weight: rng.tensor([cout, cin, 5, 5], scale: 0.3), bias: rng.tensor([cout], scale: 0.2),
                                     strides: [1, 1], pads: [pad, pad, pad, pad], dilations: [1, 1])
            let c = try b.addNode(name: name, sourceOp: "Conv", operation: .convolution(.conv(op)), inputs: [input], outputName: "\(name).out")
            return try b.addNode(name: "\(name).relu", sourceOp: "Relu", operation: .relu, inputs: [c], outputName: "\(name).relu.out")
        }
        let first = try conv("conv1", x, 1, 3, pad: 2)
        let second = try conv("conv2", first, 3, 4, pad: 0)
        try b.markOutput(second, name: "y")
        let m = try ProvedModel(graph: try b.build(), name: "unpadded_conv", input: [rng.inputs(144, scale: 16)],
                                options: CompileOptions(lanesPerRow: lanes))
        let compiled = m.compiled
        #expect(compiled.layout.lanesPerRow == lanes)
        #expect(compiled.layout.bands.compactMap { $0?.bands }.max() ?? 0 > 1 || lanes == 1, "several bands")
        let structured = Set(compiled.layout.structuredConvolutions.map { m.graph.nodes[$0.node].name })
        #expect(structured == ["conv1", "conv2"], "\(structured)")
        let plain = try LinearSystem(plan: compiled.plan, model: m.model, structured: [])
        let entries = try CompiledCircuit.entries(plan: compiled.plan, layout: compiled.layout, system: plain)
        var random = SeededRandom(seed: 43)
        let rho = Fr(random.next()), s = Fr(random.next())
        var expected = Fr.zero
        for e in entries { expected += Fr(signed: e.weight) * rho.power(UInt64(e.receiver)) * s.power(UInt64(e.producer)) }
        #expect(compiled.relation.claim(rho: rho, s: s) == expected, "structured W differs from the equations")
        try m.verify(try m.proveHonest())
        let conv2 = try #require(compiled.layout.structuredConvolutions.first { m.graph.nodes[$0.node].name == "conv2" })
        try m.expectOffByOneOutputRejected(conv2.outputGroup, 5)
    }
}
