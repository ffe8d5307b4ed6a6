import ConstraintSystem
import DirectInference
import FieldArithmetic
import Foundation
import ModelGraph
import ONNXImport
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// ReduceMax over 320 elements as the importer's tree of ≤ 16-member reductions (docs/fixed-point.md §6c,
/// wide_reduce_net from bench/vectors/make_onnx_wide_reduce.py), through the real prover and verifier. The cheat:
/// the first-level lane whose chunk holds the group's maximum claims its chunk's second largest element instead,
/// and every lane above it is rewritten consistently (each an honest maximum of what it receives), so the false
/// value reaches the output only through that one lane. Its range check on the element beyond the claim fails,
/// and the proof is rejected.
struct WideReductionCheatTests {
    static let model: ProvedModel = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DirectInferenceTests/Vectors/exponential")
        let graph = try! ONNXImporter.load(path: folder.appendingPathComponent("wide_reduce_net.onnx").path).graph
        let input = try! InputFile.load(path: folder.appendingPathComponent("wide_reduce_net.input.json").path, graph: graph)[0]
        return try! ProvedModel(graph: graph, name: "wide_reduce_net", input: try! input.quantized(for: graph, settings: .default))
    }()
    var m: ProvedModel { Self.model }

    @Test func honestProofVerifies() throws {
        #expect(try m.failures(try m.honest()).isEmpty)
        try m.verify(try m.proveHonest())
    }

    @Test func aChunkClaimingItsSecondLargestIsRejected() throws {
        // ReduceMax's levels, in plan order: 20 lanes of 16, 2 of 10, 1 of 2.
        let levels = m.compiled.plan.layers.compactMap { layer -> Int? in
            guard layer.name == "reduce_max", case .lanes(let g) = layer.role else { return nil }
            return g
        }
        try #require(levels.count == 3)
        let windows = levels.map { g -> Int in
            if case .maxPool(let gadget) = m.kind(g) { return gadget.window }
            return 0
        }
        #expect(windows == [16, 10, 2] && levels.map { m.count($0) } == [20, 2, 1])
        guard case .maxPool(let gadget) = m.kind(levels[0]) else { return }
        let top = try m.laneInputs(levels[2], 0)[0]
        let j = try #require(try m.lanes(levels[0]) { $0[0] == top }.first)
        let chunk = Array(try m.laneInputs(levels[0], j).dropFirst())
        let claimed = try #require(Set(chunk).sorted(by: >).dropFirst().first)

        var a = try m.honest()
        // Level 1, lane j: m = claimed, the bit on its first occurrence, limbs of m − x (one negative difference).
        let lane = m.cells(levels[0], j)
        let width = gadget.difference.cellCount
        var expected: [String] = []
        var chosen = false
        try a.set(lane.free[0], row: lane.row, claimed)
        for (i, x) in chunk.enumerated() {
            let pick = x == claimed && !chosen
            chosen = chosen || pick
            try a.set(lane.free[1 + i], row: lane.row, pick ? Fr.one : Fr.zero)
            let d = claimed - x
            let cells = d >= 0 ? gadget.difference.cells(of: UInt64(d)) : [d] + [Int64](repeating: 0, count: width - 1)
            for (k, v) in cells.enumerated() { try a.set(lane.limbs[i * width + k], row: lane.row, v) }
            if d < 0 { expected.append(m.rangeLookup(levels[0], j, cell: i * width)) }
        }
        #expect(expected.count == 1)
        // Levels 2 and 3 follow the claim honestly.
        var level2 = try m.laneInputs(levels[1], j / 10)
        level2[1 + j % 10] = claimed
        level2[0] = level2.dropFirst().max()!
        try m.write(&a, levels[1], j / 10, inputs: level2)
        var level3 = try m.laneInputs(levels[2], 0)
        level3[1 + j / 10] = level2[0]
        level3[0] = level3.dropFirst().max()!
        try m.write(&a, levels[2], 0, inputs: level3)
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("reduce_max"), element: 0, level3[0])
        #expect(level3[0] < top, "the false maximum reaches the output")
        try m.requireCaught(a, expected: expected)
    }
}
