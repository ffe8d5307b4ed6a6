import ModelGraph

/// LSTM, GRU and RNN, unrolled at import over the static sequence length into existing operators (docs/fixed-point.md
/// §6d): the input projection of every step is one `linear` (W, with the biases Wb + Rb), the recurrent projection
/// of each step a `linear` by R, gates are slices (data movement) through Sigmoid/Tanh/Relu tables, and the state
/// updates are sums and products of two activations. Forward, reverse and bidirectional; initial states, biases,
/// peepholes, `linear_before_reset` and both layouts. Not supported: `clip`, activations other than Sigmoid, Tanh
/// and Relu, and `sequence_lens` shorter than the sequence.
enum RecurrentImport {
    static let converters: [String: Converter] = ["LSTM": unroll, "GRU": unroll, "RNN": unroll]

    enum Kind { case lstm, gru, rnn }

    static func unroll(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let kind: Kind = c.op == "LSTM" ? .lstm : c.op == "GRU" ? .gru : .rnn
        let gates = kind == .lstm ? 4 : kind == .gru ? 3 : 1
        let xShape = try g.shape(c, 0)
        guard xShape.count == 3 else { throw c.invalid("X must be 3-D, got \(Shape.describe(xShape))") }
        let layout = try c.int("layout", default: 0)
        guard layout == 0 || layout == 1 else { throw c.invalid("layout \(layout)") }
        let (steps, batch, inputSize) = layout == 0 ? (xShape[0], xShape[1], xShape[2]) : (xShape[1], xShape[0], xShape[2])
        let direction = c.node.attribute("direction")?.string ?? "forward"
        guard ["forward", "reverse", "bidirectional"].contains(direction) else { throw c.invalid("direction '\(direction)'") }
        let directions = direction == "bidirectional" ? 2 : 1
        guard c.node.attribute("clip") == nil else {
            throw Unsupported(reason: "\(c.op) with a cell clip", suggestion: nil)
        }
        guard steps >= 1, steps <= 4096 else { throw Unsupported(reason: "a sequence of \(steps) steps (1 to 4096 are unrolled)", suggestion: nil) }
        let w = try c.constantInput(1, "W").tensor, r = try c.constantInput(2, "R").tensor
        guard w.shape.count == 3, w.shape[0] == directions, w.shape[1] % gates == 0, w.shape[2] == inputSize else {
            throw c.invalid("W of shape \(Shape.describe(w.shape)) for \(directions) direction(s) and input size \(inputSize)")
        }
        let hidden = w.shape[1] / gates
        if let declared = c.node.attribute("hidden_size")?.int, declared != hidden {
            throw c.invalid("hidden_size \(declared) but W has \(hidden) per gate")
        }
        guard r.shape == [directions, gates * hidden, hidden] else { throw c.invalid("R of shape \(Shape.describe(r.shape))") }
        let b = try c.optionalConstant(3, "B")?.tensor
        if let b, b.shape != [directions, 2 * gates * hidden] { throw c.invalid("B of shape \(Shape.describe(b.shape))") }
        if let lengths = try c.optionalConstant(4, "sequence_lens")?.tensor {
            guard lengths.values.allSatisfy({ Int($0) == steps }) else {
                throw Unsupported(reason: "sequence_lens shorter than the sequence (\(steps) steps)", suggestion: nil)
            }
        } else if c.input(4) != nil {
            throw Unsupported(reason: "computed sequence_lens", suggestion: nil)
        }
        let stateShape = [directions, batch, hidden]
        let initialH = try c.optionalConstant(5, "initial_h")?.tensor
        var initialC: Tensor?
        if kind == .lstm { initialC = try c.optionalConstant(6, "initial_c")?.tensor }
        for state in [initialH, initialC].compactMap({ $0 }) where state.shape != (layout == 0 ? stateShape : [batch, directions, hidden]) {
            throw c.invalid("an initial state of shape \(Shape.describe(state.shape))")
        }
        var peepholes: Tensor?
        if kind == .lstm { peepholes = try c.optionalConstant(7, "P")?.tensor }
        if let peepholes, peepholes.shape != [directions, 3 * hidden] { throw c.invalid("P of shape \(Shape.describe(peepholes.shape))") }
        let functions = try activations(c, kind: kind, directions: directions)
        let resetFlag = try c.int("linear_before_reset", default: 0)
        let linearBeforeReset = kind == .gru && resetFlag != 0

        var u = Unroller(k: Composition(c), batch: batch, hidden: hidden, gates: gates)
        // X as [steps·batch, input], time-major.
        var x = try u.k.input(&g, 0)
        if layout == 1 { x = try u.k.add(&g, .transpose([1, 0, 2]), [x]) }
        x = try u.k.add(&g, .reshape([steps * batch, inputSize]), [x])

        var outputsY: [[ValueID]] = []  // per direction, per step (time order): [batch, hidden]
        var lastH: [ValueID] = [], lastC: [ValueID] = []
        for d in 0..<directions {
            let reverse = direction == "reverse" || d == 1
            let gh = gates * hidden
            let wd = Array(w.values[(d * gh * inputSize)..<((d + 1) * gh * inputSize)])
            let rd = Array(r.values[(d * gh * hidden)..<((d + 1) * gh * hidden)])
            var bias = [Double](repeating: 0, count: gh)
            var recurrentBias: [Double]?  // GRU with linear_before_reset: Rb_h stays inside the reset product
            if let b {
                let base = d * 2 * gh
                for i in 0..<gh { bias[i] = b.values[base + i] + b.values[base + gh + i] }
                if linearBeforeReset {
                    var rb = [Double](repeating: 0, count: gh)
                    for i in (2 * hidden)..<gh { bias[i] -= b.values[base + gh + i]; rb[i] = b.values[base + gh + i] }
                    recurrentBias = rb
                }
            }
            let projected = try u.k.add(&g, .linear(Linear(weight: Tensor(shape: [gh, inputSize], values: wd),
                                                             bias: Tensor(shape: [gh], values: bias))), [x])
            let recurrentWeight = try Linear(weight: Tensor(shape: [gh, hidden], values: rd),
                                             bias: try recurrentBias.map { try Tensor(shape: [gh], values: $0) })
            let reference = try u.k.add(&g, .movement(.gatherAxes(try u.rows(steps: steps, step: 0, width: gh))), [projected])
            var h = try u.initialState(&g, initialH, direction: d, layout: layout, directions: directions, reference: reference)
            var cell: ValueID?
            if kind == .lstm { cell = try u.initialState(&g, initialC, direction: d, layout: layout, directions: directions, reference: reference) }
            let p: [Tensor]? = try peepholes.map { peep in
                try (0..<3).map { j in try Tensor(shape: [hidden], values: Array(peep.values[(d * 3 + j) * hidden..<(d * 3 + j + 1) * hidden])) }
            }
            var ys = [ValueID?](repeating: nil, count: steps)
            for position in 0..<steps {
                let t = reverse ? steps - 1 - position : position
                let xp = try u.k.add(&g, .movement(.gatherAxes(try u.rows(steps: steps, step: t, width: gh))), [projected])
                let hp: ValueID? = try h.map { try u.k.add(&g, .linear(recurrentWeight), [$0]) }
                let f = functions[d]
                switch kind {
                case .rnn:
                    let pre = try hp.map { try u.k.add(&g, .add, [xp, $0]) } ?? xp
                    h = try u.k.add(&g, f[0], [pre])
                case .lstm:
                    // Gates i, o, f, c in W's order.
                    let pre = try hp.map { try u.k.add(&g, .add, [xp, $0]) } ?? xp
                    var gi = try u.gate(&g, pre, 0), go = try u.gate(&g, pre, 1), gf = try u.gate(&g, pre, 2)
                    let gc = try u.gate(&g, pre, 3)
                    if let p, let previous = cell {
                        gi = try u.k.add(&g, .add, [gi, try u.scaled(&g, previous, p[0])])
                        gf = try u.k.add(&g, .add, [gf, try u.scaled(&g, previous, p[2])])
                    }
                    let i = try u.k.add(&g, f[0], [gi]), forget = try u.k.add(&g, f[0], [gf])
                    let candidate = try u.k.add(&g, f[1], [gc])
                    let fresh = try u.k.add(&g, .mul, [i, candidate])
                    let newCell = try cell.map { try u.k.add(&g, .add, [try u.k.add(&g, .mul, [forget, $0]), fresh]) } ?? fresh
                    cell = newCell
                    if let p { go = try u.k.add(&g, .add, [go, try u.scaled(&g, newCell, p[1])]) }
                    let o = try u.k.add(&g, f[0], [go])
                    h = try u.k.add(&g, .mul, [o, try u.k.add(&g, f[2], [newCell])])
                case .gru:
                    // Gates z, r, h in W's order; H = h̃ + z·(H_prev − h̃).
                    let gz = try u.gate(&g, xp, 0), gr = try u.gate(&g, xp, 1), gx = try u.gate(&g, xp, 2)
                    var preZ = gz, preR = gr
                    if let hp {
                        preZ = try u.k.add(&g, .add, [gz, try u.gate(&g, hp, 0)])
                        preR = try u.k.add(&g, .add, [gr, try u.gate(&g, hp, 1)])
                    }
                    let z = try u.k.add(&g, f[0], [preZ]), reset = try u.k.add(&g, f[0], [preR])
                    var preH = gx
                    if let previous = h {
                        let hh: ValueID
                        if linearBeforeReset {
                            hh = try u.k.add(&g, .mul, [reset, try u.gate(&g, hp!, 2)])
                        } else {
                            let gated = try u.k.add(&g, .mul, [reset, previous])
                            let rh = try Linear(weight: Tensor(shape: [hidden, hidden], values: Array(rd[(2 * hidden * hidden)...])), bias: nil)
                            hh = try u.k.add(&g, .linear(rh), [gated])
                        }
                        preH = try u.k.add(&g, .add, [gx, hh])
                    } else if linearBeforeReset, let rb = recurrentBias {
                        // H_prev = 0: the reset product is r·Rb_h.
                        let rbh = try u.k.constantTensor(&g, Tensor(shape: [hidden], values: Array(rb[(2 * hidden)...])))
                        preH = try u.k.add(&g, .add, [gx, try u.k.add(&g, .mul, [reset, rbh])])
                    }
                    let candidate = try u.k.add(&g, f[1], [preH])
                    if let previous = h {
                        h = try u.k.add(&g, .add, [candidate, try u.k.add(&g, .mul, [z, try u.k.add(&g, .sub, [previous, candidate])])])
                    } else {
                        // H_prev = 0: H = h̃ − z·h̃.
                        h = try u.k.add(&g, .sub, [candidate, try u.k.add(&g, .mul, [z, candidate])])
                    }
                }
                ys[t] = h
            }
            outputsY.append(ys.map { $0! })
            lastH.append(h!)
            if let cell { lastC.append(cell) }
        }
        try u.writeOutputs(&g, c, y: outputsY, lastH: lastH, lastC: lastC, layout: layout)
    }

