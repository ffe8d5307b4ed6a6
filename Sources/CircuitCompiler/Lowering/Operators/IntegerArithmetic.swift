import FixedPointCore
import ModelGraph
import Quantization

/// Arithmetic on integer-typed tensors (`IndexingOp.integer`, docs/fixed-point.md §5d): `IntegerGadget` lanes, one
/// per output element, each port receiving a linear form of the operands from the fold (a ± b, k·a, a·2^b, a·2^(R−b),
/// or an operand itself). Operands are integers of the element type: a type narrower than the activations holds
/// all of its values; a wider one (int32 at B = 32, int64, uint32, uint64) holds what the activation range holds,
/// and a value beyond it is refused by the prover (a witness that does not fit), as the comparisons do.
/// Constants enter the equation's constant, wrapped onto the type first where the result wraps (the same result
/// modulo 2^W). Div and Mod by a computed divisor, and BitShift by a computed amount, have lanes that hold the
/// divisor (amount) as a cell (`IntegerGadget+Computed.swift`).
enum IntegerLowering {
    enum Operand {
        case element(ValueID, Int)
        case fixed(Int64)
    }

    /// One port's linear form: Σ weight·operand.
    typealias Form = [(Operand, Int64)]

    static func type(_ format: NumberFormat) -> (bits: Int, signed: Bool)? {
        guard case .integer(let bits, let signed) = format, bits >= 2 else { return nil }
        return (bits, signed)
    }

    /// ob: every operand lies in [−2^ob, 2^ob) (the type's range, or the activation range for a wider type).
    static func operandBits(_ bits: Int, activationBits: Int) -> Int { bits < activationBits ? bits : activationBits - 1 }

    /// Operand `position` of output element i (numpy broadcasting); constants at scale 2^0 (as the integer stage).
    static func operand(_ node: Node, graph: ModelGraph, position: Int) -> (Int) -> Operand {
        let id = node.inputs[position]
        let map = Shape.broadcastIndices(from: graph.values[id].shape, to: graph.values[node.output].shape)
        if let constant = graph.values[id].constant {
            return { .fixed(FixedPoint.quantize(constant.values[map[$0]], scale: 0) ?? 0) }
        }
        return { .element(id, map[$0]) }
    }

