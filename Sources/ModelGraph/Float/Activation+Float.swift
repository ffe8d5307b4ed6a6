#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ActivationOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        let x = inputs[0].values
        switch self {
        case .relu: return x.map { Swift.max($0, 0) }
        case .leakyRelu(let alpha): return x.map { $0 >= 0 ? $0 : $0 * alpha }
        case .clip(let lower, let upper):
            return x.map { v in
                var r = v
                if let lower { r = Swift.max(r, lower) }
                if let upper { r = Swift.min(r, upper) }
                return r
            }
        case .sigmoid: return x.map { 1 / (1 + libm.exp(-$0)) }
        case .tanh: return x.map { libm.tanh($0) }
        case .neg: return x.map { -$0 }
        case .expm1: return x.map { libm.expm1($0) }
        case .log1pExp: return x.map { libm.log1p(libm.exp($0)) }
        case .sqrt: return x.map { $0.squareRoot() }
        case .reciprocal: return x.map { 1 / $0 }
        case .exp: return x.map { libm.exp($0) }
        case .log: return x.map { libm.log($0) }
        case .erf: return x.map { libm.erf($0) }
        case .normalCDF: return x.map { 0.5 * libm.erfc(-$0 / 2.0.squareRoot()) }
        case .sin: return x.map { libm.sin($0) }
        case .cos: return x.map { libm.cos($0) }
        case .geluTanhGate: return x.map { 0.5 * (1 + libm.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        }
    }
}

/// The C library's functions under one name, so that enum cases such as `.exp` and `.tanh` cannot shadow them.
enum libm {
    static func exp(_ x: Double) -> Double { _libmExp(x) }
    static func tanh(_ x: Double) -> Double { _libmTanh(x) }
    static func log1p(_ x: Double) -> Double { _libmLog1p(x) }
    static func expm1(_ x: Double) -> Double { _libmExpm1(x) }
    static func log(_ x: Double) -> Double { _libmLog(x) }
    static func erf(_ x: Double) -> Double { _libmErf(x) }
    static func erfc(_ x: Double) -> Double { _libmErfc(x) }
    static func sin(_ x: Double) -> Double { _libmSin(x) }
    static func cos(_ x: Double) -> Double { _libmCos(x) }
}

private func _libmSin(_ x: Double) -> Double { sin(x) }
private func _libmCos(_ x: Double) -> Double { cos(x) }

private func _libmExp(_ x: Double) -> Double { exp(x) }
private func _libmTanh(_ x: Double) -> Double { tanh(x) }
private func _libmLog1p(_ x: Double) -> Double { log1p(x) }
private func _libmExpm1(_ x: Double) -> Double { expm1(x) }
private func _libmLog(_ x: Double) -> Double { log(x) }
private func _libmErf(_ x: Double) -> Double { erf(x) }
private func _libmErfc(_ x: Double) -> Double { erfc(x) }
