import ConstraintSystem
import DirectInference
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler

/// Every folded operation and the wiring ops in one graph: the honest witness passes, wiring costs no rows,
/// and a wrong output of any layer with lanes is caught by the fold.
struct OperationTests {
    let c: Compiled

    init() throws {
        let graph = try SyntheticModels.everyLinearOperation()
        c = try Compiled(graph, input: randomInputs(graph, seed: 5))
    }

    @Test func honestWitnessPasses() throws {
        let failures = c.check(try c.witness())
        #expect(failures.isEmpty, "\(failures.prefix(3))")
    }

    @Test func wiringCostsNoRows() throws {
        for layer in c.compiled.plan.layers where ["Transpose", "Concat", "Flatten"].contains(layer.op) {
            #expect(layer.role == .wiring)
        }
        // The standalone Relu is read twice (by Add and by Sum), so it is not fused.
        #expect(c.compiled.plan.layers.first { $0.name == "relu" }.map { if case .lanes = $0.role { true } else { false } } == true)
    }

    @Test func wrongOutputOfEveryLayerIsCaught() throws {
        let close = "clr_close@\(c.compiled.layout.closeRow)"
        for layer in c.compiled.plan.layers {
            guard case .lanes(let g) = layer.role else { continue }
            let count = c.compiled.plan.groups[g].count
            for index in Set([0, count / 2, count - 1]) {
                var inputs = try c.laneInputs(group: g, index: index)
                // For a Relu lane a change of a negative input may keep its output: move it across zero.
                inputs[0] = inputs[0] < 0 ? -inputs[0] : inputs[0] + 1
                let failures = c.check(try c.tampered(group: g, index: index, inputs: inputs))
                #expect(failures.namesAndRows == [close], "\(layer.name)[\(index)]")
            }
        }
    }
}
