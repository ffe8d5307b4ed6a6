import Testing
import DirectInference
import ModelGraph
import Quantization

/// Per-operation integer semantics of docs/fixed-point.md, on hand-computed cases.
struct IntegerSemanticsTests {
    let small = QuantizationSettings(activationScale: 2, parameterScale: 2, activationBits: 8, tableScale: 2, tableBits: 6)

    func run(_ graph: ModelGraph, _ inputs: [[Int64]], settings: QuantizationSettings) throws -> (out: [Int64], trace: IntegerTrace) {
        let trace = try IntegerInterpreter(try QuantizedModel(graph, settings: settings)).run(quantizedInputs: inputs, trace: true)
        return (trace.values[graph.outputs[0]], trace)
    }

    @Test func linearRescaleRoundsHalfUpOnNegativesAndRecordsTheWitness() throws {
        // s = w = 2. W = [0.75] → 3, b = 0. x (integers) → acc = 3x at scale 4 → q = ⌊(3x + 2)/4⌋.
        let linear = try Linear(weight: Tensor(shape: [1, 1], values: [0.75]), bias: nil)
        let graph = try singleNodeGraph(.linear(linear), inputs: [[1, 1]])
        let cases: [(Int64, Int64, Int64)] = [(-2, -1, 0), (2, 2, 0), (-1, -1, 3), (1, 1, 1), (-6, -4, 0), (-3, -2, 1)]
        for (x, q, r) in cases {
            let (out, trace) = try run(graph, [[x]], settings: small)
            #expect(out == [q], "x = \(x)")
            let layer = trace.layers[0]
            #expect(layer.accumulator == [3 * x] && layer.shift == 2 && layer.quotient == [q] && layer.remainder == [r])
            #expect(layer.accumulator[0] + 2 == layer.quotient[0] * 4 + layer.remainder[0])
        }
    }

    @Test func biasIsAddedAtTheAccumulatorScale() throws {
        // b = 0.3 at scale 2^4 → 5 (4.8 rounds up); x = 1 (0.25) · W 1.0 (4) = 4; acc = 9 → ⌊11/4⌋ = 2.
        let linear = try Linear(weight: Tensor(shape: [1, 1], values: [1.0]), bias: Tensor(shape: [1], values: [0.3]))
        let (out, trace) = try run(try singleNodeGraph(.linear(linear), inputs: [[1, 1]]), [[1]], settings: small)
        #expect(trace.layers[0].accumulator == [9] && out == [2])
    }

    @Test func boundEdgesAreInclusiveBelowExclusiveAbove() throws {
        // B = 8: activations in [−128, 128).
        let graph = try singleNodeGraph(.add, inputs: [[1, 1], [1, 1]])
        #expect(try run(graph, [[100], [27]], settings: small).out == [127])
        #expect(try run(graph, [[-100], [-28]], settings: small).out == [-128])
        do {
            _ = try run(graph, [[100], [28]], settings: small)
            Issue.record("128 must be out of range")
        } catch let error as QuantizationError {
            #expect(error.description.contains("value out of range at layer 'node' (Add)"))
            #expect(error.description.contains("lower the scale or raise the bound"))
        }
        // Inputs are checked too.
        #expect(throws: QuantizationError.self) { try run(graph, [[128], [0]], settings: small) }
    }

    @Test func wideSumsOfLargeConstantsAreOutOfRangeNotAnOverflowTrap() throws {
        // Five constants of 2^61.5 at s = 2 each fit 62 bits; their sum does not fit 64 (it used to trap).
        let huge = try Tensor(shape: [1], values: [0x1.6p59])
        let graph = try singleNodeGraph(.sum, inputs: [[1]], constants: [huge, huge, huge, huge, huge])
        #expect(throws: QuantizationError.self) { try run(graph, [[1]], settings: small) }
        let three = try singleNodeGraph(.sum, inputs: [[1]], constants: [try Tensor(shape: [1], values: [1.5]), try Tensor(shape: [1], values: [-0.25])])
        #expect(try run(three, [[3]], settings: small).out == [8])  // 3 + 6 − 1
    }

    @Test func reluClipAndLeakyRelu() throws {
        #expect(try run(try singleNodeGraph(.relu, inputs: [[1, 3]]), [[-5, 0, 7]], settings: small).out == [0, 0, 7])
        // Clip bounds quantized at scale 2^2: −0.3 → −1 (−1.2), 0.4 → 2 (1.6).
        let clip = try singleNodeGraph(.clip(lower: -0.3, upper: 0.4), inputs: [[1, 4]])
        #expect(try run(clip, [[-9, -1, 1, 9]], settings: small).out == [-1, -1, 1, 2])
        // α = 0.1 at 2^2 → 0 (0.4 rounds down); use w = 4: α → 2 (1.6). x = −7: ⌊(−14 + 8)/16⌋ = −1.
        let settings = QuantizationSettings(activationScale: 2, parameterScale: 4, activationBits: 8)
        let (out, trace) = try run(try singleNodeGraph(.leakyRelu(alpha: 0.1), inputs: [[1, 2]]), [[-7, 5]], settings: settings)
        #expect(out == [-1, 5])
        #expect(trace.layers[0].accumulator == [-14, 10] && trace.layers[0].remainder == [10, 2])
    }

