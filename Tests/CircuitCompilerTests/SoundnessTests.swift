import ConstraintSystem
import DirectInference
import FieldArithmetic
import Quantization
import Testing

@testable import CircuitCompiler

/// Each gadget with an honest witness and with cheating ones: the checker must name the gate or lookup and
/// the row that catches the cheat (and nothing else, so the test knows *why* it is caught).
struct SoundnessTests {
    let c: Compiled

    init() throws {
        let graph = try SyntheticModels.mlp()
        c = try Compiled(graph, input: randomInputs(graph, seed: 1), options: .columnRangeChecks)
    }

    var closeRow: String { "clr_close@\(c.compiled.layout.closeRow)" }

    /// Lanes of `layer` whose quotient satisfies `predicate`.
    func lanes(_ layer: String, where predicate: (Int64) -> Bool) throws -> [Int] {
        let g = c.group(layer)
        return try (0..<c.compiled.plan.groups[g].count).filter { predicate(try c.laneInputs(group: g, index: $0)[0]) }
    }

    @Test func honestWitnessPasses() throws {
        #expect(c.check(try c.witness()).isEmpty)

        // The fixture has positive and negative pre-activations in both hidden layers.
        #expect(try !lanes("fc1", where: { $0 > 0 }).isEmpty && !lanes("fc1", where: { $0 < -1 }).isEmpty)
        #expect(try !lanes("fc2", where: { $0 > 0 }).isEmpty && !lanes("fc2", where: { $0 < -1 }).isEmpty)
    }

    @Test func oneWrongOutputEntryOfEachLinearLayerIsCaught() throws {
        for layer in ["fc1", "fc2", "fc3"] {
            let g = c.group(layer)
            for index in 0..<c.compiled.plan.groups[g].count {
                var inputs = try c.laneInputs(group: g, index: index)
                inputs[0] += 1  // a well-formed lane (limbs in range) that claims the wrong output
                let failures = c.check(try c.tampered(group: g, index: index, inputs: inputs))
                #expect(failures.namesAndRows == [closeRow], "\(layer)[\(index)]")
            }
        }
    }

    /// −1 on an output of fc1 and +1 on the same output index of fc2, both on negative pre-activations so the
    /// ReLU outputs (and everything downstream) stay the same: in a fold that weighted both layers' outputs by
    /// the same powers of ρ the two errors would cancel. Here the equations have distinct powers.
    @Test func oppositeErrorsInTwoLayersDoNotCancel() throws {
        let candidates = Set(try lanes("fc1", where: { $0 <= -2 })).intersection(try lanes("fc2", where: { $0 <= -2 }))
        let index = try #require(candidates.min())
        let g1 = c.group("fc1"), g2 = c.group("fc2")
        var a = try c.compiled.assignment(trace: c.trace)
        for (g, delta) in [(g1, Int64(-1)), (g2, Int64(1))] {
            var inputs = try c.laneInputs(group: g, index: index)
            inputs[0] += delta
            let cells = c.compiled.cells(group: g, index: index)
            let (limbs, free) = try c.compiled.plan.groups[g].kind.gadget.witness(inputs)
            for (cell, v) in zip(cells.limbs, limbs) { try a.set(cell, row: cells.row, v) }
            for (cell, v) in zip(cells.free, free) { try a.set(cell, row: cells.row, v) }
        }
        try c.compiled.assignSum(&a, rho: Fr(0x5eed))
        #expect(c.check(a).namesAndRows == [closeRow])
        // Why: the two received equations carry different powers of ρ.
        let powers = c.compiled.system.receivers.enumerated().compactMap { p, r in
            r.flatMap { ($0.group == g1 || $0.group == g2) && $0.index == index ? p : nil }
        }
        #expect(powers.count == 2 && powers[0] != powers[1])
    }

    @Test func wrongRoundingIsCaught() throws {
        let g = c.group("fc1")
        var inputs = try c.laneInputs(group: g, index: 0)
        // r off by one (still in range): the rescale identity no longer holds.
        inputs[1] = inputs[1] == 0 ? 1 : inputs[1] - 1
        #expect(c.check(try c.tampered(group: g, index: 0, inputs: inputs)).namesAndRows == [closeRow])
    }

    @Test func remainderOutOfRangeIsCaughtByItsLimbLookup() throws {
        // Same accumulator, quotient one lower and remainder 2^16 higher: only the remainder's top limb (256 + …)
        // is out of range.
        // A lane with a negative pre-activation, so the ReLU output (0) and everything downstream is unchanged.
        let g = c.group("fc1")
        let index = try #require(try lanes("fc1", where: { $0 < 0 }).first)
        var inputs = try c.laneInputs(group: g, index: index)
        let row = c.compiled.cells(group: g, index: index).row
        inputs[0] -= 1
        let a = try c.tampered(group: g, index: index, inputs: try c.laneInputs(group: g, index: index)) { a, cells in
            let (limbs, free) = try c.compiled.plan.groups[g].kind.gadget.witness([inputs[0], 0])
            for (cell, v) in zip(cells.limbs[2...], limbs[2...]) { try a.set(cell, row: cells.row, v) }
            for (cell, v) in zip(cells.free, free) { try a.set(cell, row: cells.row, v) }
            let r = try c.laneInputs(group: g, index: index)[1] + (1 << 16)
            try a.set(cells.limbs[0], row: cells.row, r & 0xff)
            try a.set(cells.limbs[1], row: cells.row, r >> 8)
        }
        #expect(c.check(a).namesAndRows == ["range8.1@\(row)"])
    }

