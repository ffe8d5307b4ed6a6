import ModelGraph

/// The transformer op set: Exp, Log, Sqrt, Reciprocal, Erf → `activation`; Gelu, Pow, LogSoftmax,
/// LayerNormalization, Where and Split as compositions of existing operators (`Composition`), so their integers
/// are those of the steps (docs/fixed-point.md §6a–§6c), and every step keeps the operator's name in messages.
enum TransformerImport {
    static let converters: [String: Converter] = [
        "Exp": { g, c in try g.add(c, .activation(.exp), [0]) },
        "Log": { g, c in try g.add(c, .activation(.log), [0]) },
        "Sqrt": { g, c in try g.add(c, .activation(.sqrt), [0]) },
        "Reciprocal": { g, c in try g.add(c, .activation(.reciprocal), [0]) },
        "Erf": { g, c in try g.add(c, .activation(.erf), [0]) },
        "Gelu": gelu, "Pow": pow, "LogSoftmax": logSoftmax, "LayerNormalization": layerNormalization,
        "Where": whereSelect, "Split": split, "Einsum": EinsumImport.einsum,
    ]

    /// Gelu(x) = x·Φ(x) (approximate = "none") or x·½(1 + tanh(√(2/π)(x + 0.044715x³))) ("tanh"): a table for the
    /// gate, then a product of two activations.
    static func gelu(_ g: inout GraphImport, _ c: NodeContext) throws {
        let approximate = c.node.attribute("approximate")?.string ?? "none"
        guard approximate == "none" || approximate == "tanh" else { throw c.invalid("approximate '\(approximate)'") }
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let gate = try k.add(&g, .activation(approximate == "tanh" ? .geluTanhGate : .normalCDF), [x])
        _ = try k.add(&g, .mul, [x, gate], final: true)
    }

    /// Exponents Pow accepts: integers in [−8, 8] and ±½.
    static func supportedExponent(_ e: Double) -> Bool { (e == e.rounded() && Swift.abs(e) <= 8) || Swift.abs(e) == 0.5 }

    /// Pow by a constant exponent: x^n by repeated squaring (products of two activations), x^½ = Sqrt, negative
    /// exponents through Reciprocal, x^0 = x·0 + 1. Exponents differing per element: each distinct power, masked
    /// by a constant 0/1 tensor (an exact product) and summed.
    static func pow(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let exponent = try c.constantInput(1, "exponent").tensor
        let shape = try g.shape(c, 0)
        guard (try? Shape.broadcast(shape, exponent.shape)) == shape else {
            throw Unsupported(reason: "an exponent of shape \(Shape.describe(exponent.shape)) that broadcasts the base \(Shape.describe(shape)) to a larger shape", suggestion: nil)
        }
        let distinct = Array(Set(exponent.values)).sorted()
        // An integer-typed base (int8…uint64, bool): exact integer products wrapped onto the base's type (the
        // result has the base's type whatever the exponent's), by non-negative integer exponents only.
        var integer: NumberFormat?
        if case .value(let id)? = c.input(0), g.builder.graph.values[id].isInteger { integer = g.integerFormat(of: c.node.inputs[0]) }
        let supported: (Double) -> Bool = integer == nil ? supportedExponent : supportedIntegerExponent
        guard let bad = distinct.first(where: { !supported($0) }) else {
            var k = Composition(c)
            let x = try k.input(&g, 0)
            if distinct.count == 1 {
                _ = try k.power(&g, x, distinct[0], shape: shape, integer: integer, final: true)
                return
            }
            let mul: LayerOperation = integer.map { .indexing(.integer(.mul, wrap: $0)) } ?? .mul
            var terms: [ValueID] = []
            for e in distinct {
                let p = try k.power(&g, x, e, shape: shape, integer: integer, final: false)
                k.step += 1
                let mask = try g.builder.addConstant("\(c.node.outputs[0])/pow_mask\(k.step)",
                                                     Tensor(shape: exponent.shape, values: exponent.values.map { $0 == e ? 1 : 0 }))
                terms.append(try k.add(&g, mul, [p, mask]))
            }
            if let integer {
                var total = terms[0]
                for (n, term) in terms.enumerated().dropFirst() {
                    total = try k.add(&g, .indexing(.integer(.add, wrap: integer)), [total, term], final: n == terms.count - 1)
                }
            } else {
                _ = try k.add(&g, .sum, terms, final: true)
            }
            return
        }
        if integer != nil {
            throw Unsupported(reason: "Pow of an integer tensor with exponent \(bad); integers in [0, 64] are supported", suggestion: nil)
        }
        throw Unsupported(reason: "Pow with exponent \(bad); integers in [−8, 8] and ±0.5 are supported", suggestion: nil)
    }