    @Test func mulAndDivByConstantsAndByActivations() throws {
        // Mul by 1.5 (w = 2 → 6): x = −3 → acc −18 → ⌊−16/4⌋ = −4.
        let mul = try singleNodeGraph(.mul, inputs: [[1, 1]], constants: [Tensor(scalar: 1.5)])
        #expect(try run(mul, [[-3]], settings: small).out == [-4])
        // Div by 4 = Mul by Q_2(0.25) = 1: x = 6 → acc 6 → ⌊8/4⌋ = 2; x = −6 → ⌊−4/4⌋ = −1 (tie up).
        let div = try singleNodeGraph(.div, inputs: [[1, 2]], constants: [Tensor(scalar: 4)])
        #expect(try run(div, [[6, -6]], settings: small).out == [2, -1])
        // Activation × activation: product at 2^4, rescaled by s = 2.
        let product = try singleNodeGraph(.mul, inputs: [[1, 1], [1, 1]])
        let (out, trace) = try run(product, [[-3], [5]], settings: small)
        #expect(out == [-4] && trace.layers[0].shift == 2)  // −15 + 2 = −13 → ⌊−13/4⌋ = −4
    }

    @Test func poolingDivisionsAreFoldedMultipliers() throws {
        // 3×3 average with w = 4: Q_4(1/9) = 2 (1.78); window sum 18 → acc 36 → ⌊(36 + 8)/16⌋ = 2.
        let pool = try Pooling(kernel: [3, 3], strides: [1, 1], pads: [0, 0, 0, 0])
        let settings = QuantizationSettings(activationScale: 2, parameterScale: 4, activationBits: 8)
        let graph = try singleNodeGraph(.averagePool(pool), inputs: [[1, 1, 3, 3]])
        #expect(try run(graph, [[2, 2, 2, 2, 2, 2, 2, 2, 2]], settings: settings).out == [2])
        let maxPool = try singleNodeGraph(.maxPool(pool), inputs: [[1, 1, 3, 3]])
        #expect(try run(maxPool, [[-9, -2, -7, -3, -4, -5, -6, -8, -1]], settings: settings).out == [-1])
        let global = try singleNodeGraph(.globalAveragePool, inputs: [[1, 2, 2, 2]])
        // Q_4(1/4) = 4: sums 10 and −10 → acc ±40 → ⌊48/16⌋ = 3, ⌊−32/16⌋ = −2.
        #expect(try run(global, [[1, 2, 3, 4, -1, -2, -3, -4]], settings: settings).out == [3, -2])
    }

    @Test func tablesInterpolateAndClamp() throws {
        // s = 4, t = 2 (k = 2), D = 6: grid u ∈ [−32, 31] at step 1/4. T[1] = Q_4(σ(¼)) = 9, T[2] = Q_4(σ(½)) = 10,
        // T[−2] = Q_4(σ(−½)) = 6, T[−1] = Q_4(σ(−¼)) = 7.
        let settings = QuantizationSettings(activationScale: 4, parameterScale: 4, activationBits: 16, tableScale: 2, tableBits: 6)
        let graph = try singleNodeGraph(.sigmoid, inputs: [[1, 5]])
        let (out, trace) = try run(graph, [[0, 6, 1000, -1000, -7]], settings: settings)
        let table = LookupTable(.sigmoid, settings: settings)
        #expect([table.lookup(1), table.lookup(2), table.lookup(-2), table.lookup(-1)] == [9, 10, 6, 7])
        let layer = trace.layers[0]
        #expect(layer.shift == 2)
        #expect(layer.quotient == [0, 1, 250, -250, -2])  // z = ⌊x/4⌋
        #expect(layer.remainder == [0, 2, 0, 0, 1])  // f = x − 4z
        #expect(layer.tableIndex == [0, 1, 31, -32, -2])
        // Δ·g: 0, 1·2, (clamped) 0, 0, 1·1 → R_2: ⌊2/4⌋ = 0, ⌊4/4⌋ = 1, 0, 0, ⌊3/4⌋ = 0.
        #expect(layer.interpolation == [0, 1, 0, 0, 0] && layer.interpolationRemainder == [2, 0, 2, 2, 3])
        #expect(out == [8, 10, table.lookup(31), table.lookup(-32), 6])
    }