    @Test func quotientOutOfRangeIsCaughtByItsLimbLookup() throws {
        // An output-layer (identity) lane with q + 2^32 and r − 2^48: same accumulator, limbs out of range (the
        // claimed output q + 2^32 also differs from the public one, which the fold's output equation catches).
        let g = c.group("fc3")
        let row = c.compiled.cells(group: g, index: 0).row
        let honest = try c.laneInputs(group: g, index: 0)
        let a = try c.tampered(group: g, index: 0, inputs: honest) { a, cells in
            let w3 = a.value(cells.limbs[5], row: cells.row)!
            try a.set(cells.limbs[5], row: cells.row, w3 + Fr(256))
            let r1 = a.value(cells.limbs[1], row: cells.row)!
            try a.set(cells.limbs[1], row: cells.row, r1 - Fr(UInt64(1) << 40))
        }
        #expect(c.check(a).namesAndRows == ["range8.1@\(row)", "range8.5@\(row)", closeRow].sorted())
    }

    @Test func negativeValueThroughReluIsCaught() throws {
        let g = c.group("fc1")
        let index = try #require(try lanes("fc1", where: { $0 < 0 }).first)
        let honest = try c.laneInputs(group: g, index: index)
        let row = c.compiled.cells(group: g, index: index).row
        // Claim s = 1 with magnitude v = q < 0 (so the lane still receives 2^16·q + r, but outputs q):
        // the low magnitude limb would have to hold a negative number. (The next layer, computed from the
        // honest 0, disagrees too, hence the close.)
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            try a.set(cells.free[0], row: cells.row, Fr.one)
            try a.set(cells.limbs[2], row: cells.row, Fr(signed: honest[0]))
            for l in 3...6 { try a.set(cells.limbs[l], row: cells.row, Fr.zero) }
        }
        #expect(c.check(a).namesAndRows == ["range8.2@\(row)", closeRow].sorted())
    }

    @Test func nonBooleanSignIsCaught() throws {
        let g = c.group("fc2")
        let index = try #require(try lanes("fc2", where: { $0 > 0 }).first)
        let row = c.compiled.cells(group: g, index: index).row
        let a = try c.tampered(group: g, index: index, inputs: try c.laneInputs(group: g, index: index)) { a, cells in
            try a.set(cells.free[0], row: cells.row, Fr(2))
        }
        let failures = c.check(a).namesAndRows
        #expect(failures.contains("rescale16-relu@\(row)"))
    }

    @Test func changedPublicValuesAreCaught() throws {
        let honest = try c.witness()
        let column = c.compiled.publicValues[0]
        for row in [0, c.compiled.plan.publicInputCount] {  // an input, then the first output
            var a = try c.compiled.assignment(trace: c.trace)
            try a.set(column, row: row, honest.value(column, row: row)! + Fr.one)
            try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
            #expect(c.check(a).namesAndRows == [closeRow])
        }
    }

    /// A remainder of k = 13 bits (parameter scale 13): the top limb has 5 bits, and a remainder of 2^13 + r
    /// passes an 8-bit check of that limb but not the helper's.
    @Test func partialRemainderLimbIsExact() throws {
        let graph = try SyntheticModels.mlp()
        var settings = QuantizationSettings.default
        settings.parameterScale = 13
        let c13 = try Compiled(graph, input: randomInputs(graph, seed: 2), settings: settings, options: .columnRangeChecks)
        #expect(c13.check(try c13.witness()).isEmpty)
        let g = c13.group("fc1")
        let index = try #require(try (0..<c13.compiled.plan.groups[g].count).first { try c13.laneInputs(group: g, index: $0)[0] < 0 })
        let honest = try c13.laneInputs(group: g, index: index)
        let row = c13.compiled.cells(group: g, index: index).row
        // r limbs: r0 (8 bits), partial (5 bits), helper = 8·partial; then the magnitude limbs. The lane's
        // pre-activation is negative, so its ReLU output stays 0.
        let a = try c13.tampered(group: g, index: index, inputs: [honest[0] - 1, 0]) { a, cells in
            let r = honest[1] + (1 << 13)
            try a.set(cells.limbs[0], row: cells.row, r & 0xff)
            try a.set(cells.limbs[1], row: cells.row, r >> 8)
            try a.set(cells.limbs[2], row: cells.row, (r >> 8) << 3)
        }
        #expect(c13.check(a).namesAndRows == ["range8.2@\(row)"])
    }

    @Test func privateInputIsRangeCheckedAndBound() throws {
        let graph = try SyntheticModels.mlp()
        let p = try Compiled(graph, input: randomInputs(graph, seed: 3), options: CompileOptions(publicInput: false, stackRangeChecks: false, limbBits: 8))
        #expect(p.compiled.plan.publicInputCount == 0)
        #expect(p.check(try p.witness()).isEmpty)
        let g = p.group("x")
        // Another (in-range) input: the fold catches it, since every layer's output was computed from the first.
        var inputs = try p.laneInputs(group: g, index: 0)
        inputs[0] += 1
        #expect(p.check(try p.tampered(group: g, index: 0, inputs: inputs)).namesAndRows == ["clr_close@\(p.compiled.layout.closeRow)"])
        // An out-of-range input: its top limb exceeds 255.
        let row = p.compiled.cells(group: g, index: 0).row
        let a = try p.tampered(group: g, index: 0, inputs: try p.laneInputs(group: g, index: 0)) { a, cells in
            try a.set(cells.limbs[3], row: cells.row, a.value(cells.limbs[3], row: cells.row)! + Fr(256))
        }
        #expect(p.check(a).namesAndRows.contains("range8.3@\(row)"))
    }
}