    /// The `activations` attribute (f, g, h per direction), defaults per operator.
    static func activations(_ c: NodeContext, kind: Kind, directions: Int) throws -> [[LayerOperation]] {
        let defaults: [String] = switch kind {
        case .lstm: ["Sigmoid", "Tanh", "Tanh"]
        case .gru: ["Sigmoid", "Tanh"]
        case .rnn: ["Tanh"]
        }
        let names = c.node.attribute("activations")?.strings ?? []
        let perDirection = defaults.count
        guard names.isEmpty || names.count == perDirection * directions else {
            throw c.invalid("\(names.count) activations for \(directions) direction(s)")
        }
        return try (0..<directions).map { d in
            try (0..<perDirection).map { j in
                let name = names.isEmpty ? defaults[j] : names[d * perDirection + j]
                switch name {
                case "Sigmoid": return .sigmoid
                case "Tanh": return .tanh
                case "Relu": return .relu
                default: throw Unsupported(reason: "\(c.op) activation '\(name)' (Sigmoid, Tanh and Relu are supported)", suggestion: nil)
                }
            }
        }
    }
}

/// The graph-building steps of one unrolled recurrent node.
struct Unroller {
    var k: Composition
    let batch: Int, hidden: Int, gates: Int

    /// Rows [t·batch, (t+1)·batch) of a [steps·batch, width] tensor.
    func rows(steps: Int, step t: Int, width: Int) throws -> AxisGather {
        try AxisGather(kind: "Slice", inputShape: [steps * batch, width],
                       maps: [Array((t * batch)..<((t + 1) * batch)), Array(0..<width)])
    }

