import ConstraintSystem
import FieldArithmetic
import Testing

@testable import CircuitCompiler

/// What the integer-lane cheat suites share (`IntegerGadgetCheatTests` with constant operands,
/// `ComputedIntegerCheatTests` with computed ones): finding a layer's integer lane group, writing limb cells,
/// and the Mod sign cheat, which the same gate catches whether the divisor is a constant or an input.
extension ProvedModel {
    func integerLane(_ layer: String) throws -> (group: Int, gadget: IntegerGadget) {
        let g = try group(layer)
        guard case .integer(let gadget) = kind(g) else { throw CompilerError.invalidOptions("\(layer): not an integer lane") }
        return (g, gadget)
    }

    /// Writes `values` into lane `index` of group `g`, from limb cell `first` on.
    func setLimbs(_ a: inout Assignment, _ g: Int, _ index: Int, _ values: [Int64], first: Int = 0) throws {
        let lane = cells(g, index)
        for (i, v) in values.enumerated() { try a.set(lane.limbs[first + i], row: lane.row, v) }
    }

    /// Mod (fmod = 0) of layer `layer` claiming C's remainder where Python's differs (k = 0 where r ≠ 0 and the
    /// signs differ): the lane's gate must catch it and the verifier reject the proof.
    func requireModIgnoringTheDivisorsSignCaught(layer: String = "mod") throws {
        let (g, _) = try integerLane(layer)
        let index = try #require(try lanes(g) { $0[0] % $0[1] != 0 && ($0[0] % $0[1] < 0) != ($0[1] < 0) }.first)
        let inputs = try laneInputs(g, index)
        var a = try honest()
        let lane = cells(g, index)
        try a.set(lane.free[4], row: lane.row, Fr.zero)
        try copyStack(&a)
        let claimed = inputs[0] % inputs[1]
        #expect(direct(output: output(layer), element: index) != claimed)
        try claim(&a, output: output(layer), element: index, claimed)
        try requireCaught(a, expected: [gate(g, index)])
    }
}