    /// Exponents Pow of an integer-typed base accepts: integers in [0, 64] (negative ones have no integer result;
    /// past 64 every base but 0, ±1 has wrapped to 0 on 64 bits).
    static func supportedIntegerExponent(_ e: Double) -> Bool { e == e.rounded() && e >= 0 && e <= 64 }

    /// LogSoftmax over `axis` (opset 13+), or over the input coerced to 2-D at `axis` (before 13):
    /// d = x − max, y = d − Log(ReduceSum(Exp(d))).
    static func logSoftmax(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: c.opset >= 13 ? -1 : 1), rank: shape.count, c)
        var k = Composition(c)
        var x = try k.input(&g, 0)
        var axes = [axis]
        // Before opset 13 the reduction covers every axis from `axis` on: the tensor is coerced to 2-D.
        let coerced = c.opset < 13 && axis != shape.count - 1
        if coerced {
            x = try k.add(&g, .reshape([shape[..<axis].reduce(1, *), shape[axis...].reduce(1, *)]), [x])
            axes = [1]
        }
        let reduction = Reduction(axes: axes, keepDims: true, mean: false)
        let m = try ExtremumTree.add(&g, &k, x, shape: g.builder.graph.values[x].shape, reduction, maximum: true)
        let d = try k.add(&g, .sub, [x, m])
        let total = try k.add(&g, .pooling(.reduce(reduction)), [try k.add(&g, .activation(.exp), [d])])
        let y = try k.add(&g, .sub, [d, try k.add(&g, .activation(.log), [total])], final: !coerced)
        if coerced { _ = try k.add(&g, .reshape(shape), [y], final: true) }
    }

    /// LayerNormalization over axes [axis, rank): μ = ReduceMean(x), d = x − μ, σ = Sqrt(ReduceMean(d·d) + ε),
    /// y = d·Reciprocal(σ)·scale + B. The optional Mean and InvStdDev outputs are μ and 1/σ.
    static func layerNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: -1), rank: shape.count, c)
        let epsilon = try ActivationImport.finite(c, "epsilon", default: 1e-5)
        let normalized = Array(shape[axis...])
        let scale = try c.constantInput(1, "scale").tensor
        let bias = try c.optionalConstant(2, "B")?.tensor
        for (tensor, role) in [(scale, "scale"), (bias, "B")] {
            guard let tensor else { continue }
            guard (try? Shape.broadcast(normalized, tensor.shape)) == normalized else {
                throw c.invalid("\(role) of shape \(Shape.describe(tensor.shape)) does not broadcast to \(Shape.describe(normalized))")
            }
        }
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let mean = Reduction(axes: Array(axis..<shape.count), keepDims: true, mean: true)
        let mu = try k.add(&g, .pooling(.reduce(mean)), [x])
        let d = try k.add(&g, .sub, [x, mu])
        let variance = try k.add(&g, .pooling(.reduce(mean)), [try k.add(&g, .mul, [d, d])])
        let sigma = try k.add(&g, .activation(.sqrt), [try k.add(&g, .add, [variance, try k.constant(&g, epsilon)])])
        let inverse = try k.add(&g, .activation(.reciprocal), [sigma])
        let z = try k.add(&g, .mul, [d, inverse])
        k.step += 1
        let scaleID = try g.builder.addConstant("\(c.node.outputs[0])/layernorm_scale", scale)
        let scaled = try k.add(&g, .mul, [z, scaleID], final: bias == nil)
        if let bias {
            let biasID = try g.builder.addConstant("\(c.node.outputs[0])/layernorm_bias", bias)
            _ = try k.add(&g, .add, [scaled, biasID], final: true)
        }
        let outputs = c.node.outputs
        if outputs.count > 1, !outputs[1].isEmpty { g.slots[outputs[1]] = .value(mu) }
        if outputs.count > 2, !outputs[2].isEmpty { g.slots[outputs[2]] = .value(inverse) }
    }

    /// Mask fills (−∞, read as −float32 max, or float32's min that exporters write instead: any magnitude ≥ 10^30)
    /// are taken as ±10^4: after Softmax's shift by the row maximum such an entry's exponential is 0 in both paths.
    /// Other constants are kept as they are.
    static let maskLimit = 1e4

    /// Where(cond, X, Y) as sums and products: a constant condition becomes 0/1 masks multiplying X and Y (exact
    /// products); a computed one (bool or integer) is Cast to float and multiplies X − Y, added to Y.
    static func whereSelect(_ g: inout GraphImport, _ c: NodeContext) throws {
        guard c.inputs.count == 3, let condition = c.input(0), let xSlot = c.input(1), let ySlot = c.input(2) else {
            throw c.invalid("Where needs three inputs")
        }
        var k = Composition(c)
        func clamped(_ slot: Slot, _ index: Int) throws -> ValueID {
            guard case .constant(let constant) = slot else { return try k.input(&g, index) }
            let values = constant.tensor.values.map { v -> Double in
                Swift.abs(v) >= 1e30 ? (v < 0 ? -maskLimit : maskLimit) : v
            }
            k.step += 1
            return try g.builder.addConstant("\(c.node.outputs[0])/where\(k.step)", Tensor(shape: constant.tensor.shape, values: values))
        }
        let outputShape = try Shape.broadcast(try Shape.broadcast(try g.shape(c, 0), try g.shape(c, 1)), try g.shape(c, 2))
        let x = try clamped(xSlot, 1), y = try clamped(ySlot, 2)
        var parts: [ValueID] = []
        if case .constant(let mask) = condition {
            let on = mask.tensor.values.map { $0 != 0 ? 1.0 : 0.0 }
            for (value, keep) in [(x, on), (y, on.map { 1 - $0 })] {
                if let constant = g.builder.graph.values[value].constant {
                    // A constant branch: its masked values, broadcast, folded now.
                    let target = try Shape.broadcast(constant.shape, mask.tensor.shape)
                    let mv = Shape.broadcastIndices(from: constant.shape, to: target)
                    let mm = Shape.broadcastIndices(from: mask.tensor.shape, to: target)
                    k.step += 1
                    parts.append(try g.builder.addConstant("\(c.node.outputs[0])/where\(k.step)",
                                                           Tensor(shape: target, values: (0..<mv.count).map { constant.values[mv[$0]] * keep[mm[$0]] })))
                } else {
                    k.step += 1
                    let maskID = try g.builder.addConstant("\(c.node.outputs[0])/where_mask\(k.step)", Tensor(shape: mask.tensor.shape, values: keep))
                    parts.append(try k.add(&g, .mul, [value, maskID]))
                }
            }
        } else {
            let conditionValue = try k.input(&g, 0)
            let fromInteger = g.builder.graph.values[conditionValue].isInteger
            let flag = try k.add(&g, .indexing(.cast(to: .real, fromInteger: fromInteger)), [conditionValue])
            parts = [try k.add(&g, .mul, [flag, try k.add(&g, .sub, [x, y])]), y]
        }
        let sumShape = try Shape.broadcast(g.builder.graph.values[parts[0]].shape, g.builder.graph.values[parts[1]].shape)
        let sum = try k.add(&g, .add, parts, final: sumShape == outputShape)
        if sumShape != outputShape {
            _ = try k.add(&g, .movement(.gatherAxes(try broadcastGather(sumShape, to: outputShape))), [sum], final: true)
        }
    }

    /// The Expand of `shape` to `target` (numpy broadcasting) as an axis gather.
    static func broadcastGather(_ shape: [Int], to target: [Int]) throws -> AxisGather {
        let padded = [Int](repeating: 1, count: target.count - shape.count) + shape
        let maps = (0..<target.count).map { axis in
            padded[axis] == 1 ? [Int](repeating: 0, count: target[axis]) : Array(0..<target[axis])
        }
        return try AxisGather(kind: "Expand", inputShape: padded, maps: maps)
    }

    /// Split along `axis` into the `split` sizes (an input from opset 13, an attribute before), or into
    /// `num_outputs` (opset 18) or as many outputs as the node has, equal parts with a smaller last one: one axis
    /// gather per output (data movement).
    static func split(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: 0), rank: shape.count, c)
        let outputs = c.node.outputs
        var sizes: [Int]
        var listed: [Int]?
        if c.opset >= 13 {
            if let constant = try c.optionalConstant(1, "split") { listed = try c.integerList(constant, "split") }
        } else {
            listed = c.ints("split")?.map { Int(clamping: $0) }
        }
        if let listed {
            sizes = listed
        } else {
            let parts = c.opset >= 18 ? Int(clamping: try c.int("num_outputs", default: Int64(outputs.count))) : outputs.count
            // The spec makes num_outputs the node's output count; checked before anything is sized by it.
            guard parts == outputs.count, parts >= 1 else {
                throw c.invalid("num_outputs \(parts) differs from the node's \(outputs.count) outputs")
            }
            let chunk = (shape[axis] + parts - 1) / parts
            sizes = (0..<parts).map { Swift.max(0, Swift.min(chunk, shape[axis] - $0 * chunk)) }
        }
        // Sizes are untrusted: summed with overflow checks (a split of [Int.max, 1] must not trap).
        let covered = sizes.allSatisfy({ $0 >= 0 }) ? sizes.reduce(0 as Int?) { total, size in
            total.flatMap { $0.addingReportingOverflow(size).overflow ? nil : $0 + size }
        } : nil
        guard sizes.count == outputs.count, let covered, covered == shape[axis] else {
            throw c.invalid("split sizes \(sizes) do not cover axis \(axis) of size \(shape[axis]) in \(outputs.count) outputs")
        }
        let x = try g.graphValue(try c.firstInput(), name: c.node.inputs[0])
        var start = 0
        for (index, output) in outputs.enumerated() {
            defer { start += sizes[index] }
            guard !output.isEmpty else { continue }
            var maps = shape.map { Array(0..<$0) }
            maps[axis] = Array(start..<(start + sizes[index]))
            let gather = try AxisGather(kind: "Split", inputShape: shape, maps: maps)
            g.slots[output] = .value(try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .movement(.gatherAxes(gather)),
                                                           inputs: [x], outputName: output))
        }
    }
}

