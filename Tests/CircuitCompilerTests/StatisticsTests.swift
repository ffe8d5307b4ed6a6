import ConstraintSystem
import Testing

@testable import CircuitCompiler

/// Statistics from the plan alone agree with the circuit actually built; compiling twice gives the same circuit.
struct StatisticsTests {
    @Test(arguments: Repository.models + ["synthetic", "gadgets", "softmax"], [(false, 8), (false, 7)])
    func planStatisticsMatchTheBuiltCircuit(_ name: String, layout: (stacked: Bool, limbBits: Int)) throws {
        let c: Compiled
        let stacked = layout.stacked
        let options = CompileOptions(stackRangeChecks: stacked, limbBits: layout.limbBits)
        switch name {
        case "synthetic":
            c = try Compiled(try SyntheticModels.everyLinearOperation(), input: randomInputs(try SyntheticModels.everyLinearOperation(), seed: 5),
                             options: options)
        case "gadgets":
            c = try Compiled(try SyntheticModels.everyGadget(), input: randomInputs(try SyntheticModels.everyGadget(), seed: 21), options: options)
        case "softmax":
            c = try Compiled(try SyntheticModels.softmax(), input: randomInputs(try SyntheticModels.softmax(), seed: 5), options: options)
        default:
            c = try Compiled(shared: name, options: options)
        }
        #expect(c.compiled.layout.isStacked == stacked && c.compiled.plan.limbBits == layout.limbBits)
        #expect(c.compiled.layout.rangeTableRows == 1 << layout.limbBits)
        #expect(c.check(try c.witness()).isEmpty)
        let stats = ModelStatistics(compiled: c.compiled)
        let built = CircuitStatistics(c.compiled.circuit, assignment: try c.witness())
        #expect(stats.log2Rows == built.log2Rows)
        #expect(stats.rowsUsed == built.rowsUsed)
        #expect(stats.adviceColumns == built.adviceColumns)
        #expect(stats.fixedColumns == built.fixedColumns)
        #expect(stats.challengeColumns == built.challengeColumns)
        #expect(stats.instanceColumns == built.instanceColumns)
        #expect(stats.lookupArguments == built.lookups)
        #expect(stats.proofBytes == built.proof.bytes)
        // The verifier folds nothing: the weights are the committed relation's blocks (docs/protocol.md §19).
        #expect(built.foldEntries == 0 && stats.challengeColumns == 0)
        #expect(stats.equations == c.compiled.system.equationCount)
        #expect(stats.publicInputs + stats.publicOutputs == built.publicValues)
        #expect(stats.layers.reduce(0) { $0 + $1.rows } + 1 == stats.laneRows)
        // Every lane cell is assigned, plus the running sum on rows 0…R (and zero-filled unused limb cells).
        #expect(stats.layers.reduce(0) { $0 + $1.adviceCells } <= built.assignedAdviceCells!)
        // Memory per step: setup holds compile's model plus the key and the SRS; the verifier far less than the
        // prover.
        #expect(stats.memory.map(\.step) == ["compile", "setup", "prove", "verify"])
        #expect(stats.estimatedCompilePeakBytes < stats.estimatedSetupPeakBytes)
        #expect(stats.estimatedVerifierPeakBytes < stats.estimatedProverPeakBytes)
        #expect(stats.memory.allSatisfy { $0.terms.allSatisfy { $0.bytes >= 0 } })
    }

    /// The memory model's inputs, counted independently of `ModelStatistics`: the entries the relation tiles one
    /// by one (those outside structured convolutions, which compile's peak follows) are the ones the compiler
    /// hands to `RelationTiling`; the parameters and activations are the graph's. Compile's estimate is the
    /// documented formula of them (Sources/CircuitCompiler/README.md).
    @Test(arguments: ["cnn_small", "mlp_deep"])
    func memoryEstimateFollowsTheTiledEntriesParametersAndActivations(_ name: String) throws {
        // cnn_small with 7-bit limbs: 2^8 rows, where its input fits one public column and its convolution is
        // structured (the automatic 2^6 layout spreads the input over columns and tiles the convolution).
        let c = try Compiled(shared: name, options: CompileOptions(limbBits: name == "cnn_small" ? 7 : nil))
        let (plan, layout) = (c.compiled.plan, c.compiled.layout)
        let stats = ModelStatistics(plan: plan, layout: layout)
        let tiled = try CompiledCircuit.entries(plan: plan, layout: layout, system: c.compiled.system).count
        // Counted from shapes and weights, the statistics know each equation's constant and received −1 apart
        // (the relation merges a bias and a rounding offset into one entry): within 2%.
        let counted = stats.foldEntries - stats.structuredEntries
        #expect(counted >= tiled && counted - tiled <= max(16, tiled / 50), "\(counted) counted, \(tiled) tiled")
        if name == "cnn_small" { #expect(stats.structuredEntries > 0, "cnn_small's convolutions are structured") }
        let graph = plan.graph
        var parameters = 0, activations = 0
        for value in graph.values { if let t = value.constant { parameters += t.count } else { activations += value.elementCount } }
        for node in graph.nodes { parameters += node.operation.parameterCount }
        #expect(stats.parameters == parameters && stats.activations == activations)
        let n = 1 << stats.log2Rows
        #expect(stats.estimatedCompilePeakBytes
            == (17 << 20) + 32 * n * stats.fixedColumns + 140 * counted + 28 * parameters + 120 * activations)
    }

    @Test func compilingTwiceGivesTheSameCircuit() throws {
        let a = try Compiled(shared: "cnn_small").compiled.circuit
        let b = try Compiled(shared: "cnn_small").compiled.circuit
        #expect(a.fixedValues == b.fixedValues)
        #expect(a.gates == b.gates)
        #expect(a.lookups == b.lookups)
        #expect(a.challengeSegments == b.challengeSegments && a.linearRelation == b.linearRelation)
        #expect(a.adviceNames == b.adviceNames && a.instanceLengths == b.instanceLengths)
    }
}
