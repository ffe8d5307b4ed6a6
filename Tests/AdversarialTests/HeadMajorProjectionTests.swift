import ConstraintSystem
import FieldArithmetic
import TestSupport
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// An attention's output projection reads the heads' [H, T, D] output through a (head, token) transpose. Compiler 11
/// bands that group head-major (`GroupBand.heads`, docs/protocol.md §19.9), so the projection is a structured linear
/// layer like the others over tokens. Its relation must be exactly the model's equations (the structured terms' box
/// strides agree with where the head-major placement puts every element), and a wrong projection output must be
/// rejected by the real verifier.
@Suite(.serialized)
struct HeadMajorProjectionTests {
    static func headMajor(_ m: ProvedModel) -> [(conv: StructuredConvolution, heads: Int)] {
        let layout = m.compiled.layout
        return layout.structuredConvolutions.compactMap { conv in
            guard case .group(let g) = conv.input, let band = layout.bands[g], band.heads > 1 else { return nil }
            return (conv, band.heads)
        }
    }

    /// Σ ρ^i·s^j·W[i][j] of the structured relation equals the same sum over the plain equations' entries (every
    /// layer expanded per output, placed by the same layout) at random points.
    @Test(arguments: [("seq/nanogpt_block/torchscript", 1), ("seq/transformer_encoder/torchscript", 2)])
    func projectionIsStructuredAndItsRelationIsTheModelsEquations(_ name: String, _ projections: Int) throws {
        let m = try ProvedModel(shared: name)
        let found = Self.headMajor(m)
        #expect(found.count == projections, "\(name): \(found.count) head-major projections")
        #expect(found.allSatisfy { $0.heads == 4 })
        let plain = try LinearSystem(plan: m.compiled.plan, model: m.model, structured: [])
        let entries = try CompiledCircuit.entries(plan: m.compiled.plan, layout: m.compiled.layout, system: plain)
        let receivers = entries.map(\.receiver).max()! + 1, producers = entries.map(\.producer).max()! + 1
        var rng = SeededRandom(seed: 43)
        for _ in 0..<2 {
            let rho = Fr(rng.next()), s = Fr(rng.next())
            let rhoPowers = Self.powers(rho, receivers), sPowers = Self.powers(s, producers)
            var expected = Fr.zero
            for e in entries { expected += Fr(signed: e.weight) * rhoPowers[e.receiver] * sPowers[e.producer] }
            #expect(m.compiled.relation.claim(rho: rho, s: s) == expected, "\(name): structured W differs from the equations")
        }
    }

    /// The honest proof verifies; the projection's output off by one (its lane rewritten, every cell consistent with
    /// it) does not: the receiver no longer equals its row of W·x.
    @Test func wrongProjectionOutputIsRejected() throws {
        let m = try ProvedModel(shared: "seq/nanogpt_block/torchscript")
        try m.verify(try m.proveHonest())
        let projection = try #require(Self.headMajor(m).first).conv
        try m.expectOffByOneOutputRejected(projection.outputGroup, m.count(projection.outputGroup) / 2 + 5)
    }

    static func powers(_ x: Fr, _ count: Int) -> [Fr] {
        var out = [Fr](repeating: .one, count: count)
        for i in stride(from: 1, to: count, by: 1) { out[i] = out[i - 1] * x }
        return out
    }
}