    /// Gate j's columns of a [batch, gates·hidden] tensor.
    mutating func gate(_ g: inout GraphImport, _ x: ValueID, _ j: Int) throws -> ValueID {
        let gather = try AxisGather(kind: "Slice", inputShape: [batch, gates * hidden],
                                    maps: [Array(0..<batch), Array((j * hidden)..<((j + 1) * hidden))])
        return try k.add(&g, .movement(.gatherAxes(gather)), [x])
    }

    /// x ⊙ p for a constant [hidden] vector (an exact product by a constant).
    mutating func scaled(_ g: inout GraphImport, _ x: ValueID, _ p: Tensor) throws -> ValueID {
        try k.add(&g, .mul, [x, try k.constantTensor(&g, p)])
    }

    /// nil for a zero initial state (the first step then skips the recurrent terms); a given one as a computed
    /// value: 0·(a slice of the first step's projection) + the constant, so the graph's steps stay computed.
    mutating func initialState(_ g: inout GraphImport, _ state: Tensor?, direction d: Int, layout: Int64, directions: Int,
                               reference: ValueID) throws -> ValueID? {
        guard let state, state.values.contains(where: { $0 != 0 }) else { return nil }
        var values = [Double](repeating: 0, count: batch * hidden)
        for b in 0..<batch {
            for i in 0..<hidden {
                values[b * hidden + i] = layout == 0 ? state.values[(d * batch + b) * hidden + i] : state.values[(b * directions + d) * hidden + i]
            }
        }
        let zero = try k.add(&g, .mul, [try gate(&g, reference, 0), try k.constant(&g, 0)])
        return try k.add(&g, .add, [zero, try k.constantTensor(&g, Tensor(shape: [batch, hidden], values: values))])
    }

