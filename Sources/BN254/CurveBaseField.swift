import FieldArithmetic

/// What the curve formulas need of a coordinate field (`Fq` for G1, `Fq2` for G2). Generic code over it is
/// `@inlinable`, so clients get it specialised.
public protocol CurveBaseField: Equatable, Sendable {
    static var zero: Self { get }
    static var one: Self { get }
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squared() -> Self
    func doubled() -> Self
    func inverse() -> Self
    func squareRoot() -> Self?
    static func batchInvert(_ values: UnsafeMutableBufferPointer<Self>)
}

extension Fq: CurveBaseField {}