extension Composition {
    /// x^e for a supported exponent (`TransformerImport.supportedExponent`).
    /// x^e (see `TransformerImport.pow`); with `integer`, by exact integer products wrapped onto that format.
    mutating func power(_ g: inout GraphImport, _ x: ValueID, _ e: Double, shape: [Int], integer: NumberFormat? = nil,
                        final: Bool) throws -> ValueID {
        let mul: LayerOperation = integer.map { .indexing(.integer(.mul, wrap: $0)) } ?? .mul
        if e == 0 {
            let zero = try add(&g, mul, [x, try constant(&g, 0)])
            let plus: LayerOperation = integer.map { .indexing(.integer(.add, wrap: $0)) } ?? .add
            return try add(&g, plus, [zero, try constant(&g, 1)], final: final)
        }
        if e < 0 {
            let positive = try power(&g, x, -e, shape: shape, final: false)
            return try add(&g, .activation(.reciprocal), [positive], final: final)
        }
        if e == 0.5 { return try add(&g, .activation(.sqrt), [x], final: final) }
        var n = Int(e)
        var result: ValueID?
        var base = x
        var remaining = n.nonzeroBitCount
        while n > 0 {
            if n & 1 == 1 {
                remaining -= 1
                let last = remaining == 0
                result = try result.map { try add(&g, mul, [$0, base], final: final && last) } ?? base
            }
            n >>= 1
            if n > 0 { base = try add(&g, mul, [base, base]) }
        }
        // x^1 (or a power that is its own base): a node of its own when it is the output.
        if let result, result == base || result == x, final {
            return try add(&g, .reshape(shape), [result], final: true)
        }
        return result!
    }
}