    /// Y [steps, directions, batch, hidden] (layout 1: [batch, steps, directions, hidden]), Y_h and Y_c
    /// [directions, batch, hidden] (layout 1: [batch, directions, hidden]), for the outputs the node names.
    mutating func writeOutputs(_ g: inout GraphImport, _ c: NodeContext, y: [[ValueID]], lastH: [ValueID], lastC: [ValueID],
                               layout: Int64) throws {
        let outputs = c.node.outputs
        func named(_ index: Int) -> String? { index < outputs.count && !outputs[index].isEmpty ? outputs[index] : nil }
        let directions = y.count, steps = y[0].count
        if let name = named(0) {
            var parts: [ValueID] = []
            for t in 0..<steps {
                for d in 0..<directions { parts.append(try k.add(&g, .reshape([1, 1, batch, hidden]), [y[d][t]])) }
            }
            // [steps·directions of 1×1] → [steps, directions, batch, hidden] by one Concat on axis 0 and a Reshape.
            var joined = parts.count == 1 ? parts[0] : try k.add(&g, .concat(axis: 0), parts)
            joined = try k.add(&g, .reshape([steps, directions, batch, hidden]), [joined])
            if layout == 1 { joined = try k.add(&g, .transpose([2, 0, 1, 3]), [joined]) }
            try publish(&g, joined, as: name)
        }
        for (index, states) in [(1, lastH), (2, lastC)] {
            guard let name = named(index), !states.isEmpty else { continue }
            let parts = try states.map { try k.add(&g, .reshape([1, batch, hidden]), [$0]) }
            var joined = parts.count == 1 ? parts[0] : try k.add(&g, .concat(axis: 0), parts)
            if layout == 1 { joined = try k.add(&g, .transpose([1, 0, 2]), [joined]) }
            try publish(&g, joined, as: name)
        }
    }

    /// The output slot `name` holds `value` (a copy node named after it, so graph outputs keep ONNX's names).
    mutating func publish(_ g: inout GraphImport, _ value: ValueID, as name: String) throws {
        let shape = g.builder.graph.values[value].shape
        let id = try g.builder.addNode(name: k.c.name, sourceOp: k.c.op, operation: .reshape(shape), inputs: [value], outputName: name)
        g.slots[name] = .value(id)
    }
}

extension Composition {
    /// A constant tensor added to the graph under a name derived from the node's output.
    mutating func constantTensor(_ g: inout GraphImport, _ tensor: Tensor) throws -> ValueID {
        step += 1
        return try g.builder.addConstant("\(prefix)/\(c.op.lowercased())\(step)", tensor)
    }
}