    @Test func softmaxDivisionWitnessHolds() throws {
        let settings = QuantizationSettings(activationScale: 8, parameterScale: 8, activationBits: 16, tableScale: 6, tableBits: 10)
        let graph = try singleNodeGraph(.softmax, inputs: [[2, 3]])
        let x: [Int64] = [256, 0, -300, 5, 5, 5]
        let (out, trace) = try run(graph, [x], settings: settings)
        let layer = trace.layers[0]
        #expect(layer.rowMax == [256, 5])
        #expect(layer.exponent[0] == 256 && layer.exponent[3] == 256)  // E[0] = 2^s
        for r in 0..<2 {
            let sum = layer.exponent[r * 3..<r * 3 + 3].reduce(0, +)
            #expect(layer.rowSum[r] == sum)
            for j in r * 3..<r * 3 + 3 {
                #expect(layer.exponent[j] * 256 + sum / 2 == out[j] * sum + layer.divisionRemainder[j])
                #expect(layer.divisionRemainder[j] >= 0 && layer.divisionRemainder[j] < sum)
            }
        }
        #expect(out[3] == out[4] && out[4] == out[5] && out[3] == 85)  // ⌊(256·256 + 384)/768⌋
    }

    @Test func wideAccumulationAgreesAndRejectsOverflow() throws {
        // Same layer on the 64-bit and the 128-bit path gives identical integers.
        let k = 300
        let weights = (0..<(4 * k)).map { Double(($0 * 7919) % 2001 - 1000) / 997 }
        let linear = try Linear(weight: Tensor(shape: [4, k], values: weights), bias: Tensor(shape: [4], values: [0.5, -0.5, 1, -1]))
        let graph = try singleNodeGraph(.linear(linear), inputs: [[1, k]])
        let settings = QuantizationSettings(activationScale: 12, parameterScale: 16, activationBits: 24)
        let model = try QuantizedModel(graph, settings: settings)
        #expect(model.nodes[0].accumulatorFitsStatically)
        let x = (0..<k).map { Int64(($0 * 104729) % 8001 - 4000) }
        let fast = try IntegerInterpreter(model).run(quantizedInputs: [x]).values[graph.outputs[0]]
        // Huge weights force the wide path; a ×2^20 weight scale with the output rescaled alike.
        let big = QuantizationSettings(activationScale: 12, parameterScale: 30, activationBits: 32)
        let bigModel = try QuantizedModel(graph, settings: big)
        #expect(!bigModel.nodes[0].accumulatorFitsStatically)
        let wide = try IntegerInterpreter(bigModel).run(quantizedInputs: [x], trace: true)
        let fastTrace = try IntegerInterpreter(model).run(quantizedInputs: [x], trace: true)
        // Reference accumulator computed here from the quantized parameters.
        for (trace, m) in [(wide, bigModel), (fastTrace, model)] {
            for o in 0..<4 {
                var acc = m.nodes[0].bias[o]
                for i in 0..<k { acc += m.nodes[0].weights[o * k + i] * x[i] }
                #expect(trace.layers[0].accumulator[o] == acc)
            }
        }
        _ = fast
        // Inputs at the top of the range overflow 2^62 on the wide path: an error, not a wrap.
        let hot = [Int64](repeating: (1 << 31) - 1, count: k)
        let huge = try Linear(weight: Tensor(shape: [1, k], values: [Double](repeating: 1000, count: k)), bias: nil)
        let hugeGraph = try singleNodeGraph(.linear(huge), inputs: [[1, k]])
        let hugeModel = try QuantizedModel(hugeGraph, settings: big)
        #expect(throws: QuantizationError.self) { try IntegerInterpreter(hugeModel).run(quantizedInputs: [hot]) }
    }

    @Test func parallelLargeLayerMatchesReference() throws {
        let n = 256, k = 1100  // 281,600 multiply-adds: above the parallel threshold
        let weights = (0..<(n * k)).map { Double(($0 * 31) % 201 - 100) / 400 }
        let linear = try Linear(weight: Tensor(shape: [n, k], values: weights), bias: nil)
        let graph = try singleNodeGraph(.linear(linear), inputs: [[1, k]])
        let model = try QuantizedModel(graph, settings: .default)
        let x = (0..<k).map { Int64(($0 * 977) % 60001 - 30000) }
        let trace = try IntegerInterpreter(model).run(quantizedInputs: [x], trace: true)
        for o in stride(from: 0, to: n, by: 17) {
            var acc: Int64 = 0
            for i in 0..<k { acc += model.nodes[0].weights[o * k + i] * x[i] }
            #expect(trace.layers[0].accumulator[o] == acc)
        }
    }
}
