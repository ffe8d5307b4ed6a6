import ModelGraph
import Quantization

/// What every operator family defines in the direct path (its `Kernels/<Family>.swift`): the integers of
/// docs/fixed-point.md for one node, recording the trace the circuit's witness is laid from.
protocol IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64]
}

extension LayerOperation {
    var kernel: any IntegerKernel {
        switch self {
        case .linear(let op): return op
        case .convolution(let op): return op
        case .pooling(let op): return op
        case .arithmetic(let op): return op
        case .activation(let op): return op
        case .normalization(let op): return op
        case .movement(let op): return op
        case .indexing(let op): return op
        case .comparison(let op): return op
        }
    }
}

/// One node being run: its parameters, every value computed so far, and its trace.
struct KernelContext {
    let node: Node
    let q: QuantizedNode
    let graph: ModelGraph
    let settings: QuantizationSettings
    let values: [[Int64]]
    var layer: LayerTrace
    let trace: Bool

    var label: String { node.label }
    var inputShape: [Int] { graph.values[node.inputs[0]].shape }
    var outputShape: [Int] { graph.values[node.output].shape }
    func input(_ i: Int) -> [Int64] { values[node.inputs[i]] }

    /// out = R_k(y) with the node's shift k, recording y, q and r.
    mutating func rescaled(_ accumulator: [Int64]) -> [Int64] { rescale(accumulator, shift: q.shift) }

    /// q = R_k(y) elementwise (spec §2), recording y, q, r when tracing.
    mutating func rescale(_ accumulator: [Int64], shift: Int) -> [Int64] {
        var quotient = [Int64](repeating: 0, count: accumulator.count)
        var remainder = trace ? [Int64](repeating: 0, count: accumulator.count) : []
        let trace = self.trace
        accumulator.withUnsafeBufferPointer { y in
            quotient.withUnsafeMutableBufferPointer { qp in
                for i in 0..<y.count {
                    let (qv, r) = FixedPoint.rescale(y[i], shift: shift)
                    qp[i] = qv
                    if trace { remainder[i] = r }
                }
            }
        }
        if trace {
            layer.accumulator = accumulator
            layer.shift = shift
            layer.quotient = quotient
            layer.remainder = remainder
        }
        return quotient
    }
}

/// The accumulator bound of spec §3, shared by every kernel.
enum Accumulator {
    /// Work (multiply-adds) above which a layer is split across cores.
    static let parallelThreshold = 1 << 18

    /// a·b + c with the spec's accumulator bound; any overflow is out of range as well.
    @inline(__always)
    static func checkedProduct(_ a: Int64, _ b: Int64, _ layer: String, plus c: Int64 = 0) throws -> Int64 {
        let (p, o1) = a.multipliedReportingOverflow(by: b)
        let (v, o2) = p.addingReportingOverflow(c)
        guard !o1, !o2, v > -FixedPoint.accumulatorLimit, v < FixedPoint.accumulatorLimit else {
            throw error(layer)
        }
        return v
    }

    static func error(_ layer: String) -> QuantizationError {
        .outOfRange(layer: layer, what: "accumulator", value: "with |y| ≥ 2^62", bound: "(−2^62, 2^62)")
    }
}

/// A signed 128-bit running sum of 64×64-bit products, for layers whose worst case exceeds 2^61.
struct WideAccumulator {
    var high: Int64
    var low: UInt64

    init(_ start: Int64) {
        high = start < 0 ? -1 : 0
        low = UInt64(bitPattern: start)
    }

    @inline(__always)
    mutating func add(_ a: Int64, _ b: Int64) {
        let p = a.multipliedFullWidth(by: b)
        let (sum, carry) = low.addingReportingOverflow(p.low)
        low = sum
        high = high &+ p.high &+ (carry ? 1 : 0)
    }

    /// The sum when |sum| < 2^62, else nil.
    var value: Int64? {
        let v = Int64(bitPattern: low)
        let fits = (high == 0 && v >= 0) || (high == -1 && v < 0)
        guard fits, v > -FixedPoint.accumulatorLimit, v < FixedPoint.accumulatorLimit else { return nil }
        return v
    }
}