/// Einsum of one or two operands: a repeated index within an operand first takes that diagonal (an element
/// selection), then sums over indices
/// that only one operand has (ReduceSum), then the two operands transposed and reshaped to [batch, M, K] and
/// [batch, K, N] for one MatMul (`arithmetic(.matMul)`, or `linear` semantics never: both at scale s), and the
/// result reshaped and transposed to the output's indices. Leading `...` is a run of batch indices.
enum EinsumImport {
    static func einsum(_ g: inout GraphImport, _ c: NodeContext) throws {
        guard let text = c.node.attribute("equation")?.string else { throw c.invalid("missing attribute 'equation'") }
        let equation = text.filter { !$0.isWhitespace }
        let sides = equation.split(separator: "->", omittingEmptySubsequences: false).map(String.init)
        guard sides.count <= 2 else { throw c.invalid("equation '\(text)'") }
        let operandTerms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(operandTerms.count), operandTerms.count == c.inputs.count, c.inputs.allSatisfy({ $0 != nil }) else {
            throw Unsupported(reason: "Einsum of \(c.inputs.count) operands (one or two are supported)", suggestion: nil)
        }
        let shapes = try (0..<operandTerms.count).map { try g.shape(c, $0) }
        // "..." becomes private index characters, right-aligned like numpy's broadcasting.
        var ellipsisRank = 0
        var letters: [[Character]] = []
        for (term, shape) in zip(operandTerms, shapes) {
            let explicit = term.replacing("...", with: "")
            let hasEllipsis = term.contains("...")
            let extra = shape.count - explicit.count
            guard extra >= 0, hasEllipsis || extra == 0 else { throw c.invalid("term '\(term)' for a tensor of rank \(shape.count)") }
            ellipsisRank = max(ellipsisRank, extra)
            let dots = (0..<extra).map { Character(UnicodeScalar(0x2460 + ellipsisRank - extra + $0)!) }
            let parts = term.split(separator: "...", omittingEmptySubsequences: false).map(String.init)
            letters.append(hasEllipsis ? Array(parts[0]) + dots + Array(parts[1]) : Array(term))
        }
        let allDots = (0..<ellipsisRank).map { Character(UnicodeScalar(0x2460 + $0)!) }
        var output: [Character]
        if sides.count == 2 {
            let parts = sides[1].split(separator: "...", omittingEmptySubsequences: false).map(String.init)
            output = sides[1].contains("...") ? Array(parts[0]) + allDots + Array(parts[1]) : Array(sides[1])
        } else {
            let counts = Dictionary(letters.flatMap { $0 }.map { ($0, 1) }, uniquingKeysWith: +)
            output = allDots + counts.filter { $0.value == 1 && !allDots.contains($0.key) }.map(\.key).sorted()
        }
        var size: [Character: Int] = [:]
        for (term, shape) in zip(letters, shapes) {
            for (letter, dim) in zip(term, shape) {
                if let known = size[letter], known != dim { throw c.invalid("index '\(letter)' has sizes \(known) and \(dim)") }
                size[letter] = dim
            }
        }
        guard Set(output).count == output.count, output.allSatisfy({ size[$0] != nil }) else { throw c.invalid("output '\(sides.last!)'") }
        let outputShape = output.map { size[$0]! }
        var k = Composition(c)
        var operands: [Operand] = []
        for (index, original) in letters.enumerated() {
            var operand = Operand(slot: c.input(index)!, name: c.node.inputs[index], letters: original)
            try operand.takeDiagonals(&g, &k, shape: shapes[index], size: size)
            let term = operand.letters
            // Indices in no other operand and not in the output are summed first.
            let others = Set(letters.enumerated().filter { $0.offset != index }.flatMap(\.element)).union(output)
            let summed = term.enumerated().filter { !others.contains($0.element) }.map(\.offset)
            if !summed.isEmpty {
                try operand.apply(&g, &k, .pooling(.reduce(Reduction(axes: summed, keepDims: false, mean: false))))
                operand.letters = term.enumerated().filter { !summed.contains($0.offset) }.map(\.element)
            }
            operands.append(operand)
        }
        var result: Operand
        if operands.count == 1 {
            result = operands[0]
        } else {
            var (a, b) = (operands[0], operands[1])
            let batch = output.filter { a.letters.contains($0) && b.letters.contains($0) }
            let contracted = a.letters.filter { b.letters.contains($0) && !output.contains($0) }
            let freeA = a.letters.filter { !b.letters.contains($0) }, freeB = b.letters.filter { !a.letters.contains($0) }
            let (bs, m, kk, n) = (batch.reduce(1) { $0 * size[$1]! }, freeA.reduce(1) { $0 * size[$1]! },
                                  contracted.reduce(1) { $0 * size[$1]! }, freeB.reduce(1) { $0 * size[$1]! })
            try a.arrange(&g, &k, batch + freeA + contracted, reshape: [bs, m, kk])
            try b.arrange(&g, &k, batch + contracted + freeB, reshape: [bs, kk, n])
            let product = try k.add(&g, .arithmetic(.matMul), [try a.value(&g), try b.value(&g)])
            result = Operand(slot: .value(product), name: "", letters: batch + freeA + freeB)
            try result.apply(&g, &k, .reshape((batch + freeA + freeB).map { size[$0]! }))
        }
        try result.arrange(&g, &k, output, reshape: nil)
        guard case .value = result.slot else { throw c.invalid("Einsum of constants should have folded") }
        _ = try k.add(&g, .reshape(outputShape), [try result.value(&g)], final: true)
    }

