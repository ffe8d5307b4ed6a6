import ConstraintSystem
import FieldArithmetic
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier
@testable import ZKInferKit

/// Compiler 8's lane widths between the multiples of the widest gadget (`LaneColumns`): the GRU forecaster's
/// automatic layout has limb and free columns that give some kind more lanes per row than the lanes-per-row layout
/// of the same name would. Its circuit file records the width (a rebuild gives the same circuit), the honest proof
/// verifies, and a lane in a slot that only the in-between width has is as constrained as any other: a wrong limb
/// there fails the checker and the proof made without the checker is rejected by the verifier.
struct LaneWidthCheatTests {
    static let model = try! ProvedModel(shared: "seq/gru_forecaster/torchscript", options: CompileOptions(limbBits: 7))
    var m: ProvedModel { Self.model }

    /// A group and a lane of it in a slot past the lanes the multiple-of-the-widest layout gives its kind.
    func laneInAnExtraSlot() throws -> (group: Int, index: Int) {
        let layout = m.compiled.layout
        let multiple = try CircuitLayout(plan: m.compiled.plan, lanesPerRow: layout.lanesPerRow)
        for (g, group) in m.compiled.plan.groups.enumerated() where layout.bands[g] == nil && group.kind.gadget.limbCells > 0 {
            let lanes = layout.lanes(of: group.kind)
            if lanes > multiple.lanes(of: group.kind), group.count >= lanes { return (g, lanes - 1) }
        }
        throw CompilerError.invalidOptions("no lane in a slot of its own width")
    }

    @Test func theChosenWidthIsBetweenMultiplesAndRecordedInTheCircuitFile() throws {
        let layout = m.compiled.layout
        let header = try #require(m.file.header.laneColumns)
        #expect(header == LaneColumns(limbs: layout.limbColumns, free: layout.freeColumns))
        let multiple = try CircuitLayout(plan: m.compiled.plan, lanesPerRow: layout.lanesPerRow)
        #expect(multiple.limbColumns != layout.limbColumns || multiple.freeColumns != layout.freeColumns)
        let (_, rebuilt) = try m.file.rebuild()
        try m.key.requireMatches(rebuilt.circuit)
        _ = try laneInAnExtraSlot()
    }

    @Test func honestProofVerifies() throws {
        try m.expectHonestProofCarriesTheDirectOutputs()
    }

    /// The lane's first limb off by one: what fails depends on the kind (its gate, a range check, or the relation
    /// the lane's received value feeds), but something on the lane's row does, and the verifier rejects the proof.
    @Test func aWrongLimbInAnExtraSlotIsRejected() throws {
        let (g, index) = try laneInAnExtraSlot()
        let lane = m.cells(g, index)
        #expect(m.compiled.layout.placement(group: g, index: index).slot == index)
        var cheat = try m.honest()
        try cheat.set(lane.limbs[0], row: lane.row, cheat.value(lane.limbs[0], row: lane.row)! + Fr.one)
        let found = try m.failures(cheat)
        #expect(!found.isEmpty, "\(m.kind(g).name) lane \(index) on row \(lane.row)")
        #expect(throws: VerificationError.pairingCheckFailed) { try m.verify(try m.proveCheat(cheat)) }
    }
}
