import ConstraintSystem
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import PlonkProver

/// `CircuitFile.rebuild(for:)`: a prover whose key names the file's model, settings and compiler takes the
/// key's committed relation instead of lowering W again. The circuit must be the one a full rebuild makes,
/// a key of another model must take the full path (and be refused), and a key whose weights are not the
/// model's must not give a proof.
struct KeyRebuildTests {
    @Test(arguments: ["mlp_tiny", "cnn_small"])
    func keyRelationRebuildIsTheFullRebuild(_ name: String) throws {
        let a = try Shared.artifacts(name)
        #expect(a.file.describes(a.key))
        let relation = try #require(a.key.linearRelation)
        let (_, fast) = try a.file.rebuild(for: a.key)
        let (_, full) = try a.file.rebuild()
        #expect(fast.relation == full.relation)
        #expect(fast.relation == relation)
        #expect(VerifierCircuit(fast.circuit) == VerifierCircuit(full.circuit))
        #expect(fast.circuit.fixedValues == full.circuit.fixedValues)
        try a.key.requireMatches(fast.circuit)
        let result = try Pipeline.prove(model: a.model, compiled: fast, key: a.key, input: a.input)
        try PlonkVerifier.verify(key: a.key.verifyingKey, proof: result.proof)
    }

    @Test func privateWeightsKeyDescribesItsModel() throws {
        let a = try Shared.artifacts("mlp_tiny")
        let key = try Pipeline.setup(a.file, compiled: a.compiled, srs: Shared.srs, privateWeightsSeed: [UInt8](repeating: 7, count: 32))
        #expect(a.file.describes(key))
        let (_, fast) = try a.file.rebuild(for: key)
        try key.requireMatches(fast.circuit)
    }

    @Test func anotherModelsKeyTakesTheFullRebuildAndIsRefused() throws {
        let tiny = try Shared.artifacts("mlp_tiny"), cnn = try Shared.artifacts("cnn_small")
        #expect(!tiny.file.describes(cnn.key))
        let (_, compiled) = try tiny.file.rebuild(for: cnn.key)
        #expect(throws: (any Error).self) { try cnn.key.requireMatches(compiled.circuit) }
        // Another setting of the same model: the hash of the settings differs.
        var settings = QuantizationSettings.default
        settings.parameterScale = 15
        let (other, otherCompiled) = try CircuitFile.compile(onnx: tiny.file.onnx, settings: settings, options: CompileOptions())
        #expect(!other.describes(tiny.key))
        let otherKey = try Pipeline.setup(other, compiled: otherCompiled, srs: Shared.srs)
        #expect(!tiny.file.describes(otherKey))
    }

    /// A key whose metadata names the model but whose weights were changed: the rebuild takes its relation,
    /// the key check cannot tell, and the prover's witness check refuses (recv ≠ W·x).
    @Test func changedKeyWeightsGiveNoProof() throws {
        let a = try Shared.artifacts("mlp_tiny")
        let relation = try #require(a.key.linearRelation)
        var blocks = relation.blocks
        let b = try #require(blocks.firstIndex { !$0.entries.isEmpty })
        var entries = blocks[b].entries
        let e = entries[0]
        entries[0] = WeightBlock.Entry(row: e.row, column: e.column, value: e.value == -1 ? 1 : e.value + 1)
        blocks[b] = try WeightBlock(rows: blocks[b].rows, columns: blocks[b].columns, entries: entries)
        let k = a.key
        let changed = ProvingKey(
            verifyingKey: k.verifyingKey, domain: k.domain, fixedValues: k.fixedValues, sigmaValues: k.sigmaValues,
            powersG1: k.powersG1, lagrangeG1: k.lagrangeG1,
            linearRelation: try LinearRelation(shape: relation.shape, blocks: blocks), weightBlinding: k.weightBlinding)
        #expect(a.file.describes(changed))
        let (_, compiled) = try a.file.rebuild(for: changed)
        #expect(compiled.relation != relation)
        #expect(throws: (any Error).self) {
            _ = try Pipeline.prove(model: a.model, compiled: compiled, key: changed, input: a.input)
        }
    }
}
