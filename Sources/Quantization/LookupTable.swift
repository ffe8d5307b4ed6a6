import Foundation

/// A nonlinear function tabulated on integer indices u ∈ [minIndex, minIndex + values.count):
/// values[u − minIndex] = Q_s(f(u / 2^t)) (spec §6). In a circuit the table is a fixed column, so its
/// entries are what the verifier checks against, whatever libm produced them.
public struct LookupTable: Sendable, Equatable {
    public enum Function: String, Sendable { case sigmoid, tanh, exp }

    public let function: Function
    public let minIndex: Int64
    public let values: [Int64]
    /// t: the scale of the index.
    public let inputScale: Int

    public var maxIndex: Int64 { minIndex + Int64(values.count) - 1 }

    /// sigmoid and tanh cover [−2^(D−1), 2^(D−1)); exp (for softmax, whose inputs are ≤ 0) covers
    /// [−2^(D−1), 0].
    public init(_ function: Function, settings: QuantizationSettings) {
        self.function = function
        self.inputScale = settings.tableScale
        let half = Int64(1) << (settings.tableBits - 1)
        minIndex = -half
        let upper = function == .exp ? 0 : half - 1
        let step = Double(sign: .plus, exponent: -settings.tableScale, significand: 1)
        let s = settings.activationScale
        values = (minIndex...upper).map { u in
            let x = Double(u) * step
            let y: Double
            switch function {
            case .sigmoid: y = 1 / (1 + Foundation.exp(-x))
            case .tanh: y = Foundation.tanh(x)
            case .exp: y = Foundation.exp(x)
            }
            return FixedPoint.quantize(y, scale: s)!  // |y| ≤ 1 always fits
        }
    }

    @inlinable public func lookup(_ index: Int64) -> Int64 { values[Int(index - minIndex)] }

    /// The real function, for error bounds.
    public func evaluate(_ x: Double) -> Double {
        switch function {
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .exp: return Foundation.exp(x)
        }
    }

    /// Largest |f'| (for error propagation).
    public var lipschitz: Double {
        switch function {
        case .sigmoid: return 0.25
        case .tanh, .exp: return 1
        }
    }
}

/// How a table's input is brought from scale s to the table scale t (spec §6): a rescale by k = s − t
/// when s > t, an exact multiplication by 2^(t−s) otherwise; then a clamp to the table's index range.
public struct TableInput: Sendable, Equatable {
    public let shift: Int
    public let multiplierShift: Int
    public let minIndex: Int64
    public let maxIndex: Int64

    public init(settings: QuantizationSettings, table: LookupTable) {
        shift = max(settings.activationScale - settings.tableScale, 0)
        multiplierShift = max(settings.tableScale - settings.activationScale, 0)
        minIndex = table.minIndex
        maxIndex = table.maxIndex
    }
}