    /// One operand while it is rearranged: a constant is rearranged at import (no node), a computed one by nodes.
    struct Operand {
        var slot: Slot
        let name: String
        var letters: [Character]

        mutating func apply(_ g: inout GraphImport, _ k: inout Composition, _ operation: LayerOperation) throws {
            switch slot {
            case .constant(let constant):
                let shape = try operation.family.outputShape([constant.tensor.shape])
                let values = try operation.family.evaluateFloat([constant.tensor], outputShape: shape)
                slot = .constant(Constant(tensor: try Tensor(shape: shape, values: values), isInteger: constant.isInteger))
            default:
                slot = .value(try k.add(&g, operation, [try value(&g)]))
            }
        }

        /// A repeated index within the operand (ONNX's diagonal, e.g. "bii->bi") keeps the elements whose repeated
        /// coordinates are equal: an element selection onto the distinct indices, in first-appearance order.
        mutating func takeDiagonals(_ g: inout GraphImport, _ k: inout Composition, shape: [Int], size: [Character: Int]) throws {
            var distinct: [Character] = []
            for letter in letters where !distinct.contains(letter) { distinct.append(letter) }
            guard distinct.count < letters.count else { return }
            let outputShape = distinct.map { size[$0]! }
            let inputStrides = Shape.strides(shape), outputStrides = Shape.strides(outputShape)
            // Each distinct index's stride in the input: the sum of the strides of the axes that carry it.
            let stride = distinct.map { letter in letters.indices.filter { letters[$0] == letter }.reduce(0) { $0 + inputStrides[$1] } }
            let count = try Shape.elementCount(outputShape)
            let sources = (0..<count).map { flat in
                (0..<distinct.count).reduce(0) { $0 + (flat / outputStrides[$1]) % outputShape[$1] * stride[$1] }
            }
            try apply(&g, &k, .movement(.select(try ElementSelection(kind: "Einsum", inputShapes: [shape], outputShape: outputShape,
                                                                     sources: sources))))
            letters = distinct
        }

        /// Transposes to `order` (when it differs), then reshapes (when given).
        mutating func arrange(_ g: inout GraphImport, _ k: inout Composition, _ order: [Character], reshape: [Int]?) throws {
            if order != letters {
                try apply(&g, &k, .transpose(order.map { letters.firstIndex(of: $0)! }))
                letters = order
            }
            if let reshape { try apply(&g, &k, .reshape(reshape)) }
        }

        mutating func value(_ g: inout GraphImport) throws -> ValueID {
            if case .constant(let constant) = slot {
                let id = try g.builder.addConstant("\(name)/einsum\(g.builder.graph.values.count)", constant.tensor)
                slot = .value(id)
                return id
            }
            return try g.graphValue(slot, name: name)
        }
    }
}