    /// The lanes of an integer node (`IndexingOp.integer`, or a Cast from an integer type onto a narrower one, which
    /// wraps: x = a), nil for any other node.
    static func lowering(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> (gadget: IntegerGadget, forms: (Int) -> [Form])? {
        let activationBits = settings.activationBits
        switch node.operation {
        case .indexing(.integer(let op, let format)):
            return try lowering(op, format, node, graph: graph, activationBits: activationBits)
        case .indexing(.cast(let format, fromInteger: true)):
            // The source's type is not tracked here: its values lie in the activation range (a wider one is refused
            // by the prover), so |x| < 2^B.
            guard let (bits, signed) = type(format), bits < 64 else { return nil }
            let gadget = IntegerGadget(mode: .wrap(product: false), width: bits, signed: signed,
                                       highBits: max(activationBits - bits, 0) + 1)
            let a = operand(node, graph: graph, position: 0)
            return (gadget, { i in [[(a(i), Int64(1))]] })
        case .indexing(.cast(let format, fromInteger: false)):
            // Truncation toward zero of x/2^s, when the type's range holds every result (|t| < 2^(B−1−s); an
            // unsigned type gives 0 below zero): a narrower type's "0 out of range" is not proved.
            let s = settings.activationScale, m = activationBits - 1 - s
            guard let (bits, signed) = type(format), s >= 1, m >= 1 else { return nil }
            let a = operand(node, graph: graph, position: 0)
            guard bits >= (signed ? m + 1 : m) else {
                // A narrower type: the truncation, then 0 outside the type's range (the kernel's rule), by two sign splits.
                guard let range = format.integerRange else { return nil }
                let unit = Int128(1) << m, low = Int128(range.lowerBound), high = Int128(range.upperBound)
                let rangeBits = SignSplit.bits(low: Swift.min(-unit - low, high - unit), high: Swift.max(unit - low, high + unit))
                guard rangeBits <= 62 else { return nil }
                let mode = IntegerGadget.Mode.truncateInto(low: range.lowerBound, high: range.upperBound, rangeBits: rangeBits)
                return (IntegerGadget(mode: mode, width: s, signed: signed, highBits: m), { i in [[(a(i), Int64(1))]] })
            }
            return (IntegerGadget(mode: .truncate, width: s, signed: signed, highBits: m), { i in [[(a(i), Int64(1))]] })
        default:
            return nil
        }
    }

    /// The gadget and each lane's port forms; nil when the circuit does not prove the node (refused with the hint).
    static func lowering(_ op: IntegerArithmetic, _ format: NumberFormat, _ node: Node, graph: ModelGraph,
                         activationBits: Int) throws -> (gadget: IntegerGadget, forms: (Int) -> [Form])? {
        guard let (bits, signed) = type(format), node.inputs.count == 2 else { return nil }
        let ob = operandBits(bits, activationBits: activationBits)
        let wide = bits >= 64
        let a = operand(node, graph: graph, position: 0), b = operand(node, graph: graph, position: 1)
        let count = graph.values[node.output].elementCount
        // Constants wrap onto the type where the result does (the same result modulo 2^W).
        func reduced(_ o: Operand) -> Operand {
            if case .fixed(let v) = o, !wide { return .fixed(format.wrap(v)) }
            return o
        }
        func refuse(_ hint: String) -> CompilerError {
            .unsupportedOperation(layer: node.label, op: op.rawValue, hint: hint)
        }
        /// I with |x| < 2^I over every lane's single form.
        func inputBits(_ forms: (Int) -> [Form]) -> Int {
            var largest: Int128 = 0
            for i in 0..<count {
                var sum: Int128 = 0
                for (o, w) in forms(i)[0] {
                    switch o {
                    case .element: sum += Int128(w.magnitude) << ob
                    case .fixed(let v): sum += Int128(v.magnitude) * Int128(w.magnitude)
                    }
                }
                largest = max(largest, sum)
            }
            var bits = 0
            while bits < 120, (Int128(1) << bits) <= largest { bits += 1 }
            return bits
        }
        func wrapOrExact(_ forms: @escaping (Int) -> [Form], product: Bool = false) -> (IntegerGadget, (Int) -> [Form]) {
            let i = product ? 2 * ob : inputBits(forms)
            if wide {
                return (IntegerGadget(mode: .exact(product: product), width: 64, signed: true, highBits: min(i + 1, 62)), forms)
            }
            return (IntegerGadget(mode: .wrap(product: product), width: bits, signed: signed, highBits: max(i - bits, 0) + 1), forms)
        }
        func shift(_ o: Operand) throws -> Int64 {
            guard case .fixed(let v) = o else { throw refuse("BitShift by a computed amount runs in `zkinfer run`; proving it needs a constant shift") }
            return v
        }
        let computedAmount = graph.values[node.inputs[1]].constant == nil
        switch op {
        case .add, .sub:
            let sign: Int64 = op == .add ? 1 : -1
            return wrapOrExact { i in [[(reduced(a(i)), Int64(1)), (reduced(b(i)), sign)]] }
        case .mul:
            let constantA = graph.values[node.inputs[0]].constant != nil, constantB = graph.values[node.inputs[1]].constant != nil
            if constantA || constantB {
                // k·x: the constant is the weight.
                let (x, k) = constantB ? (a, b) : (b, a)
                return wrapOrExact { i in
                    guard case .fixed(let w) = reduced(k(i)) else { return [[]] }
                    return [[(reduced(x(i)), w)]]
                }
            }
            return wrapOrExact({ i in [[(a(i), Int64(1))], [(b(i), Int64(1))]] }, product: true)
        case .shiftLeft where computedAmount, .shiftRight where computedAmount:
            // A computed amount b: the lane proves 2^b from b's bits (or the out-of-range rule) itself.
            let left = op == .shiftLeft
            let base = left ? bits : min(bits, activationBits)
            guard ob + 2 <= 62, base <= 64, left || base <= 62 else { return nil }
            let high = left ? (wide ? 62 : ob + 1) : ob + 1
            let gadget = IntegerGadget(mode: .shiftBy(left: left, base: base, amountBits: ob + 2), width: bits, signed: signed, highBits: high)
            return (gadget, { i in [[(a(i), Int64(1))], [(b(i), Int64(1))]] })
        case .shiftLeft:
            let amounts = try (0..<count).map { try shift(b($0)) }
            if wide, amounts.contains(where: { $0 > 61 && $0 < 64 }) {
                throw refuse("BitShift LEFT of a 64-bit type by 62 or 63 runs in `zkinfer run`; the circuit holds 62-bit values")
            }
            return wrapOrExact { i in
                let s = amounts[i]
                return [[(a(i), s >= 0 && s < Int64(bits) ? Int64(1) << s : 0)]]
            }
        case .shiftRight:
            // x = a·2^(R−b): ⌊x/2^R⌋ = ⌊a/2^b⌋; a shift by W or more (or negative) is one by R, which gives 0 or −1
            // on the operand range.
            let r = min(bits, activationBits)
            let amounts = try (0..<count).map { try shift(b($0)) }
            let gadget = IntegerGadget(mode: .shiftRight, width: r, signed: signed, highBits: ob + 1)
            return (gadget, { i in
                let s = amounts[i]
                let effective = s < 0 || s >= Int64(bits) ? Int64(r) : min(s, Int64(r))
                return [[(a(i), Int64(1) << (Int64(r) - effective))]]
            })
        case .bitAnd, .bitOr, .bitXor:
            let width = bits < activationBits ? bits : activationBits
            let mode: IntegerGadget.Mode = op == .bitAnd ? .and : op == .bitOr ? .or : .xor
            let gadget = IntegerGadget(mode: mode, width: width, signed: bits < activationBits ? signed : true, highBits: 1)
            return (gadget, { i in [[(reduced(a(i)), Int64(1))], [(reduced(b(i)), Int64(1))]] })
        case .max, .min:
            // d = a − b and b; the result is one of the operands (no wrap).
            let gadget = IntegerGadget(mode: op == .max ? .max : .min, width: bits, signed: signed, highBits: ob + 1)
            return (gadget, { i in [[(a(i), Int64(1)), (b(i), Int64(-1))], [(b(i), Int64(1))]] })
        case .div, .mod, .fmod:
            // a = d·q + r by a constant divisor d per element: ports a − d·q (the lane's q added by `emit`), |d| − 1,
            // a, and for Mod (fmod = 0) d and [d > 0].
            guard graph.values[node.inputs[1]].constant != nil else {
                // A computed divisor: the lane holds d itself (a − D·q − r = 0, |r| < |D|, D ≠ 0).
                return (IntegerGadget(mode: .divideBy(mod: op == .div ? nil : op == .mod), width: ob, signed: signed, highBits: 1),
                        { i in [[(a(i), Int64(1))], [(b(i), Int64(1))]] })
            }
            guard graph.values[node.inputs[0]].constant == nil else { return nil }
            let mode: IntegerGadget.Mode = .divide(mod: op == .div ? nil : op == .mod)
            return (IntegerGadget(mode: mode, width: ob, signed: signed, highBits: 1), { i in
                guard case .fixed(let d) = b(i) else { return [] }
                let gap = d == Int64.min ? Int64.max : abs(d) - 1  // |d| − 1
                var forms: [Form] = [[(a(i), Int64(1))], [(.fixed(gap), Int64(1))], [(a(i), Int64(1))]]
                if op == .mod { forms += [[(.fixed(d), Int64(1))], [(.fixed(d > 0 ? 1 : 0), Int64(1))]] }
                return forms
            })
        }
    }

    /// Port p of lane i is equation i·P + p: its elements with their weights, its constants summed.
    static func emit(_ node: Node, graph: ModelGraph, settings: QuantizationSettings, group: Int, elements: [[ElementSource]],
                     _ emit: Equations.Emit) throws {
        let op = node.operation.name
        guard let (gadget, forms) = try lowering(node, graph: graph, settings: settings) else {
            throw CompilerError.unsupportedOperation(layer: node.label, op: op, hint: node.operation.lowering.circuitHint)
        }
        let ports = gadget.receivedCount
        var divisor: ((Int) -> Operand)? = nil
        if case .divide = gadget.mode { divisor = operand(node, graph: graph, position: 1) }
        for i in 0..<graph.values[node.output].elementCount {
            for (p, form) in forms(i).enumerated() {
                var terms: [(ElementSource, Int64)] = []
                // Division: the first port receives a − d·q, q the lane's own extra produced value.
                if p == 0, let divisor, case .fixed(let d) = divisor(i) {
                    terms.append((.lane(group: group, index: i, value: 1), 0 &- d))
                }
                var constant: Int64 = 0
                for (o, w) in form {
                    switch o {
                    case .element(let id, let position): terms.append((elements[id][position], w))
                    case .fixed(let v):
                        let (product, overflow) = v.multipliedReportingOverflow(by: w)
                        let (sum, overflow2) = constant.addingReportingOverflow(product)
                        guard !overflow, !overflow2 else {
                            throw CompilerError.unsupportedOperation(layer: node.label, op: op, hint: "a constant term beyond 64 bits")
                        }
                        constant = sum
                    }
                }
                try emit(i * ports + p, terms, constant)
            }
        }
    }

    /// Each lane's trace integers: its ports' values (Int64.max where one does not fit, which no witness holds).
    static func laneInputs(_ node: Node, graph: ModelGraph, settings: QuantizationSettings, values: [[Int64]]) throws -> (Int) -> [Int64] {
        guard let (gadget, forms) = try lowering(node, graph: graph, settings: settings) else {
            throw CompilerError.witnessMismatch("layer \(node.label): no integer lanes")
        }
        if case .divide = gadget.mode {
            // [a, d]: the gadget divides.
            let a = operand(node, graph: graph, position: 0), d = operand(node, graph: graph, position: 1)
            func value(_ o: Operand) -> Int64 {
                switch o {
                case .element(let id, let position): return values[id][position]
                case .fixed(let v): return v
                }
            }
            return { i in [value(a(i)), value(d(i))] }
        }
        return { i in
            forms(i).map { form in
                var sum: Int128 = 0
                for (o, w) in form {
                    switch o {
                    case .element(let id, let position): sum += Int128(values[id][position]) * Int128(w)
                    case .fixed(let v): sum += Int128(v) * Int128(w)
                    }
                }
                return Int64(exactly: sum) ?? Int64.max
            }
        }
    }

    /// Non-zero fold entries: per port, its elements, its constant (when non-zero) and the received −1.
    static func foldEntries(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int {
        guard let (gadget, forms) = try? lowering(node, graph: graph, settings: settings) else { return 0 }
        var entries = 0
        if case .divide = gadget.mode { entries += graph.values[node.output].elementCount }  // the lane's −d·q
        for i in 0..<graph.values[node.output].elementCount {
            for form in forms(i) {
                entries += 1
                var constant = false
                for (o, w) in form where w != 0 {
                    if case .element = o { entries += 1 } else { constant = true }
                }
                if constant { entries += 1 }
            }
        }
        return entries
    }
}
